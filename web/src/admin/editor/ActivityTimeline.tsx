import { useEffect, useRef } from "react";
import { events } from "../../api/client";
import { useApi } from "../../api/useApi";
import { formatShortDateTime } from "../../lib/time";
import { hasPending, mergeActivity, type ActivityEntry, type FieldChange } from "./activity";
import { EditorSection } from "./EditorSection";

const PENDING_POLL_MS = 3000;
const PENDING_POLL_LIMIT = 200; // 10 minutes: a job still running then is shown as it stands

/** The event's automation runs and admin changes, merged into one timeline; re-read while a job is pending. */
export function ActivityTimeline({ eventId, refreshKey }: { eventId: string; refreshKey: number }) {
  const polls = useRef(0);
  useEffect(() => {
    polls.current = 0; // a new event or a change the page made: poll afresh
  }, [eventId, refreshKey]);
  const { data: items, error, reload } = useApi(
    (signal) =>
      Promise.all([events.automation(eventId, signal), events.audit(eventId, signal)]).then(([automation, audit]) =>
        mergeActivity(automation.items, audit.items),
      ),
    [eventId, refreshKey],
  );

  useEffect(() => {
    if (!items || !hasPending(items) || polls.current >= PENDING_POLL_LIMIT) return;
    const timer = window.setTimeout(() => {
      polls.current += 1;
      reload();
    }, PENDING_POLL_MS);
    return () => window.clearTimeout(timer);
  }, [items, reload]);

  return (
    <EditorSection title="Activity" testId="activity">
      {error ? <p className="text-danger" role="alert">{error}</p> : null}
      {items && items.length === 0 ? <p className="muted" data-testid="activity-empty">Nothing has happened yet.</p> : null}
      {items && items.length > 0 ? (
        <ol className="timeline">
          {items.map((item) => (
            <ActivityItem key={item.id} item={item} />
          ))}
        </ol>
      ) : null}
    </EditorSection>
  );
}

function ActivityItem({ item }: { item: ActivityEntry }) {
  return (
    <li className={`timeline-item tone-${item.tone} kind-${item.kind}`} data-testid="activity-item" data-source={item.source} data-kind={item.kind}>
      <div className="timeline-icon" aria-hidden="true">{item.icon}</div>
      <div className="timeline-body">
        <div className="timeline-title">
          {item.title} <span className="muted">· {item.origin}</span>
        </div>
        <div className="timeline-meta">
          {item.status ? <span className={`pill pill-${item.tone}`}>{item.status}</span> : null}{" "}
          <time dateTime={item.timestamp}>{formatShortDateTime(item.timestamp)}</time>
        </div>
        {item.changes.length > 0 ? <ChangeList changes={item.changes} /> : null}
      </div>
    </li>
  );
}

const SHOWN_CHANGES = 5;

/** before → after of each field an audit entry changed; long lists fold after the first few. */
function ChangeList({ changes }: { changes: FieldChange[] }) {
  const first = changes.slice(0, SHOWN_CHANGES);
  const rest = changes.slice(SHOWN_CHANGES);
  return (
    <div className="change-list" data-testid="audit-changes">
      <ChangeRows changes={first} />
      {rest.length > 0 ? (
        <details>
          <summary className="small muted">{rest.length} more</summary>
          <ChangeRows changes={rest} />
        </details>
      ) : null}
    </div>
  );
}

function ChangeRows({ changes }: { changes: FieldChange[] }) {
  return (
    <dl>
      {changes.map((change) => (
        <div key={change.field} className="change-row" data-testid="audit-change">
          <dt>{change.field}</dt>
          <dd>
            {change.before !== null ? (
              <>
                <span className="change-before">{change.before}</span> <span aria-label="changed to">→</span>{" "}
              </>
            ) : null}
            <span className="change-after">{change.after}</span>
          </dd>
        </div>
      ))}
    </dl>
  );
}
