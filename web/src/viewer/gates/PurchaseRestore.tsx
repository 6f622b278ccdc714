import type { RegistrationResponse } from "../../api/types";
import type { GateInput } from "../useAdmission";
import type { MagicLink } from "./emailCode";
import { EmailCodeStep } from "./EmailCodeStep";
import { useEmailCode } from "./useEmailCode";

interface Props {
  register: (input: GateInput) => Promise<RegistrationResponse>;
  /** From the emailed link (`?code=…&email=…`): submitted automatically. */
  magicLink: MagicLink | null;
  onMagicLinkUsed: () => void;
  onBack: () => void;
}

/** Paid events: someone who paid on another device proves it with the email they paid with and a code. */
export function PurchaseRestore({ onBack, ...options }: Props) {
  const flow = useEmailCode({ ...options, paymentExpected: true });
  return (
    <EmailCodeStep
      kind="purchase"
      flow={flow}
      title="Already paid? Restore your access"
      intro={<p>Enter the email you paid with and we will send you a 6-digit code. You will not pay again.</p>}
      extraFooter={
        <button type="button" className="btn btn-link" disabled={flow.busy} onClick={onBack} data-testid="restore-back">
          Back
        </button>
      }
    />
  );
}

/** A gate's footer with the restore link, on paid events (`onRestore` given), and the invited person's link
 * (`onInvited` given: password gates and paid events); nothing otherwise. */
export function RestoreFooter({ onRestore, onInvited, disabled }: { onRestore?: () => void; onInvited?: () => void; disabled: boolean }) {
  if (!onRestore && !onInvited) return null;
  return (
    <div className="gate-footer">
      {onRestore ? <RestoreLink onRestore={onRestore} disabled={disabled} /> : null}
      {onInvited ? <InvitedLink onInvited={onInvited} disabled={disabled} /> : null}
    </div>
  );
}

/** The link that opens `PurchaseRestore`, under a gate or the payment overlay. */
export function RestoreLink({ onRestore, disabled = false }: { onRestore: () => void; disabled?: boolean }) {
  return (
    <button type="button" className="btn btn-link" disabled={disabled} onClick={onRestore} data-testid="restore-purchase">
      Already paid on another device? Restore access
    </button>
  );
}

/** The link that opens `InvitedAccess`: someone an organizer gave free access. */
export function InvitedLink({ onInvited, disabled = false }: { onInvited: () => void; disabled?: boolean }) {
  return (
    <button type="button" className="btn btn-link" disabled={disabled} onClick={onInvited} data-testid="continue-invited">
      Invited? Continue with your email
    </button>
  );
}
