import type { AdminEvent } from "../../api/types";
import { MAX_FEATURED } from "./siteDraft";

interface Props {
  candidates: AdminEvent[];
  selected: string[];
  error?: string;
  onChange: (ids: string[]) => void;
}

/** The owner's pick of events for the home page's Featured row, in the order shown. */
export function FeaturedPicker({ candidates, selected, error, onChange }: Props) {
  const byId = new Map(candidates.map((event) => [event.eventId, event]));
  const addable = candidates.filter((event) => !selected.includes(event.eventId));
  const move = (index: number, by: number) => {
    const next = [...selected];
    next.splice(index + by, 0, ...next.splice(index, 1));
    onChange(next);
  };
  return (
    <fieldset className="field" data-testid="site-featured">
      <legend className="field-label">Featured events</legend>
      {selected.length === 0 ? <p className="muted small">None: the Featured row is hidden.</p> : null}
      <ol className="featured-list">
        {selected.map((id, index) => (
          <li key={id} data-testid="site-featured-item">
            <span>{byId.get(id)?.title ?? id}</span>
            <button type="button" className="btn btn-secondary btn-small" disabled={index === 0} onClick={() => move(index, -1)} aria-label={`Move ${byId.get(id)?.title ?? id} up`}>↑</button>
            <button type="button" className="btn btn-secondary btn-small" onClick={() => onChange(selected.filter((other) => other !== id))} aria-label={`Stop featuring ${byId.get(id)?.title ?? id}`}>Remove</button>
          </li>
        ))}
      </ol>
      {selected.length < MAX_FEATURED && addable.length > 0 ? (
        <>
          <label className="visually-hidden" htmlFor="site-featured-add">Feature an event</label>
          <select
            id="site-featured-add"
            value=""
            onChange={(e) => e.target.value && onChange([...selected, e.target.value])}
            data-testid="site-featured-add"
          >
            <option value="">Feature an event…</option>
            {addable.map((event) => (
              <option key={event.eventId} value={event.eventId}>{event.title}</option>
            ))}
          </select>
        </>
      ) : null}
      {error ? <div className="field-error" role="alert">{error}</div> : null}
    </fieldset>
  );
}
