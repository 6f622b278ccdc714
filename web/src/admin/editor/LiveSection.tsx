import { Field, describedBy } from "../../shared/Field";
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
  return (
    <EditorSection title="Live broadcast" testId="editor-live-section">
      <Field
        id="event-autostart"
        label="Go live automatically when the encoder connects"
        inline
        error={errors.autoStart}
        hint={
          <span data-testid="autostart-words">
            {draft.autoStart
              ? `On: the event goes live ${starts}. Connect before the start time to test: only you see the preview until then.`
              : "Off: when your encoder is connected, press Go live in the live control room. Until then only you see the preview."}
          </span>
        }
      >
        <input id="event-autostart" type="checkbox" checked={draft.autoStart} onChange={(e) => onChange({ autoStart: e.target.checked })} {...describedBy("event-autostart", errors.autoStart, true)} data-testid="editor-autoStart" />
      </Field>
      <Field
        id="event-autoend"
        label="End automatically when the encoder stops"
        inline
        error={errors.autoEnd}
        hint={
          <span data-testid="autoend-words">
            {draft.autoEnd
              ? `On: if the encoder stops and does not come back within the reconnect window (a minute unless your server sets another), the event ends and its replay is made${draft.endLocal ? "; it also ends at the end time" : ""}. Viewers see “interrupted” meanwhile, and the picture comes back by itself if the encoder returns in time.`
              : "Off: if the encoder stops, viewers see “interrupted” and the event stays live until you press End in the live control room."}
          </span>
        }
      >
        <input id="event-autoend" type="checkbox" checked={draft.autoEnd} onChange={(e) => onChange({ autoEnd: e.target.checked })} {...describedBy("event-autoend", errors.autoEnd, true)} data-testid="editor-autoEnd" />
      </Field>
    </EditorSection>
  );
}
