import { useEffect, useState, type FormEvent } from "react";
import type { AnalyticsRange } from "../../api/types";
import { EVENT_SPAN, EVENT_SPAN_LABEL, RANGE_PRESETS, fromLocalInput, toLocalInput, type ChoiceKey, type DashboardRange, type RangeKey } from "./range";

const OVERVIEW_CHOICES: ChoiceKey[] = ["24h", "7d", "30d"];

interface Props {
  range: DashboardRange;
  /** The choices before "Custom" (an event's page starts with "During the event"). */
  choices?: ChoiceKey[];
  onChoose: (key: RangeKey, custom?: AnalyticsRange) => void;
  onRefresh: () => void;
  busy?: boolean;
}

/** Last 24 hours / 7 days / 30 days (or during the event), or a custom from-to in the browser's time zone. */
export function DateRangePicker({ range, choices = OVERVIEW_CHOICES, onChoose, onRefresh, busy = false }: Props) {
  const [customOpen, setCustomOpen] = useState(range.key === "custom");
  const [from, setFrom] = useState(toLocalInput(range.from));
  const [to, setTo] = useState(toLocalInput(range.to));
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    setFrom(toLocalInput(range.from));
    setTo(toLocalInput(range.to));
    if (range.key === "custom") setCustomOpen(true);
  }, [range.key, range.from, range.to]);

  function apply(e: FormEvent) {
    e.preventDefault();
    const start = from ? fromLocalInput(from) : null;
    const end = to ? fromLocalInput(to) : null;
    if ((from && !start) || (to && !end)) return setError("Enter a valid date and time.");
    if (start && end && start >= end) return setError("The end must be later than the start.");
    setError(null);
    onChoose("custom", { from: start, to: end });
  }

  const shownError = error ?? range.error;
  return (
    <div className="range-picker" data-testid="range-picker">
      <div className="range-presets" role="group" aria-label="Date range">
        {choices.map((key) => (
          <button
            key={key}
            type="button"
            className="range-option"
            aria-pressed={range.key === key}
            onClick={() => {
              setCustomOpen(false);
              setError(null);
              onChoose(key);
            }}
            data-testid={`range-${key}`}
          >
            {key === EVENT_SPAN ? EVENT_SPAN_LABEL : RANGE_PRESETS[key].label}
          </button>
        ))}
        <button
          type="button"
          className="range-option"
          aria-pressed={range.key === "custom"}
          aria-expanded={customOpen}
          aria-controls="range-custom-form"
          onClick={() => setCustomOpen(true)}
          data-testid="range-custom"
        >
          Custom
        </button>
      </div>
      {customOpen ? (
        <form id="range-custom-form" className="range-custom" onSubmit={apply} noValidate>
          <label>
            <span className="field-label">From</span>
            <input type="datetime-local" value={from} onChange={(e) => setFrom(e.target.value)} data-testid="range-from" aria-invalid={Boolean(shownError)} />
          </label>
          <label>
            <span className="field-label">To</span>
            <input type="datetime-local" value={to} onChange={(e) => setTo(e.target.value)} data-testid="range-to" aria-invalid={Boolean(shownError)} />
          </label>
          <button type="submit" className="btn btn-secondary" data-testid="range-apply">
            Apply
          </button>
        </form>
      ) : null}
      <button type="button" className="btn btn-ghost btn-small range-refresh" onClick={onRefresh} disabled={busy} data-testid="range-refresh">
        {busy ? "Loading…" : "Refresh"}
      </button>
      {shownError ? (
        <p className="field-error range-error" role="alert" data-testid="range-error">
          {shownError}
        </p>
      ) : null}
    </div>
  );
}
