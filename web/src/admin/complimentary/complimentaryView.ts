// Complimentary access in the console: the optional end date, and the words for each grant's state.
import type { ComplimentaryGrant, GrantStatus } from "../../api/types";

/** The end of the chosen day in the admin's own time zone, as the API's instant; null for no date. */
export function endOfDayIso(date: string): string | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!match) return null;
  const end = new Date(Number(match[1]), Number(match[2]) - 1, Number(match[3]), 23, 59, 59);
  return Number.isNaN(end.getTime()) ? null : end.toISOString();
}

/** Today as a date input's value (its `min`: an end in the past is refused anyway). */
export function todayInput(now: Date = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

export const STATUS_LABELS: Record<GrantStatus, string> = { active: "Active", expired: "Expired", revoked: "Revoked" };

/** "Not yet", "1 device", "3 devices". */
export function claimedText(grant: Pick<ComplimentaryGrant, "deviceCount">): string {
  if (grant.deviceCount === 0) return "Not yet";
  return grant.deviceCount === 1 ? "1 device" : `${grant.deviceCount} devices`;
}
