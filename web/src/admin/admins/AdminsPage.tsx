import { useEffect, useState } from "react";
import { ApiError, admins } from "../../api/client";
import type { Admin, AdminUpdate } from "../../api/types";
import { useApi } from "../../api/useApi";
import { ErrorMessage, Spinner } from "../../shared/Status";
import { useAdminSession } from "../adminSession";
import { canManageAdmins } from "../permissions";
import { AdminsTable } from "./AdminsTable";
import { NewAdminForm } from "./NewAdminForm";

/** /admin/admins (owners only): the admin team, adding members, roles and deactivation. */
export default function AdminsPage() {
  const { admin: me } = useAdminSession();
  const [actionError, setActionError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busyId, setBusyId] = useState<string | null>(null);
  const allowed = canManageAdmins(me?.role);
  const team = useApi((signal) => admins.list(signal), [], { enabled: allowed });
  const items = team.data?.items ?? null;
  const error = actionError ?? team.error;

  useEffect(() => {
    document.title = "Admins · GoLive";
  }, []);

  async function update(target: Admin, patch: AdminUpdate) {
    setBusyId(target.adminId);
    setActionError(null);
    setNotice(null);
    try {
      const saved = await admins.update(target.adminId, patch);
      team.setData((list) => list && { items: list.items.map((a) => (a.adminId === saved.adminId ? saved : a)) });
      setNotice(`${saved.name} is now ${patch.status ? saved.status : saved.role}.`);
    } catch (err) {
      setActionError(err instanceof ApiError ? err.message : "Could not update the admin.");
    } finally {
      setBusyId(null);
    }
  }

  if (!allowed) {
    return (
      <section className="page">
        <h1>Admins</h1>
        <ErrorMessage testId="admins-forbidden">Only owners can manage admins.</ErrorMessage>
      </section>
    );
  }

  return (
    <section className="page" data-testid="admins-page">
      <header className="page-header">
        <h1>Admins</h1>
      </header>
      <ErrorMessage testId="admins-error">{error}</ErrorMessage>
      {notice ? <div className="alert alert-success" role="status" data-testid="admins-notice">{notice}</div> : null}
      <NewAdminForm
        onCreated={(created) => {
          team.setData((list) => ({ items: [...(list?.items ?? []), created] }));
          setNotice(`${created.name} was added as ${created.role}.`);
        }}
      />
      {items ? <AdminsTable items={items} currentAdminId={me?.adminId ?? ""} busyId={busyId} onUpdate={update} /> : error ? null : <Spinner />}
    </section>
  );
}
