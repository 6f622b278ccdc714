import { useCallback, useEffect, useId, useRef, useState, type KeyboardEvent, type ReactNode } from "react";
import "./dialog.css";

export interface ConfirmRequest {
  title: string;
  message: string;
  confirmLabel: string;
  cancelLabel?: string;
  /** A destructive action: the confirm button is red. */
  danger?: boolean;
}

interface Props extends ConfirmRequest {
  onAnswer: (confirmed: boolean) => void;
}

const FOCUSABLE = "button:not([disabled]), [href], input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex='-1'])";

/** Keeps Tab and Shift+Tab inside the dialog (showModal makes the page inert, but Tab can still leave for the browser's own UI). */
export function trapTab(e: KeyboardEvent<HTMLElement>): void {
  if (e.key !== "Tab") return;
  const focusable = Array.from(e.currentTarget.querySelectorAll<HTMLElement>(FOCUSABLE));
  const first = focusable[0];
  const last = focusable[focusable.length - 1];
  if (!first || !last) return;
  if (e.shiftKey && document.activeElement === first) {
    e.preventDefault();
    last.focus();
  } else if (!e.shiftKey && document.activeElement === last) {
    e.preventDefault();
    first.focus();
  }
}

/**
 * The console's confirmation: a modal <dialog> (Escape cancels, focus stays inside, the page behind is
 * inert), focus on Cancel so Enter never destroys by accident, and focus back where it was afterwards.
 */
export function ConfirmDialog({ title, message, confirmLabel, cancelLabel = "Cancel", danger = false, onAnswer }: Props) {
  const dialogRef = useRef<HTMLDialogElement>(null);
  const cancelRef = useRef<HTMLButtonElement>(null);
  const answered = useRef(false);
  const titleId = useId();
  const messageId = useId();

  useEffect(() => {
    const dialog = dialogRef.current;
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    if (dialog && !dialog.open) dialog.showModal();
    cancelRef.current?.focus();
    return () => {
      if (dialog?.open) dialog.close();
      opener?.focus();
    };
  }, []);

  const answer = (confirmed: boolean) => {
    if (answered.current) return;
    answered.current = true;
    onAnswer(confirmed);
  };

  return (
    <dialog
      ref={dialogRef}
      className="dialog"
      role="alertdialog"
      aria-modal="true"
      aria-labelledby={titleId}
      aria-describedby={messageId}
      onCancel={(e) => {
        e.preventDefault(); // Escape: answered here, the component's owner unmounts it
        answer(false);
      }}
      onKeyDown={trapTab}
      data-testid="confirm-dialog"
    >
      <div className="dialog-body">
        <h2 id={titleId}>{title}</h2>
        <p id={messageId} className="dialog-message">{message}</p>
        <div className="dialog-actions">
          <button ref={cancelRef} type="button" className="btn btn-secondary" onClick={() => answer(false)} data-testid="confirm-cancel">
            {cancelLabel}
          </button>
          <button type="button" className={`btn ${danger ? "btn-danger" : "btn-primary"}`} onClick={() => answer(true)} data-testid="confirm-accept">
            {confirmLabel}
          </button>
        </div>
      </div>
    </dialog>
  );
}

/**
 * An in-app replacement for window.confirm: `await confirm({...})` resolves true or false, and `dialog`
 * must be rendered by the caller (it is null while nothing is asked).
 */
export function useConfirm(): { confirm: (request: ConfirmRequest) => Promise<boolean>; dialog: ReactNode } {
  const [pending, setPending] = useState<{ request: ConfirmRequest; resolve: (confirmed: boolean) => void } | null>(null);

  const confirm = useCallback(
    (request: ConfirmRequest) => new Promise<boolean>((resolve) => setPending({ request, resolve })),
    [],
  );

  const dialog = pending ? (
    <ConfirmDialog
      {...pending.request}
      onAnswer={(confirmed) => {
        setPending(null);
        pending.resolve(confirmed);
      }}
    />
  ) : null;

  return { confirm, dialog };
}
