import { useEffect, useRef, useState } from "react";
import { gateErrorMessage, type GateInput } from "../useAdmission";
import { GateCard } from "./GateCard";
import { RestoreFooter } from "./PurchaseRestore";

interface Props {
  register: (input: GateInput) => Promise<unknown>;
  autoAdmit: boolean;
  priceNote?: string;
  /** Paid events: the way back for someone who paid on another device. */
  onRestore?: () => void;
}

/** Open events: one "Watch" button (or straight in when the embed autoplays). */
export function AnonymousGate({ register, autoAdmit, priceNote, onRestore }: Props) {
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
      title="Ready to watch"
      intro={priceNote}
      error={error}
      busy={busy}
      submitLabel="Watch"
      onSubmit={watch}
      footer={<RestoreFooter onRestore={onRestore} disabled={busy} />}
    />
  );
}
