import { useEffect, useRef, useState } from "react";
import { Countdown } from "../Countdown";
import { gateErrorMessage, type GateInput } from "../useAdmission";
import { GateCard } from "./GateCard";
import { RestoreFooter } from "./PurchaseRestore";

interface Props {
  register: (input: GateInput) => Promise<unknown>;
  autoAdmit: boolean;
  /** Paid events: the price, said in the heading and on the button. */
  price?: string;
  /** A live event not started yet: its start, counted down on the card (`onStart` when it is reached). */
  startsAt?: string | null;
  onStart: () => void;
  /** Paid events: the way back for someone who paid on another device. */
  onRestore?: () => void;
  /** Password gates and paid events: someone the organizer gave free access continues with their email. */
  onInvited?: () => void;
}

/** Open events: one "Watch" button (or straight in when the embed autoplays); "Pay and watch" when paid. */
export function AnonymousGate({ register, autoAdmit, price, startsAt, onStart, onRestore, onInvited }: Props) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const autoTried = useRef(false);

  async function watch() {
    setBusy(true);
    setError(null);
    try {
      await register({});
    } catch (err) {
      setError(gateErrorMessage(err));
    } finally {
      setBusy(false);
    }
  }

  useEffect(() => {
    if (autoAdmit && !autoTried.current) {
      autoTried.current = true;
      void watch();
    }
  }, [autoAdmit]);

  return (
    <GateCard
      kind="anonymous"
      title={price ? `Watch for ${price}` : startsAt ? "Starting soon" : "Ready to watch"}
      intro={startsAt ? <Countdown target={startsAt} onDone={onStart} /> : undefined}
      error={error}
      busy={busy}
      submitLabel={price ? "Pay and watch" : startsAt ? "Watch when it starts" : "Watch"}
      onSubmit={watch}
      footer={<RestoreFooter onRestore={onRestore} onInvited={onInvited} disabled={busy} />}
    />
  );
}
