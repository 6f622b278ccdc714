import { describe, expect, it } from "vitest";
import type { AuditEntry, AutomationEntry } from "../../api/types";
import { auditChanges, displayValue, hasPending, humanize, mergeActivity, passwordBudgetSpentUntil, resolvePending } from "./activity";

const automation = (id: string, timestamp: string, extra: Partial<AutomationEntry> = {}): AutomationEntry => ({
  automationId: id,
  eventId: "ev",
  triggerType: "preStart",
  action: "transition.live",
  executionStatus: "success",
  timestamp,
  details: {},
  ...extra,
});

const audit = (id: string, timestamp: string, extra: Partial<AuditEntry> = {}): AuditEntry => ({
  auditId: id,
  actorType: "admin",
  actorId: "a1",
  action: "event.update",
  entityType: "event",
  entityId: "ev",
  before: { title: "Old" },
  after: { title: "New" },
  timestamp,
  ...extra,
});

describe("activity timeline", () => {
  it("merges both logs newest first", () => {
    const merged = mergeActivity(
      [automation("m1", "2025-05-01T10:00:00Z"), automation("m2", "2025-05-03T10:00:00Z")],
      [audit("a1", "2025-05-02T10:00:00Z")],
    );
    expect(merged.map((e) => e.id)).toEqual(["automation-m2", "audit-a1", "automation-m1"]);
  });

  it("compares instants, not strings, across time-zone formats", () => {
    const merged = mergeActivity([automation("m1", "2025-05-01T12:00:00+02:00")], [audit("a1", "2025-05-01T10:30:00Z")]);
    expect(merged.map((e) => e.id)).toEqual(["audit-a1", "automation-m1"]);
  });

  it("styles automation entries by trigger and status", () => {
    const [entry] = mergeActivity([automation("m1", "2025-05-01T10:00:00Z", { triggerType: "transcode", executionStatus: "failed", action: "transcode.failed" })], []);
    expect(entry).toMatchObject({ kind: "transcode", icon: "▤", tone: "bad", title: "Transcode failed", origin: "Transcode automation" });
  });

  it("shows only the fields an audit entry changed", () => {
    expect(auditChanges({ title: "A", isPaidEvent: false, priceAmount: null }, { title: "B", isPaidEvent: true, priceAmount: 1000 })).toEqual([
      { field: "title", before: "A", after: "B" },
      { field: "isPaidEvent", before: "no", after: "yes" },
      { field: "priceAmount", before: "—", after: "1000" },
    ]);
    expect(auditChanges({ status: "draft" }, { status: "draft" })).toEqual([]);
    expect(auditChanges(null, { title: "Created", description: "", thumbnailUrl: null })).toEqual([{ field: "title", before: null, after: "Created" }]);
  });

  it("shows lists and settings without raw JSON", () => {
    expect(displayValue({ allowed_domains: [], autoplay: false, primary_color: null })).toBe("allowed_domains: none, autoplay: no, primary_color: —");
    expect(displayValue([{ name: "company", label: "Company" }, { name: "role" }])).toBe("company, role");
  });

  it("keeps long values to one short line", () => {
    const long = displayValue({ fields: "x".repeat(200) });
    expect(long.length).toBeLessThanOrEqual(78);
    expect(long.endsWith("…")).toBe(true);
  });

  it("humanizes action names", () => {
    expect(humanize("transition.live")).toBe("Transition live");
    expect(humanize("paymentSetup")).toBe("Payment setup");
  });
});

describe("password guess notice", () => {
  const spent = (until: string) =>
    automation("p1", "2025-05-01T10:00:00Z", { triggerType: "security", action: "password.budget_spent", details: { until } });

  it("applies until the time the entry names", () => {
    const now = new Date("2025-05-01T10:02:00Z");
    expect(passwordBudgetSpentUntil([spent("2025-05-01T10:05:00Z")], now)).toBe("2025-05-01T10:05:00Z");
    expect(passwordBudgetSpentUntil([spent("2025-05-01T10:01:00Z")], now)).toBeNull();
  });

  it("ignores other entries", () => {
    expect(passwordBudgetSpentUntil([automation("m1", "2025-05-01T10:00:00Z")], new Date("2025-05-01T10:00:00Z"))).toBeNull();
  });
});

describe("resolvePending", () => {
  const entry = (id: string, action: string, status: AutomationEntry["executionStatus"], at: string, details: Record<string, unknown>): AutomationEntry => ({
    automationId: id, eventId: "ev", triggerType: "transcode", action, executionStatus: status, timestamp: at, details,
  });

  it("shows a started job's outcome once its end is logged", () => {
    const started = entry("a1", "transcode.start", "pending", "2026-01-01T10:00:00Z", { assetId: "x", attempt: 1 });
    const ended = entry("a2", "transcode.end", "success", "2026-01-01T10:00:15Z", { assetId: "x", attempt: 1 });
    const other = entry("a3", "transcode.start", "pending", "2026-01-01T10:01:00Z", { assetId: "y", attempt: 1 });
    const resolved = resolvePending([other, ended, started]);
    expect(resolved.map((e) => e.executionStatus)).toEqual(["pending", "success", "success"]);
    const timeline = mergeActivity([ended, started], []);
    expect(hasPending(timeline)).toBe(false);
  });

  it("keeps a failed attempt apart from the retry that succeeded", () => {
    const first = entry("b1", "transcode.start", "pending", "2026-01-01T10:00:00Z", { assetId: "x", attempt: 1 });
    const failed = entry("b2", "transcode.end", "failed", "2026-01-01T10:00:05Z", { assetId: "x", attempt: 1 });
    const second = entry("b3", "transcode.start", "pending", "2026-01-01T10:00:10Z", { assetId: "x", attempt: 2 });
    expect(resolvePending([second, failed, first]).map((e) => e.executionStatus)).toEqual(["pending", "failed", "failed"]);
  });
});
