import { useState } from "react";
import { renderMarkdownPreview } from "../../lib/markdown";
import { describedBy } from "../../shared/Field";

interface Props {
  value: string;
  /** The server's sanitized rendering of the saved description, when it is current. */
  savedHtml: string | null;
  error?: string;
  onChange: (value: string) => void;
}

/** Markdown description with Write / Preview tabs. */
export function DescriptionEditor({ value, savedHtml, error, onChange }: Props) {
  const [tab, setTab] = useState<"write" | "preview">("write");
  const html = savedHtml ?? renderMarkdownPreview(value);
  return (
    <div className={`field${error ? " field-has-error" : ""}`}>
      <div className="tabs-header">
        <label className="field-label" htmlFor="event-description">Description</label>
        <div className="tabs" role="tablist" aria-label="Description view">
          <button type="button" role="tab" aria-selected={tab === "write"} className="tab" onClick={() => setTab("write")} data-testid="description-write-tab">
            Write
          </button>
          <button type="button" role="tab" aria-selected={tab === "preview"} className="tab" onClick={() => setTab("preview")} data-testid="description-preview-tab">
            Preview
          </button>
        </div>
      </div>
      {tab === "write" ? (
        <textarea
          id="event-description"
          rows={7}
          value={value}
          onChange={(e) => onChange(e.target.value)}
          placeholder="What is this event about? Markdown: **bold**, *italic*, [link](https://…)"
          data-testid="editor-description"
          {...describedBy("event-description", error, true)}
        />
      ) : (
        <div className="markdown-preview prose" data-testid="description-preview" dangerouslySetInnerHTML={{ __html: html || "<p class=\"muted\">Nothing to preview.</p>" }} />
      )}
      {!error ? <div className="field-hint" id="event-description-hint">Markdown is supported. Viewers see the sanitized rendering.</div> : null}
      {error ? <div className="field-error" id="event-description-error" role="alert" data-testid="error-description">{error}</div> : null}
    </div>
  );
}
