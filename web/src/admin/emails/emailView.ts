// The email log's pure logic: the query in the URL and the words for types and statuses.
import type { EmailOut, EmailQuery, EmailStatus } from "../../api/types";

export const EMAILS_PAGE_SIZE = 25;

export const EMAIL_STATUS_LABELS: Record<EmailStatus, string> = {
  pending: "Pending",
  sent: "Sent",
  delivered: "Delivered",
  bounced: "Bounced",
  failed: "Failed",
};

const TYPE_LABELS: Record<string, string> = {
  access_code: "Access code",
  payment_receipt: "Receipt",
  refund_notice: "Refund",
};

/** "access_code" -> "Access code"; a type we do not know yet reads as its words. */
export function emailTypeLabel(type: string): string {
  return TYPE_LABELS[type] ?? type.replace(/[_.-]+/g, " ").replace(/^./, (c) => c.toUpperCase());
}

/** The outbox keeps the message in the log only: say so, instead of a bare "Sent". */
export function deliveryNote(email: Pick<EmailOut, "provider" | "status">): string | null {
  if (email.provider === "outbox" && email.status === "sent") return "Outbox: written to the server log (no SMTP)";
  return null;
}

export function queryFromParams(params: URLSearchParams): EmailQuery {
  const offset = Number(params.get("offset") ?? 0);
  return {
    type: params.get("type") ?? "",
    status: (params.get("status") ?? "") as EmailQuery["status"],
    recipient: params.get("recipient") ?? "",
    eventId: params.get("eventId") ?? "",
    limit: EMAILS_PAGE_SIZE,
    offset: Number.isInteger(offset) && offset > 0 ? offset : 0,
  };
}

export function hasFilters(query: EmailQuery): boolean {
  return Boolean(query.type || query.status || query.recipient || query.eventId);
}
