import { useEffect, useState } from "react";
import { NavLink, Outlet, useNavigate } from "react-router-dom";
import { ApiError, auth } from "../api/client";
import { PageLoading } from "../shared/Status";
import { useAdminSession } from "./adminSession";
import { canEditSite, canManageAdmins, canSeeAccounts, canSeeEmailLog } from "./permissions";

/** The console frame: dark sidebar with navigation, the signed-in admin and Logout. */
export function AdminLayout() {
  const { admin, setAdmin } = useAdminSession();
  const [loadError, setLoadError] = useState<string | null>(null);
  const [menuOpen, setMenuOpen] = useState(false);
  const navigate = useNavigate();

  useEffect(() => {
    if (admin) return;
    const controller = new AbortController();
    auth
      .me(controller.signal)
      .then(setAdmin)
      .catch((err: unknown) => {
        // A 401 is handled by the client's unauthorized handler (redirect to login).
        if (err instanceof ApiError && err.status !== 401) setLoadError(err.message);
      });
    return () => controller.abort();
  }, [admin, setAdmin]);

  async function logout() {
    try {
      await auth.logout();
    } catch {
      // Logging out of an already-expired session is fine.
    }
    setAdmin(null);
    navigate("/admin/login", { replace: true });
  }

  if (!admin) return loadError ? <p className="centered-page" role="alert">{loadError}</p> : <PageLoading />;

  return (
    <div className="admin-shell">
      {/* The first Tab stop: past the navigation, straight to the page (focus moves, the URL does not change). */}
      <a
        className="skip-link"
        href="#main"
        onClick={(e) => {
          e.preventDefault();
          document.getElementById("main")?.focus();
        }}
        data-testid="skip-link"
      >
        Skip to content
      </a>
      <aside className={`sidebar${menuOpen ? " sidebar-open" : ""}`} aria-label="Console">
        <div className="sidebar-top">
          <div className="brand">
            <span className="brand-mark" aria-hidden="true">▶</span> GoLive
          </div>
          <button type="button" className="btn btn-ghost sidebar-toggle" aria-expanded={menuOpen} aria-controls="sidebar-nav" onClick={() => setMenuOpen((o) => !o)}>
            Menu
          </button>
        </div>
        <nav id="sidebar-nav" className="sidebar-nav" onClick={() => setMenuOpen(false)}>
          <NavLink to="/admin/events" data-testid="nav-events">Events</NavLink>
          <NavLink to="/admin/analytics" data-testid="nav-analytics">Analytics</NavLink>
          <NavLink to="/admin/payments" data-testid="nav-payments">Payments</NavLink>
          {canSeeEmailLog(admin.role) ? <NavLink to="/admin/emails" data-testid="nav-emails">Email log</NavLink> : null}
          {canSeeAccounts(admin.role) ? <NavLink to="/admin/accounts" data-testid="nav-accounts">Accounts</NavLink> : null}
          {canEditSite(admin.role) ? <NavLink to="/admin/site" data-testid="nav-site">Site</NavLink> : null}
          {canManageAdmins(admin.role) ? <NavLink to="/admin/admins" data-testid="nav-admins">Admins</NavLink> : null}
        </nav>
        <div className="sidebar-user" data-testid="current-admin">
          <div className="sidebar-user-name">{admin.name}</div>
          <div className="sidebar-user-role">{admin.role}</div>
          <button type="button" className="btn btn-ghost btn-small" onClick={logout} data-testid="logout">
            Log out
          </button>
        </div>
      </aside>
      <main id="main" className="admin-main" tabIndex={-1}>
        <Outlet />
      </main>
    </div>
  );
}
