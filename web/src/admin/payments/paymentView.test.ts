import { describe, expect, it } from "vitest";
import type { EventRevenue } from "../../api/types";
import { checkRefund, funnelBars, hasFilters, paidShare, queryFromParams, refundableAmount, totalsByCurrency } from "./paymentView";

describe("the payments query in the URL", () => {
  it("reads filters and a page offset", () => {
    const query = queryFromParams(new URLSearchParams("status=succeeded&provider=local&q=ann%40x.com&offset=25&eventId=evt_1"));
    expect(query).toEqual({ eventId: "evt_1", status: "succeeded", provider: "local", q: "ann@x.com", limit: 25, offset: 25 });
  });

  it("pins the event on its own page and ignores a bad offset", () => {
    const query = queryFromParams(new URLSearchParams("eventId=other&offset=-3"), "evt_9");
    expect(query.eventId).toBe("evt_9");
    expect(query.offset).toBe(0);
    expect(hasFilters(query, "evt_9")).toBe(false);
    expect(hasFilters({ ...query, status: "failed" }, "evt_9")).toBe(true);
  });
});

describe("refunds", () => {
  const paid = { status: "succeeded" as const, amount: 2500, refundedAmount: 0 };

  it("offers what is left of a succeeded payment only", () => {
    expect(refundableAmount(paid)).toBe(2500);
    expect(refundableAmount({ ...paid, refundedAmount: 1000 })).toBe(1500);
    expect(refundableAmount({ ...paid, status: "refunded", refundedAmount: 2500 })).toBe(0);
    expect(refundableAmount({ ...paid, status: "pending" })).toBe(0);
    expect(refundableAmount({ ...paid, status: "failed" })).toBe(0);
  });

  it("refunds everything left for a full refund", () => {
    expect(checkRefund({ mode: "full" }, 1500, "USD")).toEqual({ ok: true, amount: 1500, isFull: true });
  });

  it("reads a partial amount in major units of the currency", () => {
    expect(checkRefund({ mode: "partial", amountText: "10.50" }, 2500, "USD")).toEqual({ ok: true, amount: 1050, isFull: false });
    expect(checkRefund({ mode: "partial", amountText: "25" }, 2500, "EUR")).toEqual({ ok: true, amount: 2500, isFull: true });
    expect(checkRefund({ mode: "partial", amountText: "500" }, 1000, "JPY")).toEqual({ ok: true, amount: 500, isFull: false });
  });

  it("refuses amounts that are empty, malformed, zero or too large", () => {
    expect(checkRefund({ mode: "partial", amountText: "" }, 2500, "USD")).toMatchObject({ ok: false, error: "Enter the amount to refund." });
    expect(checkRefund({ mode: "partial", amountText: "1.234" }, 2500, "USD")).toMatchObject({ ok: false });
    expect(checkRefund({ mode: "partial", amountText: "0" }, 2500, "USD")).toMatchObject({ ok: false, error: "The amount must be more than zero." });
    const tooMuch = checkRefund({ mode: "partial", amountText: "30" }, 2500, "USD");
    expect(tooMuch.ok).toBe(false);
    if (!tooMuch.ok) expect(tooMuch.error).toContain("25.00");
    expect(checkRefund({ mode: "full" }, 0, "USD")).toMatchObject({ ok: false });
  });
});

describe("revenue totals", () => {
  const row = (eventId: string, currency: string, gross: number, refunded: number, payments: number): EventRevenue => ({
    eventId,
    eventTitle: eventId,
    currency,
    grossAmount: gross,
    refundedAmount: refunded,
    netAmount: gross - refunded,
    succeededPayments: payments,
  });

  it("adds up per currency, never across currencies", () => {
    const totals = totalsByCurrency([row("a", "USD", 5000, 1000, 2), row("b", "USD", 2500, 0, 1), row("c", "EUR", 9000, 0, 3)]);
    expect(totals).toEqual([
      { currency: "EUR", gross: 9000, refunded: 0, net: 9000, payments: 3, events: 1 },
      { currency: "USD", gross: 7500, refunded: 1000, net: 6500, payments: 3, events: 2 },
    ]);
  });
});

describe("viewer funnel", () => {
  const rows = [
    { accessMode: "form" as const, paymentStatus: "none" as const, viewers: 7 },
    { accessMode: "form" as const, paymentStatus: "success" as const, viewers: 3 },
    { accessMode: "email" as const, paymentStatus: "success" as const, viewers: 5 },
    { accessMode: "email" as const, paymentStatus: "pending" as const, viewers: 0 },
  ];

  it("lists paid viewers first, drops empty rows and labels each bar", () => {
    expect(funnelBars(rows)).toEqual([
      { key: "email:success", label: "Email code · Paid", value: 5 },
      { key: "form:success", label: "Form · Paid", value: 3 },
      { key: "form:none", label: "Form · No payment", value: 7 },
    ]);
  });

  it("gives the share of viewers who paid", () => {
    expect(paidShare(rows, 15)).toBeCloseTo(8 / 15);
    expect(paidShare([], 0)).toBeNull();
  });
});
