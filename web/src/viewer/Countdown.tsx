import { useEffect, useState } from "react";
import { formatCountdown } from "../lib/time";

/** A live countdown to `target`; calls `onDone` once when it reaches zero. */
export function Countdown({ target, onDone, label = "Starts in" }: { target: string; onDone?: () => void; label?: string }) {
  const targetMs = new Date(target).getTime();
  const [now, setNow] = useState(() => Date.now());

  useEffect(() => {
    if (now >= targetMs) {
      onDone?.();
      return;
    }
    const timer = window.setTimeout(() => setNow(Date.now()), 1000 - (Date.now() % 1000) + 5);
    return () => window.clearTimeout(timer);
  }, [now, targetMs, onDone]);

  if (!Number.isFinite(targetMs)) return null;
  const done = now >= targetMs;
  return (
    <div className="countdown" data-testid="countdown" aria-live="off">
      <span className="countdown-label">{done ? "Starting soon" : label}</span>
      {!done ? <span className="countdown-value" role="timer">{formatCountdown(targetMs, now)}</span> : null}
    </div>
  );
}
