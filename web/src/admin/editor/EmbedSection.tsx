import { useState } from "react";
import { copyText } from "../../lib/clipboard";
import { Field, describedBy } from "../../shared/Field";
import { EditorSection } from "./EditorSection";
import { iframeSnippet, type EventDraft } from "./eventDraft";

interface Props {
  eventId: string | null;
  draft: EventDraft;
  errors: Record<string, string>;
  /** Changes after each save so the preview reloads with the saved settings. */
  previewVersion: number;
  onChange: (patch: Partial<EventDraft>) => void;
}

/** Where the player may be embedded, its colour, the iframe snippet and a live preview. */
export function EmbedSection({ eventId, draft, errors, previewVersion, onChange }: Props) {
  const [copied, setCopied] = useState(false);
  const snippet = eventId ? iframeSnippet(window.location.origin, eventId) : "";
  const domainsError = errors["embedSettings.allowedDomains"];
  const colorError = errors["embedSettings.primaryColor"];

  return (
    <EditorSection title="Embed" description="Put the player on your own site with an iframe.">
      <Field
        id="embed-domains"
        label="Allowed domains"
        error={domainsError}
        errorTestId="error-embedSettings.allowedDomains"
        hint="One per line, e.g. example.com or *.example.com. Empty: the player can be embedded anywhere."
      >
        <textarea id="embed-domains" rows={3} value={draft.allowedDomainsText} onChange={(e) => onChange({ allowedDomainsText: e.target.value })} data-testid="editor-allowedDomains" {...describedBy("embed-domains", domainsError, true)} />
      </Field>
      <div className="field-row">
        <Field id="embed-color" label="Primary colour" error={colorError} errorTestId="error-embedSettings.primaryColor" hint="Buttons and progress bar. Empty: default.">
          <div className="color-input">
            <input type="color" aria-label="Pick a colour" value={/^#[0-9a-f]{6}$/i.test(draft.primaryColor) ? draft.primaryColor : "#4f46e5"} onChange={(e) => onChange({ primaryColor: e.target.value })} />
            <input id="embed-color" value={draft.primaryColor} placeholder="Default: #4f46e5" onChange={(e) => onChange({ primaryColor: e.target.value.trim() })} data-testid="editor-primaryColor" {...describedBy("embed-color", colorError, true)} />
          </div>
        </Field>
        <Field id="embed-autoplay" label="Autoplay" inline>
          <input id="embed-autoplay" type="checkbox" checked={draft.autoplay} onChange={(e) => onChange({ autoplay: e.target.checked })} data-testid="editor-autoplay" />
        </Field>
        <Field id="embed-muted" label="Start muted" inline>
          <input id="embed-muted" type="checkbox" checked={draft.muted} onChange={(e) => onChange({ muted: e.target.checked })} data-testid="editor-muted" />
        </Field>
      </div>
      {eventId ? (
        <>
          <div className="field">
            <label className="field-label" htmlFor="embed-snippet">Embed code</label>
            <div className="snippet">
              <textarea id="embed-snippet" readOnly rows={3} value={snippet} onFocus={(e) => e.target.select()} data-testid="embed-snippet" />
              <button
                type="button"
                className="btn btn-secondary btn-small"
                onClick={async () => {
                  setCopied(await copyText(snippet));
                  window.setTimeout(() => setCopied(false), 2000);
                }}
                data-testid="copy-embed"
              >
                {copied ? "Copied" : "Copy"}
              </button>
            </div>
          </div>
          <div className="embed-preview">
            <iframe
              key={previewVersion}
              title="Embed preview"
              src={`/embed/${eventId}?preview=1`}
              allow="autoplay; fullscreen; picture-in-picture"
              allowFullScreen
              data-testid="embed-preview"
            />
          </div>
        </>
      ) : (
        <p className="muted">Save the event to get its embed code.</p>
      )}
    </EditorSection>
  );
}
