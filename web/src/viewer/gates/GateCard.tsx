import type { FormEvent, ReactNode } from "react";

interface Props {
  kind: "anonymous" | "form" | "password" | "email" | "purchase" | "invited";
  title: string;
  intro?: ReactNode;
  error: string | null;
  busy: boolean;
  submitLabel: string;
  onSubmit: () => void;
  children?: ReactNode;
  footer?: ReactNode;
}

/** The frame shared by all gates: heading, error, fields and the submit button. */
export function GateCard({ kind, title, intro, error, busy, submitLabel, onSubmit, children, footer }: Props) {
  function submit(e: FormEvent) {
    e.preventDefault();
    if (!busy) onSubmit();
  }
  return (
    <form className="gate-card" onSubmit={submit} noValidate data-testid={`gate-${kind}`} aria-labelledby={`gate-${kind}-title`}>
      <h2 id={`gate-${kind}-title`}>{title}</h2>
      {intro ? <div className="gate-intro">{intro}</div> : null}
      {error ? (
        <div className="alert alert-error" role="alert" data-testid="gate-error">
          {error}
        </div>
      ) : null}
      {children}
      <button type="submit" className="btn btn-primary btn-block btn-large" disabled={busy} data-testid="gate-submit">
        {busy ? "Please wait…" : submitLabel}
      </button>
      {footer}
    </form>
  );
}
