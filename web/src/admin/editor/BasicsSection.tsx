import { CONTENT_RATINGS, type ContentRating, type EventType } from "../../api/types";
import { Field, describedBy } from "../../shared/Field";
import { DescriptionEditor } from "./DescriptionEditor";
import { EditorSection } from "./EditorSection";
import { TITLE_MAX_LENGTH, type EventDraft } from "./eventDraft";

interface Props {
  draft: EventDraft;
  errors: Record<string, string>;
  savedHtml: string | null;
  onChange: (patch: Partial<EventDraft>) => void;
}

export function BasicsSection({ draft, errors, savedHtml, onChange }: Props) {
  const remaining = TITLE_MAX_LENGTH - draft.title.length;
  return (
    <EditorSection title="Details">
      <Field
        id="event-title"
        label="Title"
        error={errors.title}
        errorTestId="error-title"
        hint={<span className={remaining < 0 ? "text-danger" : undefined} data-testid="title-counter">{draft.title.length}/{TITLE_MAX_LENGTH}</span>}
      >
        <input
          id="event-title"
          type="text"
          value={draft.title}
          onChange={(e) => onChange({ title: e.target.value })}
          maxLength={TITLE_MAX_LENGTH + 20}
          required
          data-testid="editor-title"
          {...describedBy("event-title", errors.title, true)}
        />
      </Field>
      <DescriptionEditor value={draft.description} savedHtml={savedHtml} error={errors.description} onChange={(description) => onChange({ description })} />
      <div className="field-row">
        <Field id="event-type" label="Event type" error={errors.eventType} errorTestId="error-eventType">
          <select id="event-type" value={draft.eventType} onChange={(e) => onChange({ eventType: e.target.value as EventType })} data-testid="editor-eventType">
            <option value="live">Live stream</option>
            <option value="vod">On demand (video)</option>
          </select>
        </Field>
        <Field id="event-rating" label="Age rating" error={errors.contentRating} hint="Profiles limited below it may not watch.">
          <select id="event-rating" value={draft.contentRating} onChange={(e) => onChange({ contentRating: e.target.value as ContentRating | "" })} data-testid="editor-contentRating" {...describedBy("event-rating", errors.contentRating, true)}>
            <option value="">Not rated</option>
            {CONTENT_RATINGS.map((rating) => <option key={rating} value={rating}>{rating}</option>)}
          </select>
        </Field>
        <Field id="event-thumbnail" label="Poster image URL" error={errors.thumbnailUrl} errorTestId="error-thumbnailUrl">
          <input
            id="event-thumbnail"
            type="url"
            value={draft.thumbnailUrl}
            placeholder="e.g. https://example.com/poster.jpg"
            onChange={(e) => onChange({ thumbnailUrl: e.target.value })}
            data-testid="editor-thumbnailUrl"
            {...describedBy("event-thumbnail", errors.thumbnailUrl)}
          />
        </Field>
      </div>
    </EditorSection>
  );
}
