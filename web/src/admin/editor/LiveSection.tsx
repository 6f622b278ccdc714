import { EditorSection } from "./EditorSection";
import type { EventDraft } from "./eventDraft";

interface Props {
  draft: EventDraft;
  errors: Record<string, string>;
  onChange: (patch: Partial<EventDraft>) => void;
}

/** A live event's automation, said in words: when the encoder takes it live, and when its absence ends it. */
export function LiveSection({ draft, errors, onChange }: Props) {
  const starts = draft.startLocal ? "once your encoder is connected and the start time has come" : "as soon as your encoder is connected and the stream is ready";
  const startWords = draft.autoStart
    ? `On: the event goes live ${starts}. Connect before the start time to test: only you see the preview until then.`
    : "Off: when your encoder is connected, press Go live in the live control room. Until then only you see the preview.";
  const endWords = draft.autoEnd
    ? `On: if the encoder stops and does not come back within the reconnect window (a minute unless your server sets another), the event ends and its replay is made${draft.endLocal ? "; it also ends at the end time" : ""}. Viewers see “interrupted” meanwhile, and the picture comes back by itself if the encoder returns in time.`
    : "Off: if the encoder stops, viewers see “interrupted” and the event stays live until you press End in the live control room.";
  return (
    <EditorSection title="Live broadcast" testId="editor-live-section">
      <AutomationToggle id="event-autostart" label="Go live automatically when the encoder connects" words={startWords} checked={draft.autoStart} error={errors.autoStart} onChange={(autoStart) => onChange({ autoStart })} testId="autoStart" />
      <AutomationToggle id="event-autoend" label="End automatically when the encoder stops" words={endWords} checked={draft.autoEnd} error={errors.autoEnd} onChange={(autoEnd) => onChange({ autoEnd })} testId="autoEnd" />
    </EditorSection>
  );
}

interface ToggleProps {
  id: string;
  label: string;
  words: string;
  checked: boolean;
  error?: string;
  onChange: (checked: boolean) => void;
  testId: string;
}

/** A checkbox with what it does right under it, in words that follow its state. */
function AutomationToggle({ id, label, words, checked, error, onChange, testId }: ToggleProps) {
  const describedBy = error ? `${id}-error ${id}-words` : `${id}-words`;
  return (
    <div className={`field${error ? " field-has-error" : ""}`}>
      <label className="field-checkbox" htmlFor={id}>
        <input id={id} type="checkbox" checked={checked} onChange={(e) => onChange(e.target.checked)} aria-describedby={describedBy} aria-invalid={error ? true : undefined} data-testid={`editor-${testId}`} />
        <span>{label}</span>
      </label>
      <div className="field-hint" id={`${id}-words`} data-testid={`${testId.toLowerCase()}-words`}>{words}</div>
      {error ? <div className="field-error" id={`${id}-error`} role="alert">{error}</div> : null}
    </div>
  );
}
