import { useMemo } from "react";
import { events } from "../../api/client";
import { useApi } from "../../api/useApi";
import { formatShortDateTime } from "../../lib/time";
import { passwordBudgetSpentUntil } from "./activity";

/**
 * Shown while the event's budget of wrong passwords is spent: only addresses without a wrong guess may
 * still try, so the admin learns that someone is guessing (and may want a new password).
 */
export function PasswordGuessNotice({ eventId, refreshKey }: { eventId: string; refreshKey: number }) {
  // A failure shows nothing here: the activity timeline shows the error.
  const { data: log } = useApi((signal) => events.automation(eventId, signal), [eventId, refreshKey]);
  const until = useMemo(() => (log ? passwordBudgetSpentUntil(log.items, new Date()) : null), [log]);

  if (!until) return null;
  return (
    <div className="alert alert-warning" role="alert" data-testid="password-guess-notice">
      <strong>Someone is guessing this event's password.</strong> Too many wrong passwords arrived for this
      event; until {formatShortDateTime(until)} only addresses that have not guessed wrong may try (viewers
      already in are not affected). If the password may have leaked, set a new one under Access.
    </div>
  );
}
