import type { ReactNode } from "react";

interface FieldProps {
  id: string;
  label: ReactNode;
  error?: string | null;
  hint?: ReactNode;
  errorTestId?: string;
  /** Checkbox fields put the label after the control. */
  inline?: boolean;
  children: ReactNode;
}

/** A labelled form control with its hint and its error message underneath. */
export function Field({ id, label, error, hint, errorTestId, inline = false, children }: FieldProps) {
  return (
    <div className={`field${inline ? " field-inline" : ""}${error ? " field-has-error" : ""}`}>
      {inline ? (
        <label className="field-checkbox" htmlFor={id}>
          {children}
          <span>{label}</span>
        </label>
      ) : (
        <>
          <label className="field-label" htmlFor={id}>
            {label}
          </label>
          {children}
        </>
      )}
      {hint && !error ? <div className="field-hint" id={`${id}-hint`}>{hint}</div> : null}
      {error ? (
        <div className="field-error" id={`${id}-error`} role="alert" data-testid={errorTestId}>
          {error}
        </div>
      ) : null}
    </div>
  );
}

/** Props that tie an input to its error for screen readers. */
export function describedBy(id: string, error?: string | null, hasHint?: boolean) {
  const ids = [error ? `${id}-error` : null, hasHint && !error ? `${id}-hint` : null].filter(Boolean);
  return {
    "aria-invalid": error ? true : undefined,
    "aria-describedby": ids.length ? ids.join(" ") : undefined,
  } as const;
}
