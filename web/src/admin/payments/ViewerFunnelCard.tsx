import { payments } from "../../api/client";
import { useApi } from "../../api/useApi";
import { BarChart } from "../analytics/charts/BarChart";
import { formatCount, formatRatio } from "../analytics/format";
import { funnelBars, paidShare } from "./paymentView";

/** The event's registered viewers by access mode and payment status, as bars. */
export function ViewerFunnelCard({ eventId, refreshKey }: { eventId: string; refreshKey: number }) {
  const { data: funnel, error } = useApi((signal) => payments.funnel(eventId, signal), [eventId, refreshKey]);

  const bars = funnel ? funnelBars(funnel.items) : [];
  const share = funnel ? paidShare(funnel.items, funnel.total) : null;
  const summary = bars.map((b) => `${b.label} ${b.value}`).join(", ") || "no viewers";

  return (
    <section className="card chart-card funnel-card" data-testid="viewer-funnel" data-total={funnel?.total ?? ""}>
      <h2>Viewers by access and payment</h2>
      {error ? <p className="text-danger small" role="alert">{error}</p> : null}
      {funnel ? (
        <>
          <p className="muted small" data-testid="viewer-funnel-total">
            {formatCount(funnel.total)} registered{share !== null ? ` · ${formatRatio(share)} paid` : ""}
          </p>
          {bars.length > 0 ? (
            <BarChart bars={bars} title="Viewers by access and payment" summary={summary} formatValue={formatCount} testId="viewer-funnel-chart" width={420} />
          ) : (
            <p className="chart-empty muted">Nobody has registered yet.</p>
          )}
        </>
      ) : null}
    </section>
  );
}
