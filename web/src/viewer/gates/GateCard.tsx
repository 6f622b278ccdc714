import type { ReactNode } from "react";
import { FormCard } from "../../shared/FormCard";

interface Props {
  kind: "anonymous" | "form" | "password" | "email" | "account" | "purchase" | "invited";
  title: string;
  intro?: ReactNode;
  error: string | null;
  busy: boolean;
  submitLabel: string;
  onSubmit: () => void;
  children?: ReactNode;
  footer?: ReactNode;
}

/** The frame shared by all gates: heading, error, fields and the submit button. */
export function GateCard({ kind, ...card }: Props) {
  return <FormCard testId={`gate-${kind}`} part="gate" heading="h2" className="gate-card" {...card} />;
}
