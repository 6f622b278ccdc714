import { useCallback, useEffect, useMemo, useState, type ReactNode } from "react";
import { Link, useParams, useSearchParams } from "react-router-dom";
import { events as eventsApi, payments } from "../../api/client";
import type { AdminEvent, PaymentOut, PaymentQuery } from "../../api/types";
import { useApi } from "../../api/useApi";
import { formatPrice } from "../../lib/money";
import { ErrorMessage, Spinner } from "../../shared/Status";
import { useAdminSession } from "../adminSession";
import { Pagination } from "../events/Pagination";
import { canRefund } from "../permissions";
import { useAdminEvent } from "../useAdminEvent";
import { PaymentsFilters } from "./PaymentsFilters";
import { PaymentsTable } from "./PaymentsTable";
import { PAYMENTS_PAGE_SIZE, hasFilters, queryFromParams } from "./paymentView";
import { RefundDialog } from "./RefundDialog";
import { RevenuePanel } from "./RevenuePanel";
import { ViewerFunnelCard } from "./ViewerFunnelCard";
import "../analytics/analytics.css";
import "../dialog/dialog.css";
import "./payments.css";

/** /admin/payments (every event) and /admin/events/:eventId/payments (one event, with its viewer funnel). */
export default function PaymentsPage() {
  const { eventId: fixedEventId } = useParams();
  return fixedEventId ? <EventPayments eventId={fixedEventId} /> : <AllPayments />;
}

function AllPayments() {
  // The event filter's choices; without them it lists none, and the payments still load.
  const paidEvents = useApi((signal) => eventsApi.list({ isPaid: "true", sort: "-createdAt", limit: 100 }, signal), []);

  useEffect(() => {
    document.title = "Payments · GoLive";
  }, []);

  return <PaymentsScreen title="Payments" events={paidEvents.data?.items ?? []} />;
}

function EventPayments({ eventId }: { eventId: string }) {
  const { event, error } = useAdminEvent(eventId, "Payments");
  return (
    <PaymentsScreen
      title="Payments"
      fixedEventId={eventId}
      eventError={error}
      back={<Link to={`/admin/events/${eventId}`} className="back-link">← {event?.title ?? "Event"}</Link>}
      subtitle={event && !event.isPaidEvent ? "This event is free; it has payments only if it was paid before." : null}
      events={null}
    />
  );
}

interface ScreenProps {
  title: string;
  fixedEventId?: string;
  eventError?: string | null;
  back?: ReactNode;
  subtitle?: string | null;
  /** The event filter's choices; null on one event's page. */
  events: Pick<AdminEvent, "eventId" | "title">[] | null;
}

function PaymentsScreen({ title, fixedEventId, eventError, back, subtitle, events }: ScreenProps) {
  const [params, setParams] = useSearchParams();
  const query = useMemo(() => queryFromParams(params, fixedEventId), [params, fixedEventId]);
  const { admin } = useAdminSession();
  const mayRefund = canRefund(admin?.role);
  const [refunding, setRefunding] = useState<PaymentOut | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [funnelVersion, setFunnelVersion] = useState(0);
  const selectedEventId = query.eventId || undefined;
  const list = useApi((signal) => payments.list(query, signal), [query]);
  const page = list.data;
  // another event's figures must not stand in while this one's load
  const revenue = useApi((signal) => payments.revenue(selectedEventId, signal), [selectedEventId], { resetOnChange: true });

  /** A refund changed the ledger: the list, the takings and the funnel are read again. */
  const reloadAll = () => {
    list.reload();
    revenue.reload();
    setFunnelVersion((v) => v + 1);
  };

  const update = useCallback(
    (patch: Partial<PaymentQuery>) => {
      setParams((current) => {
        const next = new URLSearchParams(current);
        for (const [key, value] of Object.entries(patch)) {
          if (key === "eventId" && fixedEventId) continue;
          if (value === "" || value == null || (key === "offset" && value === 0)) next.delete(key);
          else next.set(key, String(value));
        }
        if (!("offset" in patch)) next.delete("offset");
        return next;
      });
      setNotice(null);
    },
    [setParams, fixedEventId],
  );

  function refunded(payment: PaymentOut) {
    const before = refunding?.paymentId === payment.paymentId ? refunding.refundedAmount : 0;
    setRefunding(null);
    const what = payment.status === "refunded" ? "fully refunded" : `${formatPrice(payment.amount - payment.refundedAmount, payment.currency)} left`;
    setNotice(`Refunded ${formatPrice(payment.refundedAmount - before, payment.currency)} to ${payment.viewerEmail ?? "the viewer"} (${what}).`);
    list.setData((current) => current && { ...current, items: current.items.map((p) => (p.paymentId === payment.paymentId ? payment : p)) });
    reloadAll();
  }

  return (
    <section className="page payments-page" data-testid="payments-page">
      <header className="page-header">
        <div>
          {back}
          <h1>
            {title}
            {page ? <span className="muted"> · {page.total}</span> : null}
          </h1>
          {subtitle ? <p className="muted small">{subtitle}</p> : null}
        </div>
        <div className="page-header-actions">
          {!mayRefund ? <span className="muted small" data-testid="payments-read-only">Read-only: refunds need the admin role.</span> : null}
          <a className="btn btn-secondary" href={payments.csvUrl(query)} download data-testid="payments-csv">
            Download CSV
          </a>
        </div>
      </header>

      <ErrorMessage testId="payments-error">{eventError ?? list.error ?? revenue.error}</ErrorMessage>
      {notice ? <div className="alert alert-success" role="status" data-testid="payments-notice">{notice}</div> : null}

      <div className={selectedEventId ? "payments-summary payments-summary-event" : "payments-summary"}>
        {revenue.data ? <RevenuePanel rows={revenue.data.items} showEvents={!selectedEventId} /> : <Spinner label="Loading revenue…" />}
        {selectedEventId ? <ViewerFunnelCard eventId={selectedEventId} refreshKey={funnelVersion} /> : null}
      </div>

      <h2 className="section-title">Payments</h2>
      <PaymentsFilters query={query} onChange={update} events={events} />
      {page && page.items.length > 0 ? (
        <div className={list.loading ? "is-refreshing" : undefined}>
          <PaymentsTable items={page.items} showEvent={!fixedEventId} onRefund={mayRefund ? setRefunding : null} />
          <Pagination total={page.total} limit={page.limit || PAYMENTS_PAGE_SIZE} offset={page.offset} onChange={(offset) => update({ offset })} />
        </div>
      ) : list.loading ? (
        <Spinner />
      ) : page ? (
        <div className="card empty-state" data-testid="payments-empty">
          <p>{hasFilters(query, fixedEventId) ? "No payments match these filters." : "No payments yet."}</p>
        </div>
      ) : null}

      {refunding ? (
        <RefundDialog
          payment={refunding}
          onClose={(changed) => {
            setRefunding(null);
            if (changed) reloadAll();
          }}
          onRefunded={refunded}
        />
      ) : null}
    </section>
  );
}
