import type { LifecycleAction } from "../../lib/eventStatus";

interface Props {
  actions: LifecycleAction[];
  busy: boolean;
  disabledReason: string | null;
  onAction: (action: LifecycleAction) => void;
}

const TONE_CLASSES: Record<LifecycleAction["tone"], string> = {
  live: "btn-live",
  primary: "btn-primary",
  secondary: "btn-secondary",
  danger: "btn-danger-outline",
};

/** One button per lifecycle move the server allows from the current status (see lifecycleActions). */
export function LifecycleButtons({ actions, busy, disabledReason, onAction }: Props) {
  if (actions.length === 0) return null;
  return (
    <div className="lifecycle" data-testid="lifecycle">
      {actions.map((action) => (
        <button
          key={action.label}
          type="button"
          className={`btn ${TONE_CLASSES[action.tone]}`}
          disabled={busy || disabledReason !== null}
          title={disabledReason ?? undefined}
          onClick={() => onAction(action)}
          data-testid={`transition-${action.steps[action.steps.length - 1]}`}
        >
          {action.label}
        </button>
      ))}
    </div>
  );
}
