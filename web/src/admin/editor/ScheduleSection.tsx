import { useMemo } from "react";
import { Field, describedBy } from "../../shared/Field";
import { formatDateTime, listTimeZones, zonedLocalToUtcIso } from "../../lib/time";
import { EditorSection } from "./EditorSection";
import type { EventDraft } from "./eventDraft";

interface Props {
  draft: EventDraft;
  errors: Record<string, string>;
  onChange: (patch: Partial<EventDraft>) => void;
}

/** Start/end as wall-clock times in a chosen time zone; sent as UTC. */
export function ScheduleSection({ draft, errors, onChange }: Props) {
  const zones = useMemo(() => {
    const all = listTimeZones();
    return all.includes(draft.timezone) ? all : [draft.timezone, ...all];
  }, [draft.timezone]);
  const startIso = draft.startLocal ? zonedLocalToUtcIso(draft.startLocal, draft.timezone) : null;

  return (
    <EditorSection title="Schedule">
      <Field id="event-timezone" label="Time zone" error={errors.timezone} errorTestId="error-timezone">
        <select id="event-timezone" value={draft.timezone} onChange={(e) => onChange({ timezone: e.target.value })} data-testid="editor-timezone">
          {zones.map((zone) => (
            <option key={zone} value={zone}>{zone.replace(/_/g, " ")}</option>
          ))}
        </select>
      </Field>
      <div className="field-row">
        <Field id="event-start" label="Starts" error={errors.scheduledStart} errorTestId="error-scheduledStart">
          <input id="event-start" type="datetime-local" value={draft.startLocal} onChange={(e) => onChange({ startLocal: e.target.value })} data-testid="editor-scheduledStart" {...describedBy("event-start", errors.scheduledStart)} />
        </Field>
        <Field id="event-end" label="Ends" error={errors.scheduledEnd} errorTestId="error-scheduledEnd">
          <input id="event-end" type="datetime-local" value={draft.endLocal} min={draft.startLocal || undefined} onChange={(e) => onChange({ endLocal: e.target.value })} data-testid="editor-scheduledEnd" {...describedBy("event-end", errors.scheduledEnd)} />
        </Field>
      </div>
      {startIso ? <p className="field-hint" data-testid="schedule-local-hint">In your time zone: {formatDateTime(startIso)}</p> : null}
      {/* A live event's automation is in its own section (LiveSection): the encoder drives it, not the clock. */}
      {draft.eventType === "vod" ? (
        <div className="field-row">
          <Field id="event-autostart" label="Go live automatically at the start time" inline error={errors.autoStart}>
            <input id="event-autostart" type="checkbox" checked={draft.autoStart} onChange={(e) => onChange({ autoStart: e.target.checked })} data-testid="editor-autoStart" />
          </Field>
          <Field id="event-autoend" label="End automatically at the end time" inline error={errors.autoEnd}>
            <input id="event-autoend" type="checkbox" checked={draft.autoEnd} onChange={(e) => onChange({ autoEnd: e.target.checked })} data-testid="editor-autoEnd" />
          </Field>
        </div>
      ) : null}
    </EditorSection>
  );
}
