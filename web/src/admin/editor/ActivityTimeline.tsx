import { useEffect, useState } from "react";
import { ApiError, events } from "../../api/client";
import type { AutomationEntry } from "../../api/types";
import { formatShortDateTime } from "../../lib/time";
import { EditorSection } from "./EditorSection";

function statusTone(status: string): string {
  const s = status.toLowerCase();
  if (["success", "succeeded", "completed", "done", "ok"].includes(s)) return "ok";
  if (["failed", "error"].includes(s)) return "bad";
  return "pending";
}

function humanize(text: string): string {
  return text.replace(/([a-z])([A-Z])/g, "$1 $2").replace(/[_-]+/g, " ").replace(/^./, (c) => c.toUpperCase());
}

/** The automation log of an event (pre-start, post-stop, transcode, ...) as a timeline. */
export function ActivityTimeline({ eventId, refreshKey }: { eventId: string; refreshKey: number }) {
  const [items, setItems] = useState<AutomationEntry[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    const controller = new AbortController();
    events
      .automation(eventId, controller.signal)
      .then((res) => {
        const sorted = [...res.items].sort((a, b) => b.timestamp.localeCompare(a.timestamp));
        setItems(sorted);
        setError(null);
      })
      .catch((err: unknown) => {
        if (err instanceof ApiError) setError(err.message);
      });
    return () => controller.abort();
  }, [eventId, refreshKey]);

  return (
    <EditorSection title="Activity" testId="activity">
      {error ? <p className="text-danger" role="alert">{error}</p> : null}
      {items && items.length === 0 ? <p className="muted" data-testid="activity-empty">No automated actions yet.</p> : null}
      {items && items.length > 0 ? (
        <ol className="timeline">
          {items.map((item) => (
            <li key={item.automationId} className={`timeline-item tone-${statusTone(item.executionStatus)}`} data-testid="activity-item">
              <div className="timeline-dot" aria-hidden="true" />
              <div>
                <div className="timeline-title">
                  {humanize(item.action)} <span className="muted">· {humanize(item.triggerType)}</span>
                </div>
                <div className="timeline-meta">
                  <span className={`pill pill-${statusTone(item.executionStatus)}`}>{item.executionStatus}</span>{" "}
                  <time dateTime={item.timestamp}>{formatShortDateTime(item.timestamp)}</time>
                </div>
              </div>
            </li>
          ))}
        </ol>
      ) : null}
    </EditorSection>
  );
}
