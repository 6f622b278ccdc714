import type { EventStatus } from "../../api/types";
import { TRANSITION_LABELS } from "../../lib/eventStatus";

interface Props {
  transitions: EventStatus[];
  busy: boolean;
  disabledReason: string | null;
  onTransition: (to: EventStatus) => void;
}

const DANGER: EventStatus[] = ["cancelled", "ended"];

/** One button per transition the server allows from the current status. */
export function LifecycleButtons({ transitions, busy, disabledReason, onTransition }: Props) {
  if (transitions.length === 0) return null;
  return (
    <div className="lifecycle" data-testid="lifecycle">
      {transitions.map((to) => (
        <button
          key={to}
          type="button"
          className={`btn ${to === "live" ? "btn-live" : DANGER.includes(to) ? "btn-danger-outline" : "btn-secondary"}`}
          disabled={busy || disabledReason !== null}
          title={disabledReason ?? undefined}
          onClick={() => onTransition(to)}
          data-testid={`transition-${to}`}
        >
          {TRANSITION_LABELS[to] ?? to}
        </button>
      ))}
    </div>
  );
}
