import { useCallback, useMemo } from "react";
import { Link, useParams } from "react-router-dom";
import { analytics } from "../../api/client";
import type { EventAnalytics } from "../../api/types";
import { formatShortDateTime } from "../../lib/time";
import { ErrorMessage, Spinner } from "../../shared/Status";
import { useAdminEvent } from "../useAdminEvent";
import "./analytics.css";
import { BarChart } from "./charts/BarChart";
import { FunnelChart } from "./charts/FunnelChart";
import { TimeSeriesChart } from "./charts/TimeSeriesChart";
import { DateRangePicker } from "./DateRangePicker";
import { formatCount, formatDuration, formatMs, formatPercent, formatRatio } from "./format";
import { EVENT_SPAN, isLongSpan, type ChoiceKey, type DashboardRange } from "./range";
import { RevenueTable } from "./RevenueTable";
import { barsSummary, breakdownBars, funnelOf, funnelSummary, timelinePoints, timelineSummary, type Dimension } from "./summaries";
import { ChartCard, StatTile, TileGrid } from "./Tiles";
import { useAnalytics } from "./useAnalytics";
import { useDashboardRange } from "./useDashboardRange";
import { useLiveViewers } from "./useLiveViewers";

const EVENT_CHOICES: ChoiceKey[] = [EVENT_SPAN, "24h", "7d"];

const BREAKDOWNS: { dimension: Dimension; title: string; testId: string }[] = [
  { dimension: "deviceType", title: "Devices", testId: "chart-devices" },
  { dimension: "browser", title: "Browsers", testId: "chart-browsers" },
  { dimension: "os", title: "Operating systems", testId: "chart-os" },
  { dimension: "country", title: "Countries", testId: "chart-countries" },
  { dimension: "rendition", title: "Renditions", testId: "chart-renditions" },
];

/** /admin/events/:eventId/analytics: one event's audience, watch time, quality and funnel over a date range. */
export default function EventAnalyticsPage() {
  const { eventId = "" } = useParams();
  const { range, version, choose, refresh } = useDashboardRange(EVENT_SPAN);
  const { event, error: eventError } = useAdminEvent(eventId, "Analytics");
  const load = useCallback((r: DashboardRange, signal: AbortSignal) => analytics.event(eventId, r, signal), [eventId]);
  const { data, error, loading } = useAnalytics(load, range, version, eventId);
  const live = useLiveViewers(eventId);


  return (
    <section className="page analytics-page" data-testid="event-analytics-page">
      <header className="page-header">
        <div>
          <Link to={`/admin/events/${eventId}`} className="back-link">← {event?.title ?? "Event"}</Link>
          <h1>
            Analytics{event ? <span className="muted"> · {event.title}</span> : null}
          </h1>
        </div>
        <div className="page-header-actions">
          <Link className="btn btn-secondary" to={`/admin/events/${eventId}/registrations`}>
            Registrations
          </Link>
          <a
            className="btn btn-secondary"
            href={range.error ? undefined : analytics.csvUrl(eventId, range)}
            aria-disabled={Boolean(range.error)}
            download
            data-testid="analytics-csv"
          >
            Download sessions CSV
          </a>
        </div>
      </header>
      <DateRangePicker range={range} choices={EVENT_CHOICES} onChoose={choose} onRefresh={refresh} busy={loading} />
      {data?.from && data.to ? (
        <p className="muted small" data-testid="analytics-range-shown">
          {formatShortDateTime(data.from)} – {formatShortDateTime(data.to)}
        </p>
      ) : null}
      <ErrorMessage testId="analytics-error">{eventError ?? error}</ErrorMessage>
      {data ? (
        <div className={loading ? "is-refreshing" : undefined} data-testid="analytics-loaded">
          <EventDashboard data={data} range={range} live={live} over={event ? isOverLive(event.eventType, event.status) : false} />
        </div>
      ) : loading ? (
        <Spinner label="Loading analytics…" />
      ) : null}
    </section>
  );
}

function useTimeFormat(range: DashboardRange, data: EventAnalytics) {
  return useMemo(() => {
    const points = data.concurrency.timeline;
    const start = Date.parse(range.from ?? data.from ?? points[0]?.at ?? "");
    const end = Date.parse(range.to ?? data.to ?? points[points.length - 1]?.at ?? "");
    const long = Number.isFinite(start) && Number.isFinite(end) && isLongSpan(start, end);
    const axis = new Intl.DateTimeFormat(undefined, long ? { month: "short", day: "numeric" } : { hour: "2-digit", minute: "2-digit" });
    const full = new Intl.DateTimeFormat(undefined, { month: "short", day: "numeric", hour: "2-digit", minute: "2-digit" });
    return { axis: (ms: number) => axis.format(ms), full: (ms: number) => full.format(ms) };
  }, [range.from, range.to, data.from, data.to, data.concurrency.timeline]);
}

/** A live event that is over has nobody watching it, whatever players still report. */
function isOverLive(eventType: string, status: string): boolean {
  return eventType === "live" && ["ended", "archived", "cancelled"].includes(status);
}

function EventDashboard({ data, range, live, over }: { data: EventAnalytics; range: DashboardRange; live: number | null; over: boolean }) {
  const time = useTimeFormat(range, data);
  const points = useMemo(() => timelinePoints(data.concurrency.timeline), [data.concurrency.timeline]);
  const funnel = funnelOf(data.funnel);
  const current = over ? 0 : live ?? data.concurrency.current;
  const vod = data.eventType === "vod";

  return (
    <>
      <TileGrid label="Audience" testId="analytics-tiles">
        <StatTile id="views" label="Views" value={formatCount(data.views)} raw={data.views} hint="playback sessions" />
        <StatTile id="unique-viewers" label="Unique viewers" value={formatCount(data.uniqueViewers)} raw={data.uniqueViewers} />
        <StatTile id="watch-time" label="Total watch time" value={formatDuration(data.totalWatchSeconds)} raw={data.totalWatchSeconds} />
        <StatTile id="average-watch-time" label="Average watch time" value={formatDuration(data.averageWatchSeconds)} raw={data.averageWatchSeconds} hint="per view" />
        <StatTile
          id="percent-watched"
          label="Average % watched"
          value={formatPercent(data.averagePercentWatched)}
          raw={data.averagePercentWatched}
          hint={vod ? "of the video" : "on-demand only"}
        />
        {data.finishes !== null ? (
          <StatTile id="finishes" label="Finishes" value={formatCount(data.finishes)} raw={data.finishes} hint="watched to the end" />
        ) : null}
        <StatTile
          id="peak"
          label="Peak concurrent"
          value={formatCount(data.concurrency.peak)}
          raw={data.concurrency.peak}
          hint={data.concurrency.peakAt ? `at ${formatShortDateTime(data.concurrency.peakAt)}` : "no viewers"}
        />
        <StatTile id="current" label="Watching now" value={formatCount(current)} raw={current} live hint={live === null ? "connecting…" : "live"} />
      </TileGrid>

      <ChartCard
        title="Concurrent viewers"
        empty={data.concurrency.peak === 0 || points.length === 0}
        emptyText="Nobody watched in this range."
        testId="card-concurrency"
      >
        <TimeSeriesChart
          points={points}
          stepMs={data.concurrency.stepSeconds * 1000}
          title="Concurrent viewers over time"
          summary={timelineSummary(points, time.full)}
          formatTime={time.axis}
          formatValue={(v) => formatCount(v)}
          testId="chart-concurrency"
        />
        {data.concurrency.stepSeconds > 60 ? (
          <p className="muted small">Each point is the peak of {formatDuration(data.concurrency.stepSeconds)}.</p>
        ) : null}
      </ChartCard>

      <div className="chart-grid-3">
        {BREAKDOWNS.map(({ dimension, title, testId }) => {
          const bars = breakdownBars(dimension, data.breakdowns[dimension]);
          return (
            <ChartCard key={dimension} title={title} empty={bars.length === 0} emptyText="No plays in this range." testId={`card-${testId.slice(6)}`}>
              <BarChart bars={bars} title={`${title} by sessions`} summary={barsSummary(bars, "session")} formatValue={(v) => formatCount(v)} testId={testId} />
            </ChartCard>
          );
        })}
      </div>

      <div className="chart-grid-2">
        <section className="card chart-card" data-testid="card-qoe">
          <h2>Quality of experience</h2>
          <div className="stat-grid stat-grid-compact">
            <StatTile id="startup-p50" label="Startup p50" value={formatMs(data.qoe.startupMsP50)} raw={data.qoe.startupMsP50} hint="play to first frame" />
            <StatTile id="startup-p95" label="Startup p95" value={formatMs(data.qoe.startupMsP95)} raw={data.qoe.startupMsP95} />
            <StatTile id="rebuffering" label="Rebuffering" value={formatRatio(data.qoe.rebufferingRatio, undefined, 2)} raw={data.qoe.rebufferingRatio} hint="of playing time stalled" />
            <StatTile id="failure-rate" label="Failure rate" value={formatRatio(data.qoe.playbackFailureRate)} raw={data.qoe.playbackFailureRate} hint="sessions ended by an error" />
          </div>
        </section>
        <ChartCard title="Funnel" empty={data.funnel.pageVisits === 0} emptyText="Nobody opened the event page in this range." testId="card-funnel">
          <FunnelChart
            steps={funnel}
            title="Funnel"
            summary={funnelSummary(funnel)}
            formatValue={(v) => formatCount(v)}
            formatShare={(r) => formatRatio(r)}
            testId="funnel"
          />
        </ChartCard>
      </div>

      <ChartCard title="Revenue" empty={data.revenue.length === 0} emptyText="No payments in this range." testId="card-revenue">
        <RevenueTable rows={data.revenue} />
      </ChartCard>
    </>
  );
}
