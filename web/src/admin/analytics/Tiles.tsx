import type { ReactNode } from "react";

interface TileProps {
  id: string;
  label: string;
  value: string;
  /** The raw figure, for tests and tooling. */
  raw?: number | null;
  hint?: ReactNode;
  live?: boolean;
}

/** One figure of the dashboard: label, big value, a hint below. */
export function StatTile({ id, label, value, raw, hint, live = false }: TileProps) {
  return (
    <div className={`stat-tile${live ? " stat-tile-live" : ""}`} data-testid={`analytics-tile-${id}`} data-value={raw ?? ""}>
      <div className="stat-label">
        {live ? <span className="live-dot" aria-hidden="true" /> : null}
        {label}
      </div>
      <div className="stat-value" data-testid={`analytics-tile-${id}-value`} aria-live={live ? "polite" : undefined}>
        {value}
      </div>
      {hint ? <div className="stat-hint">{hint}</div> : null}
    </div>
  );
}

export function TileGrid({ children, label, testId }: { children: ReactNode; label: string; testId?: string }) {
  return (
    <section className="stat-grid" aria-label={label} data-testid={testId}>
      {children}
    </section>
  );
}

/** A card with a heading around a chart, or the empty state when there is nothing to draw. */
export function ChartCard({
  title,
  children,
  empty,
  emptyText = "No data in this range.",
  className = "",
  testId,
}: {
  title: string;
  children: ReactNode;
  empty: boolean;
  emptyText?: string;
  className?: string;
  testId?: string;
}) {
  return (
    <section className={`card chart-card ${className}`} data-testid={testId}>
      <h2>{title}</h2>
      {empty ? (
        <p className="chart-empty muted" data-testid={testId ? `${testId}-empty` : "chart-empty"}>
          {emptyText}
        </p>
      ) : (
        children
      )}
    </section>
  );
}
