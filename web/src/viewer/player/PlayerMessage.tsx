import type { ReactNode } from "react";

/** A message in place of the picture: not started, ended, error with Retry, ... */
export function PlayerMessage({ title, children, action, testId }: { title: string; children?: ReactNode; action?: ReactNode; testId?: string }) {
  return (
    <div className="player-message" role="status" data-testid={testId}>
      <h2>{title}</h2>
      {children}
      {action}
    </div>
  );
}
