/** A horizontal progress bar with its percentage, e.g. an upload or a transcode. */
export function ProgressBar({ percent, label, testId, variant }: { percent: number; label: string; testId?: string; variant?: "transcode" }) {
  return (
    <div className="progress-row">
      <div
        className={`progress${variant ? ` progress-${variant}` : ""}`}
        role="progressbar"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={percent}
        data-testid={testId}
        data-percent={percent}
      >
        <div className="progress-fill" style={{ width: `${percent}%` }} />
      </div>
      <span className="progress-label" data-testid={testId ? `${testId}-label` : undefined}>{percent}%</span>
    </div>
  );
}
