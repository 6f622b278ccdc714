import type { FormEvent, ReactNode } from "react";

interface Props {
  /** The form's test id; its heading's id is `${testId}-title`. */
  testId: string;
  /** Prefix of the error's and the submit button's test ids (`gate-error`, `account-submit`, …). */
  part: string;
  heading: "h1" | "h2";
  className: string;
  title: string;
  intro?: ReactNode;
  error: string | null;
  busy: boolean;
  submitLabel: string;
  onSubmit: () => void;
  children?: ReactNode;
  footer?: ReactNode;
}

/** A card-shaped form: heading, intro, the server's message, fields and one submit button that waits. */
export function FormCard({ testId, part, heading: Heading, className, title, intro, error, busy, submitLabel, onSubmit, children, footer }: Props) {
  function submit(e: FormEvent) {
    e.preventDefault();
    if (!busy) onSubmit();
  }
  return (
    <form className={className} onSubmit={submit} noValidate data-testid={testId} aria-labelledby={`${testId}-title`}>
      <Heading id={`${testId}-title`}>{title}</Heading>
      {intro ? <div className="gate-intro">{intro}</div> : null}
      {error ? (
        <div className="alert alert-error" role="alert" data-testid={`${part}-error`}>
          {error}
        </div>
      ) : null}
      {children}
      <button type="submit" className="btn btn-primary btn-block btn-large" disabled={busy} data-testid={`${part}-submit`}>
        {busy ? "Please wait…" : submitLabel}
      </button>
      {footer}
    </form>
  );
}
