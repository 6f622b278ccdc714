import { useCallback, useEffect, useMemo } from "react";
import { Link } from "react-router-dom";
import { analytics } from "../../api/client";
import type { AnalyticsOverview } from "../../api/types";
import { ErrorMessage, Spinner } from "../../shared/Status";
import "./analytics.css";
import { BarChart, type Bar } from "./charts/BarChart";
import { DateRangePicker } from "./DateRangePicker";
import { formatCount, formatDuration } from "./format";
import type { DashboardRange } from "./range";
import { RevenueTable } from "./RevenueTable";
import { barsSummary } from "./summaries";
import { ChartCard, StatTile, TileGrid } from "./Tiles";
import { useAnalytics } from "./useAnalytics";
import { useDashboardRange } from "./useDashboardRange";

const TOP_EVENTS = 10;

/** /admin/analytics: every event with plays in the range, totals first. */
export default function AnalyticsOverviewPage() {
  const { range, version, choose, refresh } = useDashboardRange();
  const load = useCallback((r: DashboardRange, signal: AbortSignal) => analytics.overview(r, signal), []);
  const { data, error, loading } = useAnalytics(load, range, version);

  useEffect(() => {
    document.title = "Analytics · GoLive";
  }, []);

  return (
    <section className="page analytics-page" data-testid="analytics-overview-page">
      <header className="page-header">
        <h1>Analytics</h1>
      </header>
      <DateRangePicker range={range} onChoose={choose} onRefresh={refresh} busy={loading} />
      <ErrorMessage testId="analytics-error">{error}</ErrorMessage>
      {data ? (
        <div className={loading ? "is-refreshing" : undefined} data-testid="analytics-loaded">
          <Overview data={data} />
        </div>
      ) : loading ? (
        <Spinner label="Loading analytics…" />
      ) : null}
    </section>
  );
}

function Overview({ data }: { data: AnalyticsOverview }) {
  const bars: Bar[] = useMemo(
    () =>
      [...data.events]
        .sort((a, b) => b.views - a.views || b.totalWatchSeconds - a.totalWatchSeconds)
        .slice(0, TOP_EVENTS)
        .map((e) => ({ key: e.eventId, label: e.title || "Untitled event", value: e.views, detail: formatDuration(e.totalWatchSeconds) })),
    [data.events],
  );

  return (
    <>
      <TileGrid label="Totals" testId="analytics-tiles">
        <StatTile id="views" label="Views" value={formatCount(data.views)} raw={data.views} hint="playback sessions" />
        <StatTile id="unique-viewers" label="Unique viewers" value={formatCount(data.uniqueViewers)} raw={data.uniqueViewers} />
        <StatTile id="watch-time" label="Total watch time" value={formatDuration(data.totalWatchSeconds)} raw={data.totalWatchSeconds} />
        <StatTile id="events" label="Events watched" value={formatCount(data.events.length)} raw={data.events.length} hint="with plays in the range" />
      </TileGrid>

      <div className="chart-grid-2 chart-grid-wide">
        <ChartCard title="Top events" empty={bars.length === 0} emptyText="No event was played in this range." testId="card-top-events">
          <BarChart bars={bars} title="Top events by views" summary={barsSummary(bars, "view")} formatValue={(v) => formatCount(v)} testId="chart-top-events" width={460} />
        </ChartCard>
        <ChartCard title="Revenue" empty={data.revenue.length === 0} emptyText="No payments in this range." testId="card-revenue">
          <RevenueTable rows={data.revenue} />
        </ChartCard>
      </div>

      {data.events.length > 0 ? (
        <div className="table-wrap">
          <table className="table" data-testid="overview-table">
            <thead>
              <tr>
                <th scope="col">Event</th>
                <th scope="col">Type</th>
                <th scope="col" className="num">Views</th>
                <th scope="col" className="num">Unique viewers</th>
                <th scope="col" className="num">Watch time</th>
              </tr>
            </thead>
            <tbody>
              {data.events.map((e) => (
                <tr key={e.eventId} data-testid="overview-row" data-event-id={e.eventId}>
                  <td className="cell-title">
                    <Link to={`/admin/events/${e.eventId}/analytics`}>{e.title || "Untitled event"}</Link>
                  </td>
                  <td className="cell-muted" data-label="Type">{e.eventType === "vod" ? "On demand" : "Live"}</td>
                  <td className="num" data-label="Views" data-testid="overview-views">{formatCount(e.views)}</td>
                  <td className="num" data-label="Unique viewers">{formatCount(e.uniqueViewers)}</td>
                  <td className="num" data-label="Watch time">{formatDuration(e.totalWatchSeconds)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <div className="card empty-state" data-testid="overview-empty">
          <p>No event was played in this range.</p>
        </div>
      )}
    </>
  );
}
