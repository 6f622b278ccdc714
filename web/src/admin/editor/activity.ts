// The event's automation log and audit log merged into one timeline, newest first.
import type { AuditEntry, AutomationEntry } from "../../api/types";

export type ActivityTone = "ok" | "bad" | "pending" | "info";

export interface FieldChange {
  field: string;
  /** null when the entry created the value (no before snapshot). */
  before: string | null;
  after: string;
}

export interface ActivityEntry {
  id: string;
  source: "automation" | "audit";
  timestamp: string;
  title: string;
  /** Who or what caused it: "Pre-start automation", "Admin". */
  origin: string;
  /** Key for the icon and colour: an automation trigger, or "audit". */
  kind: string;
  icon: string;
  tone: ActivityTone;
  status: string | null;
  changes: FieldChange[];
}

interface TriggerStyle {
  icon: string;
  label: string;
}

export const TRIGGER_STYLES: Record<string, TriggerStyle> = {
  // Plain symbols every system font has (emoji are missing on many Linux desktops and servers).
  preStart: { icon: "▶", label: "Pre-start" },
  postStop: { icon: "■", label: "Post-stop" },
  schedule: { icon: "◷", label: "Schedule" },
  transcode: { icon: "▤", label: "Transcode" },
  recording: { icon: "●", label: "Recording" },
  cleanup: { icon: "♻", label: "Cleanup" },
  paymentSetup: { icon: "$", label: "Payment setup" },
  security: { icon: "⚠", label: "Security" },
};
const AUDIT_ICON = "✎";
const DEFAULT_ICON = "•";

export function humanize(text: string): string {
  return text
    .replace(/([a-z])([A-Z])/g, "$1 $2")
    .replace(/[._-]+/g, " ")
    .trim()
    .toLowerCase()
    .replace(/^./, (c) => c.toUpperCase());
}

export function statusTone(status: string): ActivityTone {
  const s = status.toLowerCase();
  if (["success", "succeeded", "completed", "done", "ok"].includes(s)) return "ok";
  if (["failed", "error"].includes(s)) return "bad";
  return "pending";
}

const AUDIT_TITLES: Record<string, string> = {
  "event.create": "Event created",
  "event.update": "Event edited",
  "event.delete": "Event deleted",
  "event.transition": "Status changed",
};

/** A value of an audit snapshot as one short line. */
export function displayValue(value: unknown): string {
  if (value === null || value === undefined || value === "") return "—";
  if (typeof value === "boolean") return value ? "yes" : "no";
  if (typeof value === "string" || typeof value === "number") return String(value);
  const text = compactText(value);
  return text.length > 80 ? `${text.slice(0, 77)}…` : text;
}

/** Lists and objects as "a, b" and "key: value, …" rather than raw JSON. */
function compactText(value: unknown): string {
  if (Array.isArray(value)) return value.length === 0 ? "none" : value.map(compactText).join(", ");
  if (value && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>);
    if ("name" in (value as object)) return String((value as { name: unknown }).name);
    return entries.map(([k, v]) => `${k}: ${compactText(v)}`).join(", ");
  }
  if (value === null || value === undefined || value === "") return "—";
  if (typeof value === "boolean") return value ? "yes" : "no";
  return String(value);
}

/**
 * The fields whose value differs between an audit entry's before and after snapshots. Without a before
 * snapshot (a creation) only the fields given a value are listed.
 */
export function auditChanges(before: Record<string, unknown> | null, after: Record<string, unknown> | null): FieldChange[] {
  const keys = new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})]);
  const changes: FieldChange[] = [];
  for (const field of keys) {
    const a = before?.[field];
    const b = after?.[field];
    const shownBefore = displayValue(a);
    const shownAfter = displayValue(b);
    if (JSON.stringify(a) === JSON.stringify(b) || shownBefore === shownAfter) continue;
    changes.push({ field, before: before === null ? null : shownBefore, after: shownAfter });
  }
  return changes;
}

/** The same piece of work: same trigger, and the same asset and attempt where the entries name them. */
function sameRun(a: AutomationEntry, b: AutomationEntry): boolean {
  if (a.triggerType !== b.triggerType) return false;
  return ["assetId", "attempt"].every((key) => a.details?.[key] === undefined || a.details?.[key] === b.details?.[key]);
}

/**
 * The log is append-only: a job writes "pending" when it starts and a new row with its outcome when it
 * ends. A pending entry shows the outcome of the first later entry of the same run, once there is one.
 */
export function resolvePending(automation: AutomationEntry[]): AutomationEntry[] {
  const oldestFirst = [...automation].sort((a, b) => timeOf(a.timestamp) - timeOf(b.timestamp));
  const outcome = new Map<string, AutomationEntry["executionStatus"]>();
  oldestFirst.forEach((entry, index) => {
    if (statusTone(entry.executionStatus) !== "pending") return;
    const result = oldestFirst.slice(index + 1).find((later) => sameRun(entry, later) && statusTone(later.executionStatus) !== "pending");
    if (result) outcome.set(entry.automationId, result.executionStatus);
  });
  return automation.map((entry) => {
    const status = outcome.get(entry.automationId);
    return status ? { ...entry, executionStatus: status } : entry;
  });
}

/** Whether a timeline still waits on a job (and is worth reading again). */
export function hasPending(entries: ActivityEntry[]): boolean {
  return entries.some((entry) => entry.tone === "pending");
}

function fromAutomation(entry: AutomationEntry): ActivityEntry {
  const style = TRIGGER_STYLES[entry.triggerType];
  return {
    id: `automation-${entry.automationId}`,
    source: "automation",
    timestamp: entry.timestamp,
    title: humanize(entry.action),
    origin: `${style?.label ?? humanize(entry.triggerType)} automation`,
    kind: entry.triggerType,
    icon: style?.icon ?? DEFAULT_ICON,
    tone: statusTone(entry.executionStatus),
    status: entry.executionStatus,
    changes: [],
  };
}

function fromAudit(entry: AuditEntry): ActivityEntry {
  return {
    id: `audit-${entry.auditId}`,
    source: "audit",
    timestamp: entry.timestamp,
    title: AUDIT_TITLES[entry.action] ?? humanize(entry.action),
    origin: entry.actorType === "admin" ? "Admin" : humanize(entry.actorType),
    kind: "audit",
    icon: AUDIT_ICON,
    tone: "info",
    status: null,
    changes: auditChanges(entry.before, entry.after),
  };
}

function timeOf(iso: string): number {
  const t = Date.parse(iso);
  return Number.isNaN(t) ? 0 : t;
}

/** Both logs as one list, newest first; at the same instant the audit entry (the cause) comes after its effect. */
export function mergeActivity(automation: AutomationEntry[], audit: AuditEntry[]): ActivityEntry[] {
  const entries = [...resolvePending(automation).map(fromAutomation), ...audit.map(fromAudit)];
  return entries.sort((a, b) => timeOf(b.timestamp) - timeOf(a.timestamp) || (a.source === b.source ? 0 : a.source === "automation" ? -1 : 1));
}

export const PASSWORD_BUDGET_SPENT = "password.budget_spent";

/** When the newest "too many wrong passwords" entry stops applying, or null when none applies at `now`. */
export function passwordBudgetSpentUntil(automation: AutomationEntry[], now: Date): string | null {
  for (const entry of automation) {
    if (entry.action !== PASSWORD_BUDGET_SPENT) continue;
    const until = entry.details?.until;
    if (typeof until === "string" && timeOf(until) > now.getTime()) return until;
  }
  return null;
}
