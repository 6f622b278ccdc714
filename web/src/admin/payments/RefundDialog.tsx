import { useEffect, useRef, useState, type FormEvent } from "react";
import { ApiError, payments } from "../../api/client";
import type { PaymentOut } from "../../api/types";
import { currencyDecimals, formatPrice } from "../../lib/money";
import { Field, describedBy } from "../../shared/Field";
import { checkRefund, refundableAmount, type RefundCheck } from "./paymentView";

interface Props {
  payment: PaymentOut;
  /** `changed`: the payment moved meanwhile (a refused refund), so the list should reload. */
  onClose: (changed: boolean) => void;
  onRefunded: (payment: PaymentOut) => void;
}

type Step = { kind: "form" } | { kind: "confirm"; amount: number; isFull: boolean };

/** Asks for a full or partial amount and a reason, then for confirmation, and sends the refund. */
export function RefundDialog({ payment: initial, onClose, onRefunded }: Props) {
  const dialogRef = useRef<HTMLDialogElement>(null);
  // Reloaded after a refusal: someone may have refunded part of it meanwhile.
  const [payment, setPayment] = useState(initial);
  const [mode, setMode] = useState<"full" | "partial">("full");
  const [amountText, setAmountText] = useState("");
  const [reason, setReason] = useState("");
  const [step, setStep] = useState<Step>({ kind: "form" });
  const [amountError, setAmountError] = useState<string | null>(null);
  const [reasonError, setReasonError] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const remaining = refundableAmount(payment);
  const price = (amount: number) => formatPrice(amount, payment.currency);

  useEffect(() => {
    const dialog = dialogRef.current;
    if (dialog && !dialog.open) dialog.showModal();
  }, []);

  function review(e: FormEvent) {
    e.preventDefault();
    const check: RefundCheck = checkRefund(mode === "full" ? { mode } : { mode, amountText }, remaining, payment.currency);
    setError(null);
    if (!check.ok) {
      setAmountError(check.error);
      return;
    }
    setAmountError(null);
    setStep({ kind: "confirm", amount: check.amount, isFull: check.isFull });
  }

  async function send() {
    if (step.kind !== "confirm") return;
    setBusy(true);
    setError(null);
    try {
      // Always the amount confirmed: if someone refunded meanwhile, the server refuses rather than refund another sum.
      const refunded = await payments.refund(payment.paymentId, { amount: step.amount, ...(reason.trim() ? { reason: reason.trim() } : {}) });
      onRefunded(refunded);
    } catch (err) {
      // Back to the form, with the server's reason next to the field it is about.
      setStep({ kind: "form" });
      if (err instanceof ApiError) {
        const fieldAmount = err.fields.amount ?? err.fields["body.amount"];
        const fieldReason = err.fields.reason ?? err.fields["body.reason"];
        setReasonError(fieldReason ?? null);
        if (fieldAmount) setAmountError(fieldAmount);
        else if (!fieldReason) setAmountError(err.message);
        if (mode === "full" && (fieldAmount || !fieldReason)) setMode("partial");
        payments
          .get(payment.paymentId)
          .then(setPayment)
          .catch(() => undefined);
      } else {
        setAmountError("Could not refund. Please try again.");
      }
    } finally {
      setBusy(false);
    }
  }

  const decimals = currencyDecimals(payment.currency);

  return (
    <dialog
      ref={dialogRef}
      className="dialog"
      aria-labelledby="refund-title"
      onClose={() => onClose(payment !== initial)}
      onCancel={(e) => {
        if (busy) e.preventDefault();
      }}
      data-testid="refund-dialog"
    >
      <form method="dialog" className="dialog-body" onSubmit={step.kind === "form" ? review : (e) => { e.preventDefault(); void send(); }} noValidate>
        <h2 id="refund-title">Refund payment</h2>
        <dl className="refund-facts">
          <dt>Viewer</dt>
          <dd>{payment.viewerEmail ?? payment.viewerId}</dd>
          <dt>Event</dt>
          <dd>{payment.eventTitle}</dd>
          <dt>Paid</dt>
          <dd>
            {price(payment.amount)}
            {payment.refundedAmount > 0 ? <span className="muted"> ({price(payment.refundedAmount)} already refunded)</span> : null}
          </dd>
        </dl>

        {step.kind === "form" ? (
          <>
            <fieldset className="refund-modes">
              <legend className="field-label">Amount</legend>
              <label className="field-checkbox">
                <input type="radio" name="refund-mode" checked={mode === "full"} onChange={() => setMode("full")} data-testid="refund-full" />
                <span>
                  {payment.refundedAmount > 0 ? "The rest" : "Full refund"}: <b>{price(remaining)}</b>
                </span>
              </label>
              <label className="field-checkbox">
                <input type="radio" name="refund-mode" checked={mode === "partial"} onChange={() => setMode("partial")} data-testid="refund-partial" />
                <span>Part of it</span>
              </label>
            </fieldset>
            {mode === "partial" ? (
              <Field id="refund-amount" label={`Amount to refund (${payment.currency})`} error={amountError} errorTestId="refund-amount-error" hint={`Up to ${price(remaining)}.`}>
                <input
                  id="refund-amount"
                  inputMode={decimals ? "decimal" : "numeric"}
                  value={amountText}
                  placeholder={decimals ? "0.00" : "0"}
                  onChange={(e) => setAmountText(e.target.value)}
                  autoFocus
                  data-testid="refund-amount"
                  {...describedBy("refund-amount", amountError, true)}
                />
              </Field>
            ) : amountError ? (
              <p className="field-error" role="alert" data-testid="refund-amount-error">{amountError}</p>
            ) : null}
            <Field id="refund-reason" label="Reason" error={reasonError} errorTestId="refund-reason-error" hint="Optional. Kept with the refund in the audit log.">
              <textarea id="refund-reason" rows={2} maxLength={500} value={reason} onChange={(e) => setReason(e.target.value)} data-testid="refund-reason" {...describedBy("refund-reason", reasonError, true)} />
            </Field>
            {error ? <p className="field-error" role="alert" data-testid="refund-error">{error}</p> : null}
            <div className="dialog-actions">
              <button type="button" className="btn btn-secondary" onClick={() => dialogRef.current?.close()} data-testid="refund-cancel">
                Cancel
              </button>
              <button type="submit" className="btn btn-primary" data-testid="refund-review">
                Continue
              </button>
            </div>
          </>
        ) : (
          <>
            <div className="alert alert-warning" role="status" data-testid="refund-confirm-text">
              Refund <b>{price(step.amount)}</b> to {payment.viewerEmail ?? "the viewer"}? The money goes back through{" "}
              {payment.provider === "stripe" ? "Stripe" : "the payment provider"}; this cannot be undone.
              {step.isFull ? " Refunding everything also takes away the viewer's access to the event." : null}
            </div>
            <div className="dialog-actions">
              <button type="button" className="btn btn-secondary" onClick={() => setStep({ kind: "form" })} disabled={busy} data-testid="refund-back">
                Back
              </button>
              <button type="submit" className="btn btn-danger" disabled={busy} data-testid="refund-confirm">
                {busy ? "Refunding…" : `Refund ${price(step.amount)}`}
              </button>
            </div>
          </>
        )}
      </form>
    </dialog>
  );
}
