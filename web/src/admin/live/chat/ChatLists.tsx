import { useEffect, useState, type FormEvent } from "react";
import { ApiError, chat } from "../../../api/client";
import { useApi } from "../../../api/useApi";
import { formatDateTime } from "../../../lib/time";
import { ErrorMessage } from "../../../shared/Status";
import { inForce, nextExpiry, type ModerationLists } from "./moderationLists";

function failure(err: unknown): string {
  return err instanceof ApiError ? err.message : "Something went wrong. Please try again.";
}

/** The moderation queue: viewers' reports and held messages, to approve (remove) or reject (keep, show). */
export function ModerationQueue({ eventId, lists }: { eventId: string; lists: ModerationLists }) {
  const [problem, setProblem] = useState<string | null>(null);
  const settle = async (reportId: string, status: "approved" | "rejected") => {
    setProblem(null);
    try {
      await chat.settleReport(eventId, reportId, status);
      lists.settled(reportId);
    } catch (err) {
      setProblem(failure(err));
    }
  };
  const items = lists.reports ?? [];
  return (
    <div className="card live-section" data-testid="chat-queue">
      <h3 className="chat-console-h">
        Moderation queue <span className="chat-count" data-testid="chat-queue-count">{items.length}</span>
      </h3>
      <ErrorMessage testId="chat-queue-error">{problem ?? lists.reportsError}</ErrorMessage>
      {items.length === 0 ? (
        <p className="muted">Nothing to review.</p>
      ) : (
        <ul className="chat-queue">
          {items.map((report) => (
            <li key={report.reportId} data-testid="chat-queue-item">
              <p className="chat-text">
                <strong>{report.message.author.name}</strong>: {report.message.text}
              </p>
              <p className="chat-queue-meta">
                {report.reportedBy === "filter" ? "Held by a blocked term" : "Reported by a viewer"}
                {report.reason ? ` · “${report.reason}”` : ""} · {formatDateTime(report.createdAt)}
              </p>
              <div className="button-row">
                <button type="button" className="btn btn-danger-outline btn-small" onClick={() => void settle(report.reportId, "approved")} data-testid="chat-queue-approve">
                  Remove the message
                </button>
                <button type="button" className="btn btn-secondary btn-small" onClick={() => void settle(report.reportId, "rejected")} data-testid="chat-queue-reject">
                  {report.reportedBy === "filter" ? "Let it through" : "Keep it"}
                </button>
              </div>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** Bans and timeouts in force, each with its lift (a timeout that runs out leaves the list by itself). */
export function BansList({ eventId, lists }: { eventId: string; lists: ModerationLists }) {
  const [problem, setProblem] = useState<string | null>(null);
  const [now, setNow] = useState(() => Date.now());
  const lift = async (personId: string) => {
    setProblem(null);
    try {
      await chat.lift(eventId, personId);
      lists.lifted(personId);
    } catch (err) {
      setProblem(failure(err));
    }
  };
  const all = lists.bans ?? [];
  const due = nextExpiry(all, now);
  useEffect(() => {
    if (due === null) return;
    const timer = window.setTimeout(() => setNow(Date.now()), Math.min(due - Date.now() + 250, 2 ** 31 - 1));
    return () => window.clearTimeout(timer);
  }, [due]);
  const items = inForce(all, now);
  return (
    <div className="card live-section" data-testid="chat-bans">
      <h3 className="chat-console-h">Bans and timeouts</h3>
      <ErrorMessage testId="chat-bans-error">{problem ?? lists.bansError}</ErrorMessage>
      {items.length === 0 ? (
        <p className="muted">Nobody is banned or timed out.</p>
      ) : (
        <ul className="chat-people">
          {items.map((ban) => (
            <li key={ban.restrictionId} data-testid="chat-ban-item">
              <span>
                <strong>{ban.name}</strong> · {ban.kind === "ban" ? "banned" : `timed out until ${formatDateTime(ban.until)}`}
                {ban.reason ? ` · ${ban.reason}` : ""}
              </span>
              <button type="button" className="btn btn-secondary btn-small" onClick={() => void lift(ban.personId)} aria-label={`${ban.kind === "ban" ? "Unban" : "End the timeout of"} ${ban.name}`} data-testid="chat-unban">
                {ban.kind === "ban" ? "Unban" : "End timeout"}
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** The event's named moderators (by email): they moderate once signed in with an account that proved it. */
export function ModeratorsList({ eventId }: { eventId: string }) {
  const moderators = useApi((signal) => chat.moderators(eventId, signal), [eventId]);
  const [email, setEmail] = useState("");
  const [problem, setProblem] = useState<string | null>(null);
  const add = async (event: FormEvent) => {
    event.preventDefault();
    setProblem(null);
    try {
      await chat.nameModerator(eventId, email.trim());
      setEmail("");
      moderators.reload();
    } catch (err) {
      setProblem(failure(err));
    }
  };
  const remove = async (moderatorId: string) => {
    setProblem(null);
    try {
      await chat.removeModerator(eventId, moderatorId);
      moderators.reload();
    } catch (err) {
      setProblem(failure(err));
    }
  };
  const items = moderators.data?.items ?? [];
  return (
    <div className="card live-section" data-testid="chat-moderators">
      <h3 className="chat-console-h">Moderators</h3>
      <p className="field-hint">Staff moderate every chat. Name others by email: they moderate once signed in to an account with that address.</p>
      <ErrorMessage testId="chat-moderators-error">{problem ?? moderators.error}</ErrorMessage>
      {items.length ? (
        <ul className="chat-people">
          {items.map((moderator) => (
            <li key={moderator.moderatorId} data-testid="chat-moderator-item">
              <span>{moderator.email}</span>
              <button type="button" className="btn btn-secondary btn-small" onClick={() => void remove(moderator.moderatorId)} aria-label={`Remove ${moderator.email}`}>
                Remove
              </button>
            </li>
          ))}
        </ul>
      ) : null}
      <form className="chat-inline-form" onSubmit={(event) => void add(event)}>
        <label className="visually-hidden" htmlFor="chat-moderator-email">
          Moderator's email
        </label>
        <input id="chat-moderator-email" type="email" required value={email} onChange={(e) => setEmail(e.target.value)} placeholder="name@example.com" data-testid="chat-moderator-email" />
        <button type="submit" className="btn btn-secondary btn-small" data-testid="chat-moderator-add">
          Add
        </button>
      </form>
    </div>
  );
}
