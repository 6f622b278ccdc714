import type { RegistrationResponse } from "../../api/types";
import type { GateInput } from "../useAdmission";
import type { MagicLink } from "./emailCode";
import { EmailCodeStep } from "./EmailCodeStep";
import { useEmailCode } from "./useEmailCode";

interface Props {
  register: (input: GateInput) => Promise<RegistrationResponse>;
  /** The address the invitation went to (its link's `?invite=`), offered in the field. */
  invitedEmail: string | null;
  /** From the emailed code's link (`?code=…&email=…`): submitted automatically. */
  magicLink: MagicLink | null;
  onMagicLinkUsed: () => void;
  onBack: () => void;
}

/** Complimentary access: the organizer gave this address free access; the person proves it with a code. */
export function InvitedAccess({ onBack, invitedEmail, ...options }: Props) {
  const flow = useEmailCode({ ...options, initialEmail: invitedEmail });
  return (
    <EmailCodeStep
      kind="invited"
      flow={flow}
      title="Invited? Continue with your email"
      intro={<p>Enter the email your invitation was sent to and we will send you a 6-digit code. No password or payment needed.</p>}
      extraFooter={
        <button type="button" className="btn btn-link" disabled={flow.busy} onClick={onBack} data-testid="invited-back">
          Back
        </button>
      }
    />
  );
}
