import { ApiError } from "../../api/client";

/** Why a playing video was stopped, in the viewer's words, and what they can do about it. */
export interface Refusal {
  title: string;
  /** The server's own words (the seed-004 error message: why, and what to do). */
  message: string;
  /** A line on what pressing the button does. */
  hint: string;
  /** "access": see where the viewer stands now (the gate, the paywall, or back in); "retry": ask again. */
  action: "access" | "retry";
  actionLabel: string;
  reason: string | null;
}

/** The statuses of a renewal that mean "no longer": the player stops; anything else is retried. */
export function isRefusal(err: unknown): err is ApiError {
  return err instanceof ApiError && [401, 402, 403, 404, 409, 410].includes(err.status);
}

const ACCESS_AGAIN = "Press Continue to see what you need to watch again.";

type Shown = Pick<Refusal, "title" | "hint" | "action">;
const NOT_AVAILABLE: Shown = { title: "This video cannot be watched now", hint: "Press Try again in a moment.", action: "retry" };

const BY_REASON: Record<string, Shown> = {
  gate_required: { title: "Your access to this event has changed", hint: ACCESS_AGAIN, action: "access" },
  payment_required: { title: "A ticket is needed to keep watching", hint: "Press Continue to buy one.", action: "access" },
  revoked: { title: "Your access was withdrawn", hint: "Press Continue to buy a ticket again, or contact the organiser if this is a mistake.", action: "access" },
  expired: { title: "Your access has expired", hint: ACCESS_AGAIN, action: "access" },
  not_started: { title: "This event has not started yet", hint: "Press Try again once it has started.", action: "retry" },
  ended: { title: "This event has ended", hint: "Press Try again to look for its replay.", action: "retry" },
  not_available: NOT_AVAILABLE,
};

/** The refusal a renewal answered with: `details.reason` when the server gives one, else the status. */
export function refusalOf(err: ApiError): Refusal {
  const reason = typeof err.details.reason === "string" ? err.details.reason : null;
  const known = reason ? BY_REASON[reason] : undefined;
  let shown: Shown;
  if (known) shown = known;
  else if (err.status === 401) shown = { title: "Your viewing session has expired", hint: "Press Continue to pick up where you were.", action: "access" };
  else if (err.status === 402 || err.status === 403) shown = { title: "Your access to this event has changed", hint: ACCESS_AGAIN, action: "access" };
  else if (err.status === 409) shown = NOT_AVAILABLE;
  else shown = { title: "This video is no longer available", hint: "Press Try again to check.", action: "retry" };
  return {
    ...shown,
    message: err.message,
    actionLabel: shown.action === "access" ? "Continue" : "Try again",
    reason,
  };
}
