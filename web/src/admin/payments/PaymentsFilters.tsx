import { useCallback } from "react";
import { LEDGER_STATUSES, type AdminEvent, type PaymentQuery } from "../../api/types";
import { useDebouncedSearch } from "../useDebouncedSearch";
import { PAYMENT_STATUS_LABELS, PROVIDER_LABELS } from "./paymentView";

interface Props {
  query: PaymentQuery;
  onChange: (patch: Partial<PaymentQuery>) => void;
  /** Events to filter by; none on an event's own payments page. */
  events: Pick<AdminEvent, "eventId" | "title">[] | null;
}

/** Search by email or payment id, and filter by event, status and provider. */
export function PaymentsFilters({ query, onChange, events }: Props) {
  const commitSearch = useCallback((q: string) => onChange({ q }), [onChange]);
  const [q, setQ] = useDebouncedSearch(query.q, commitSearch);
  const selectedMissing = events && query.eventId && !events.some((e) => e.eventId === query.eventId);

  return (
    <div className={`filters payments-filters${events ? "" : " payments-filters-event"}`} role="search">
      <label className="visually-hidden" htmlFor="payments-search">Search payments</label>
      <input id="payments-search" type="search" placeholder="Search email or payment id…" value={q} onChange={(e) => setQ(e.target.value)} data-testid="payments-search" />
      {events ? (
        <>
          <label className="visually-hidden" htmlFor="filter-payment-event">Event</label>
          <select id="filter-payment-event" value={query.eventId ?? ""} onChange={(e) => onChange({ eventId: e.target.value })} data-testid="filter-payment-event">
            <option value="">All events</option>
            {selectedMissing ? <option value={query.eventId}>{query.eventId}</option> : null}
            {events.map((e) => (
              <option key={e.eventId} value={e.eventId}>{e.title}</option>
            ))}
          </select>
        </>
      ) : null}
      <label className="visually-hidden" htmlFor="filter-payment-status">Status</label>
      <select id="filter-payment-status" value={query.status ?? ""} onChange={(e) => onChange({ status: e.target.value as PaymentQuery["status"] })} data-testid="filter-payment-status">
        <option value="">Any status</option>
        {LEDGER_STATUSES.map((s) => (
          <option key={s} value={s}>{PAYMENT_STATUS_LABELS[s]}</option>
        ))}
      </select>
      <label className="visually-hidden" htmlFor="filter-payment-provider">Provider</label>
      <select id="filter-payment-provider" value={query.provider ?? ""} onChange={(e) => onChange({ provider: e.target.value as PaymentQuery["provider"] })} data-testid="filter-payment-provider">
        <option value="">Any provider</option>
        {Object.entries(PROVIDER_LABELS).map(([value, label]) => (
          <option key={value} value={value}>{label}</option>
        ))}
      </select>
    </div>
  );
}
