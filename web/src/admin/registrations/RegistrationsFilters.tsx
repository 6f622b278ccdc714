import { useCallback } from "react";
import { ACCESS_TYPES, type RegistrationQuery } from "../../api/types";
import { useDebouncedSearch } from "../useDebouncedSearch";

interface Props {
  query: RegistrationQuery;
  onChange: (patch: Partial<RegistrationQuery>) => void;
}

const ACCESS_LABELS: Record<string, string> = { anonymous: "Open", form: "Form", password: "Password", email: "Email code" };
const PAYMENT_LABELS: Record<string, string> = { none: "No payment", pending: "Pending", success: "Paid", failed: "Failed", refunded: "Refunded" };

/** Search by name or email, and filter by access mode, payment and verification. */
export function RegistrationsFilters({ query, onChange }: Props) {
  const commitSearch = useCallback((q: string) => onChange({ q }), [onChange]);
  const [q, setQ] = useDebouncedSearch(query.q, commitSearch);

  return (
    <div className="filters" role="search">
      <label className="visually-hidden" htmlFor="registrations-search">Search registrations</label>
      <input id="registrations-search" type="search" placeholder="Search name or email…" value={q} onChange={(e) => setQ(e.target.value)} data-testid="registrations-search" />
      <label className="visually-hidden" htmlFor="filter-access-mode">Access</label>
      <select id="filter-access-mode" value={query.accessMode ?? ""} onChange={(e) => onChange({ accessMode: e.target.value as RegistrationQuery["accessMode"] })} data-testid="filter-access-mode">
        <option value="">Any access</option>
        {ACCESS_TYPES.map((a) => (
          <option key={a} value={a}>{ACCESS_LABELS[a]}</option>
        ))}
      </select>
      <label className="visually-hidden" htmlFor="filter-payment">Payment</label>
      <select id="filter-payment" value={query.paymentStatus ?? ""} onChange={(e) => onChange({ paymentStatus: e.target.value as RegistrationQuery["paymentStatus"] })} data-testid="filter-payment">
        <option value="">Any payment</option>
        {Object.entries(PAYMENT_LABELS).map(([value, label]) => (
          <option key={value} value={value}>{label}</option>
        ))}
      </select>
      <label className="visually-hidden" htmlFor="filter-verified">Verified</label>
      <select id="filter-verified" value={query.accessVerified ?? ""} onChange={(e) => onChange({ accessVerified: e.target.value as RegistrationQuery["accessVerified"] })} data-testid="filter-verified">
        <option value="">Verified or not</option>
        <option value="true">Verified</option>
        <option value="false">Not verified</option>
      </select>
    </div>
  );
}
