import { Suspense, lazy, useEffect, useMemo, useState, type ReactNode } from "react";
import { Navigate, Route, Routes, useNavigate } from "react-router-dom";
import { setUnauthorizedHandler } from "../api/client";
import type { Admin } from "../api/types";
import { PageLoading } from "../shared/Status";
import { AdminLayout } from "./AdminLayout";
import { AdminSessionContext, loginUrlFor } from "./adminSession";
import { LoginPage } from "./LoginPage";

const EventsListPage = lazy(() => import("./events/EventsListPage"));
const EventEditorPage = lazy(() => import("./editor/EventEditorPage"));
const RegistrationsPage = lazy(() => import("./registrations/RegistrationsPage"));
const ComplimentaryPage = lazy(() => import("./complimentary/ComplimentaryPage"));
const AdminsPage = lazy(() => import("./admins/AdminsPage"));
const EventAnalyticsPage = lazy(() => import("./analytics/EventAnalyticsPage"));
const AnalyticsOverviewPage = lazy(() => import("./analytics/AnalyticsOverviewPage"));
const LiveControlPage = lazy(() => import("./live/LiveControlPage"));
const ChatPage = lazy(() => import("./live/chat/ChatPage"));
const PaymentsPage = lazy(() => import("./payments/PaymentsPage"));
const EmailLogPage = lazy(() => import("./emails/EmailLogPage"));
const AccountsPage = lazy(() => import("./accounts/AccountsPage"));
const SiteSettingsPage = lazy(() => import("./site/SiteSettingsPage"));
const AccountDetailPage = lazy(() => import("./accounts/AccountDetailPage"));

/** The admin console under /admin. */
export default function AdminApp() {
  const [admin, setAdmin] = useState<Admin | null>(null);
  const navigate = useNavigate();
  const session = useMemo(() => ({ admin, setAdmin }), [admin]);

  useEffect(() => {
    // An expired session on any admin call sends the admin to log in again, then back here.
    setUnauthorizedHandler(() => {
      setAdmin(null);
      const here = window.location.pathname + window.location.search;
      if (!window.location.pathname.startsWith("/admin/login")) navigate(loginUrlFor(here), { replace: true });
    });
    return () => setUnauthorizedHandler(null);
  }, [navigate]);

  return (
    <AdminSessionContext.Provider value={session}>
      <Routes>
        <Route path="login" element={<LoginPage />} />
        <Route element={<AdminLayout />}>
          <Route index element={<Navigate to="events" replace />} />
          <Route path="events" element={<Lazy><EventsListPage /></Lazy>} />
          <Route path="events/new" element={<Lazy><EventEditorPage /></Lazy>} />
          <Route path="events/:eventId" element={<Lazy><EventEditorPage /></Lazy>} />
          <Route path="events/:eventId/registrations" element={<Lazy><RegistrationsPage /></Lazy>} />
          <Route path="events/:eventId/complimentary" element={<Lazy><ComplimentaryPage /></Lazy>} />
          <Route path="events/:eventId/analytics" element={<Lazy><EventAnalyticsPage /></Lazy>} />
          <Route path="events/:eventId/live" element={<Lazy><LiveControlPage /></Lazy>} />
          <Route path="events/:eventId/chat" element={<Lazy><ChatPage /></Lazy>} />
          <Route path="events/:eventId/payments" element={<Lazy><PaymentsPage /></Lazy>} />
          <Route path="analytics" element={<Lazy><AnalyticsOverviewPage /></Lazy>} />
          <Route path="payments" element={<Lazy><PaymentsPage /></Lazy>} />
          <Route path="emails" element={<Lazy><EmailLogPage /></Lazy>} />
          <Route path="accounts" element={<Lazy><AccountsPage /></Lazy>} />
          <Route path="accounts/:accountId" element={<Lazy><AccountDetailPage /></Lazy>} />
          <Route path="site" element={<Lazy><SiteSettingsPage /></Lazy>} />
          <Route path="admins" element={<Lazy><AdminsPage /></Lazy>} />
          <Route path="*" element={<Navigate to="events" replace />} />
        </Route>
      </Routes>
    </AdminSessionContext.Provider>
  );
}

function Lazy({ children }: { children: ReactNode }) {
  return <Suspense fallback={<PageLoading />}>{children}</Suspense>;
}
