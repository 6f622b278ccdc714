import { useState } from "react";
import type { ChatMessage } from "./protocol";

export const TIMEOUTS: { seconds: number; label: string }[] = [
  { seconds: 60, label: "1 minute" },
  { seconds: 300, label: "5 minutes" },
  { seconds: 600, label: "10 minutes" },
  { seconds: 3600, label: "1 hour" },
  { seconds: 86_400, label: "1 day" },
  { seconds: 604_800, label: "1 week" },
];

/** "5 minutes" for a timeout's length (the seconds themselves when no choice matches). */
export function timeoutLabel(seconds: number): string {
  return TIMEOUTS.find((t) => t.seconds === seconds)?.label ?? `${seconds} s`;
}

interface Props {
  message: ChatMessage;
  /** Whether its author may be timed out, banned and hidden (not staff; in the viewer's panel, not you nor a moderator). */
  restrictable: boolean;
  onDelete: () => void;
  onPin: () => void;
  onTimeout: (seconds: number) => void;
  onBan: () => void;
  onHide: () => void;
  /**
   * Asks before a ban (the console's dialog). Without it, the Ban button asks in place: a second button
   * confirms.
   */
  confirmBan?: (who: string) => Promise<boolean>;
}

/** One message's moderation, behind a "Moderate" toggle: delete, pin, timeout (for how long), ban, hide all they wrote. */
export function ModerationActions({ message, restrictable, onDelete, onPin, onTimeout, onBan, onHide, confirmBan }: Props) {
  const [open, setOpen] = useState(false);
  const [seconds, setSeconds] = useState(300);
  const [asking, setAsking] = useState(false);
  const who = message.author.name;
  const ban = async () => {
    if (!confirmBan) {
      setAsking(true);
      return;
    }
    if (await confirmBan(who)) onBan();
  };
  return (
    <>
      <button type="button" className="btn-link chat-action" aria-expanded={open} onClick={() => setOpen((o) => !o)} aria-label={`Moderate the message by ${who}`} data-testid="chat-moderate">
        Moderate
      </button>
      {open ? (
        <>
          <button type="button" className="btn-link chat-action chat-action-danger" onClick={onDelete} data-testid="chat-delete">
            Delete
          </button>
          <button type="button" className="btn-link chat-action" onClick={onPin} data-testid="chat-pin">
            Pin
          </button>
          {restrictable ? (
            <>
              <span className="chat-timeout">
                <label className="visually-hidden" htmlFor={`timeout-${message.messageId}`}>
                  Timeout length
                </label>
                <select id={`timeout-${message.messageId}`} value={seconds} onChange={(e) => setSeconds(Number(e.target.value))} data-testid="chat-timeout-length">
                  {TIMEOUTS.map((t) => (
                    <option key={t.seconds} value={t.seconds}>
                      {t.label}
                    </option>
                  ))}
                </select>
                <button type="button" className="btn-link chat-action" onClick={() => onTimeout(seconds)} data-testid="chat-timeout">
                  Timeout
                </button>
              </span>
              {asking ? (
                <span className="chat-confirm" role="group" aria-label={`Ban ${who}?`}>
                  <span>Ban {who} until a moderator lifts it?</span>
                  <button
                    type="button"
                    className="btn-link chat-action chat-action-danger"
                    onClick={() => {
                      setAsking(false);
                      onBan();
                    }}
                    data-testid="chat-ban-confirm"
                  >
                    Ban
                  </button>
                  <button type="button" className="btn-link chat-action" onClick={() => setAsking(false)}>
                    Cancel
                  </button>
                </span>
              ) : (
                <button type="button" className="btn-link chat-action chat-action-danger" onClick={() => void ban()} data-testid="chat-ban">
                  Ban
                </button>
              )}
              <button type="button" className="btn-link chat-action" onClick={onHide} data-testid="chat-hide-person">
                Hide all from {who}
              </button>
            </>
          ) : null}
        </>
      ) : null}
    </>
  );
}
