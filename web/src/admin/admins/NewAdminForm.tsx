import { useState, type FormEvent } from "react";
import { ApiError, admins } from "../../api/client";
import { ADMIN_ROLES, type Admin, type AdminRole } from "../../api/types";
import { Field, describedBy } from "../../shared/Field";
import { ErrorMessage } from "../../shared/Status";

const EMPTY = { name: "", email: "", password: "", role: "editor" as AdminRole };

/** Adds a member to the admin team; the server's field errors show under each input. */
export function NewAdminForm({ onCreated }: { onCreated: (admin: Admin) => void }) {
  const [form, setForm] = useState(EMPTY);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [message, setMessage] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const set = (patch: Partial<typeof EMPTY>) => setForm((f) => ({ ...f, ...patch }));

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setMessage(null);
    setErrors({});
    try {
      const created = await admins.create({ ...form, name: form.name.trim(), email: form.email.trim() });
      setForm(EMPTY);
      onCreated(created);
    } catch (err) {
      if (err instanceof ApiError) {
        setErrors(err.fields);
        setMessage(err.message);
      } else {
        setMessage("Could not add the admin. Please try again.");
      }
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="card editor-section" onSubmit={submit} noValidate data-testid="new-admin-form">
      <h2>Add an admin</h2>
      <ErrorMessage testId="new-admin-error">{message}</ErrorMessage>
      <div className="admin-form">
        <Field id="new-admin-name" label="Name" error={errors.name} errorTestId="error-name">
          <input id="new-admin-name" value={form.name} onChange={(e) => set({ name: e.target.value })} data-testid="new-admin-name" {...describedBy("new-admin-name", errors.name)} />
        </Field>
        <Field id="new-admin-email" label="Email" error={errors.email} errorTestId="error-email">
          <input id="new-admin-email" type="email" autoComplete="off" value={form.email} onChange={(e) => set({ email: e.target.value })} data-testid="new-admin-email" {...describedBy("new-admin-email", errors.email)} />
        </Field>
        <Field id="new-admin-password" label="Password" error={errors.password} errorTestId="error-password" hint="At least 10 characters.">
          <input id="new-admin-password" type="password" autoComplete="new-password" value={form.password} onChange={(e) => set({ password: e.target.value })} data-testid="new-admin-password" {...describedBy("new-admin-password", errors.password, true)} />
        </Field>
        <Field id="new-admin-role" label="Role" error={errors.role}>
          <select id="new-admin-role" value={form.role} onChange={(e) => set({ role: e.target.value as AdminRole })} data-testid="new-admin-role">
            {ADMIN_ROLES.map((r) => (
              <option key={r} value={r}>{r}</option>
            ))}
          </select>
        </Field>
        <button type="submit" className="btn btn-primary" disabled={busy} data-testid="new-admin-submit">
          {busy ? "Adding…" : "Add admin"}
        </button>
      </div>
    </form>
  );
}
