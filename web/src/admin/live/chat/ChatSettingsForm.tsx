import { useEffect, useState, type FormEvent } from "react";
import { ApiError, chat } from "../../../api/client";
import { useApi } from "../../../api/useApi";
import type { ChatSettingsOut, ChatSettingsUpdate } from "../../../api/types";
import { ErrorMessage } from "../../../shared/Status";

interface Draft {
  policy: ChatSettingsOut["policy"];
  slowModeSeconds: number;
  emoteOnly: boolean;
  linksAllowed: boolean;
  blockedTerms: string;
  blockedTermAction: ChatSettingsOut["blockedTermAction"];
  embedChat: boolean;
}

/** The settings as the form holds them (blocked terms one per line). */
export function draftOf(settings: ChatSettingsOut): Draft {
  return {
    policy: settings.policy,
    slowModeSeconds: settings.slowModeSeconds,
    emoteOnly: settings.emoteOnly,
    linksAllowed: settings.linksAllowed,
    blockedTerms: settings.blockedTerms.join("\n"),
    blockedTermAction: settings.blockedTermAction,
    embedChat: settings.embedChat,
  };
}

/** The PUT body for a draft. */
export function updateOf(draft: Draft): ChatSettingsUpdate {
  const terms = [...new Set(draft.blockedTerms.split("\n").map((t) => t.trim()).filter(Boolean))];
  return {
    policy: draft.policy,
    slowModeSeconds: Math.max(0, Math.min(3600, Math.round(draft.slowModeSeconds) || 0)),
    emoteOnly: draft.emoteOnly,
    linksAllowed: draft.linksAllowed,
    blockedTerms: terms,
    blockedTermAction: draft.blockedTermAction,
    embedChat: draft.embedChat,
  };
}

/** Who may post, slow mode, emote only, links, blocked terms and what they do, and the embed's chat. */
export function ChatSettingsForm({ eventId }: { eventId: string }) {
  const settings = useApi((signal) => chat.settings(eventId, signal), [eventId]);
  const [draft, setDraft] = useState<Draft | null>(null);
  const [saving, setSaving] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);

  useEffect(() => {
    if (settings.data) setDraft(draftOf(settings.data));
  }, [settings.data]);

  const change = <K extends keyof Draft>(key: K, value: Draft[K]) => {
    setSaved(false);
    setDraft((current) => (current ? { ...current, [key]: value } : current));
  };
  const save = async (event: FormEvent) => {
    event.preventDefault();
    if (!draft) return;
    setSaving(true);
    setProblem(null);
    try {
      settings.setData(await chat.saveSettings(eventId, updateOf(draft)));
      setSaved(true);
    } catch (err) {
      setProblem(err instanceof ApiError ? err.message : "Could not save the settings.");
    } finally {
      setSaving(false);
    }
  };

  return (
    <form className="card live-section chat-settings" onSubmit={(event) => void save(event)} data-testid="chat-settings" aria-labelledby="chat-settings-title">
      <h3 className="chat-console-h" id="chat-settings-title">
        Chat settings
      </h3>
      <ErrorMessage testId="chat-settings-error">{problem ?? settings.error}</ErrorMessage>
      {draft ? (
        <>
          <div className="field-row">
            <div className="field">
              <label className="field-label" htmlFor="chat-policy">
                Who may post
              </label>
              <select id="chat-policy" value={draft.policy} onChange={(e) => change("policy", e.target.value as Draft["policy"])} data-testid="chat-settings-policy">
                <option value="everyone">Everyone who may watch</option>
                <option value="accounts">Signed-in accounts only</option>
                <option value="nobody">Nobody (the chat is read-only)</option>
              </select>
            </div>
            <div className="field">
              <label className="field-label" htmlFor="chat-slow">
                Slow mode (seconds between messages)
              </label>
              <input id="chat-slow" type="number" min={0} max={3600} value={draft.slowModeSeconds} onChange={(e) => change("slowModeSeconds", Number(e.target.value))} aria-describedby="chat-slow-hint" data-testid="chat-settings-slow" />
              <div className="field-hint" id="chat-slow-hint">
                0 turns it off. Moderators are never slowed.
              </div>
            </div>
          </div>
          <div className="field field-inline">
            <label className="field-checkbox" htmlFor="chat-emote">
              <input id="chat-emote" type="checkbox" checked={draft.emoteOnly} onChange={(e) => change("emoteOnly", e.target.checked)} data-testid="chat-settings-emote" />
              <span>Emoji only</span>
            </label>
          </div>
          <div className="field field-inline">
            <label className="field-checkbox" htmlFor="chat-links">
              <input id="chat-links" type="checkbox" checked={draft.linksAllowed} onChange={(e) => change("linksAllowed", e.target.checked)} data-testid="chat-settings-links" />
              <span>Allow links</span>
            </label>
          </div>
          <div className="field field-inline">
            <label className="field-checkbox" htmlFor="chat-embed">
              <input id="chat-embed" type="checkbox" checked={draft.embedChat} onChange={(e) => change("embedChat", e.target.checked)} data-testid="chat-settings-embed" />
              <span>Show the chat in the embedded player</span>
            </label>
          </div>
          <div className="field">
            <label className="field-label" htmlFor="chat-terms">
              Blocked terms (one per line)
            </label>
            <textarea id="chat-terms" rows={3} value={draft.blockedTerms} onChange={(e) => change("blockedTerms", e.target.value)} data-testid="chat-settings-terms" />
          </div>
          <div className="field">
            <label className="field-label" htmlFor="chat-term-action">
              A message with a blocked term
            </label>
            <select id="chat-term-action" value={draft.blockedTermAction} onChange={(e) => change("blockedTermAction", e.target.value as Draft["blockedTermAction"])} data-testid="chat-settings-term-action">
              <option value="mask">goes out with the term masked (****)</option>
              <option value="hold">waits in the moderation queue</option>
            </select>
          </div>
          <div className="button-row chat-settings-actions">
            <button type="submit" className="btn btn-primary btn-small" disabled={saving} data-testid="chat-settings-save">
              {saving ? "Saving…" : "Save settings"}
            </button>
            <span role="status" className="chat-saved" data-testid="chat-settings-saved">
              {saved ? "Saved." : ""}
            </span>
          </div>
        </>
      ) : null}
    </form>
  );
}
