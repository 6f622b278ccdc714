// The payments screens' pure logic: the query in the URL, what may be refunded, revenue totals and the
// viewer funnel's bars.
import type { AccessType, EventRevenue, FunnelRow, LedgerStatus, PaymentOut, PaymentQuery, PaymentStatus } from "../../api/types";
import { formatPrice, majorToMinor } from "../../lib/money";

export const PAYMENTS_PAGE_SIZE = 25;

export const PAYMENT_STATUS_LABELS: Record<LedgerStatus, string> = {
  created: "Created",
  pending: "Pending",
  succeeded: "Succeeded",
  failed: "Failed",
  expired: "Expired",
  refunded: "Refunded",
};

export const PROVIDER_LABELS: Record<string, string> = { local: "Test provider", stripe: "Stripe" };

export function providerLabel(provider: string): string {
  return PROVIDER_LABELS[provider] ?? provider;
}

/** The list's query from the URL; on an event's own payments page its id is fixed. */
export function queryFromParams(params: URLSearchParams, eventId?: string): PaymentQuery {
  const offset = Number(params.get("offset") ?? 0);
  return {
    eventId: eventId ?? params.get("eventId") ?? "",
    status: (params.get("status") ?? "") as PaymentQuery["status"],
    provider: (params.get("provider") ?? "") as PaymentQuery["provider"],
    q: params.get("q") ?? "",
    limit: PAYMENTS_PAGE_SIZE,
    offset: Number.isInteger(offset) && offset > 0 ? offset : 0,
  };
}

export function hasFilters(query: PaymentQuery, fixedEventId?: string): boolean {
  return Boolean(query.q || query.status || query.provider || (query.eventId && query.eventId !== fixedEventId));
}

/** What is left to refund of a payment (minor units); 0 when it cannot be refunded. */
export function refundableAmount(payment: Pick<PaymentOut, "status" | "amount" | "refundedAmount">): number {
  if (payment.status !== "succeeded") return 0;
  return Math.max(0, payment.amount - payment.refundedAmount);
}

export type RefundChoice = { mode: "full" } | { mode: "partial"; amountText: string };

export type RefundCheck = { ok: true; amount: number; isFull: boolean } | { ok: false; error: string };

/** A full refund of what is left, or a partial amount in the payment's currency, above 0 and not above what is left. */
export function checkRefund(choice: RefundChoice, remaining: number, currency: string): RefundCheck {
  if (remaining <= 0) return { ok: false, error: "Nothing is left to refund on this payment." };
  if (choice.mode === "full") return { ok: true, amount: remaining, isFull: true };
  if (!choice.amountText.trim()) return { ok: false, error: "Enter the amount to refund." };
  const amount = majorToMinor(choice.amountText, currency);
  if (amount === null) return { ok: false, error: `Enter an amount in ${currency}, like ${formatPrice(Math.min(remaining, 1000), currency, "en-US")}.` };
  if (amount <= 0) return { ok: false, error: "The amount must be more than zero." };
  if (amount > remaining) return { ok: false, error: `At most ${formatPrice(remaining, currency)} can be refunded.` };
  return { ok: true, amount, isFull: amount === remaining };
}

export interface CurrencyTotal {
  currency: string;
  gross: number;
  refunded: number;
  net: number;
  payments: number;
  events: number;
}

/** Revenue summed per currency across events (amounts in different currencies are never added up). */
export function totalsByCurrency(rows: readonly EventRevenue[]): CurrencyTotal[] {
  const totals = new Map<string, CurrencyTotal>();
  for (const row of rows) {
    const total = totals.get(row.currency) ?? { currency: row.currency, gross: 0, refunded: 0, net: 0, payments: 0, events: 0 };
    total.gross += row.grossAmount;
    total.refunded += row.refundedAmount;
    total.net += row.netAmount;
    total.payments += row.succeededPayments;
    total.events += 1;
    totals.set(row.currency, total);
  }
  return [...totals.values()].sort((a, b) => b.net - a.net || a.currency.localeCompare(b.currency));
}

export const ACCESS_MODE_LABELS: Record<AccessType, string> = {
  anonymous: "Open",
  form: "Form",
  password: "Password",
  email: "Email code",
  account: "Account",
};

export const VIEWER_PAYMENT_LABELS: Record<PaymentStatus, string> = {
  none: "No payment",
  pending: "Payment pending",
  success: "Paid",
  failed: "Payment failed",
  refunded: "Refunded",
};

const PAYMENT_ORDER: PaymentStatus[] = ["success", "pending", "failed", "refunded", "none"];

export interface FunnelBar {
  key: string;
  label: string;
  value: number;
}

/** One bar per access mode and payment status with viewers, paid first, then by count. */
export function funnelBars(rows: readonly FunnelRow[]): FunnelBar[] {
  return rows
    .filter((row) => row.viewers > 0)
    .slice()
    .sort(
      (a, b) =>
        PAYMENT_ORDER.indexOf(a.paymentStatus) - PAYMENT_ORDER.indexOf(b.paymentStatus) ||
        b.viewers - a.viewers ||
        a.accessMode.localeCompare(b.accessMode),
    )
    .map((row) => ({
      key: `${row.accessMode}:${row.paymentStatus}`,
      label: `${ACCESS_MODE_LABELS[row.accessMode] ?? row.accessMode} · ${VIEWER_PAYMENT_LABELS[row.paymentStatus] ?? row.paymentStatus}`,
      value: row.viewers,
    }));
}

/** Viewers who paid out of all registered viewers (0-1); null with no viewers. */
export function paidShare(rows: readonly FunnelRow[], total: number): number | null {
  if (total <= 0) return null;
  return rows.filter((r) => r.paymentStatus === "success").reduce((sum, r) => sum + r.viewers, 0) / total;
}
