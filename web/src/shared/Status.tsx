import type { ReactNode } from "react";

export function Spinner({ label = "Loading…" }: { label?: string }) {
  return (
    <div className="spinner-wrap" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" />
      <span className="visually-hidden">{label}</span>
    </div>
  );
}

export function PageLoading() {
  return (
    <div className="page-loading">
      <Spinner />
    </div>
  );
}

/** A message box for errors of a whole form or page. */
export function ErrorMessage({ children, testId = "error-message" }: { children: ReactNode; testId?: string }) {
  if (!children) return null;
  return (
    <div className="alert alert-error" role="alert" data-testid={testId}>
      {children}
    </div>
  );
}

export function NotFoundPage() {
  return (
    <main className="centered-page">
      <h1>Page not found</h1>
      <p>The address you opened does not exist.</p>
    </main>
  );
}
