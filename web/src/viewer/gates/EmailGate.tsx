import type { RegistrationResponse } from "../../api/types";
import type { GateInput } from "../useAdmission";
import type { MagicLink } from "./emailCode";
import { EmailCodeStep } from "./EmailCodeStep";
import { useEmailCode } from "./useEmailCode";

interface Props {
  register: (input: GateInput) => Promise<RegistrationResponse>;
  priceNote?: string;
  /** From the emailed magic link (`?code=…&email=…`): submitted automatically. */
  magicLink: MagicLink | null;
  onMagicLinkUsed: () => void;
}

/** Email access: enter an email, get a 6-digit code, enter the code. */
export function EmailGate({ register, priceNote, magicLink, onMagicLinkUsed }: Props) {
  const flow = useEmailCode({ register, magicLink, onMagicLinkUsed });
  return (
    <EmailCodeStep
      kind="email"
      flow={flow}
      title="Confirm your email to watch"
      intro={<p>We will email you a 6-digit code.</p>}
      priceNote={priceNote}
    />
  );
}
