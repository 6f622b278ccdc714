import { useEffect, useState } from "react";
import { copyText } from "../lib/clipboard";

/** A small button that copies `text` and says so for two seconds. */
export function CopyButton({ text, label = "Copy", testId }: { text: string; label?: string; testId?: string }) {
  const [state, setState] = useState<"idle" | "copied" | "failed">("idle");

  useEffect(() => {
    if (state === "idle") return;
    const timer = window.setTimeout(() => setState("idle"), 2000);
    return () => window.clearTimeout(timer);
  }, [state]);

  async function copy() {
    setState((await copyText(text)) ? "copied" : "failed");
  }

  return (
    <button type="button" className="btn btn-secondary btn-small copy-button" onClick={copy} data-testid={testId} aria-live="polite">
      {state === "copied" ? "Copied" : state === "failed" ? "Copy failed" : label}
    </button>
  );
}
