import { createContext, useContext } from "react";
import type { Admin } from "../api/types";

export interface AdminSession {
  admin: Admin | null;
  setAdmin: (admin: Admin | null) => void;
}

export const AdminSessionContext = createContext<AdminSession>({ admin: null, setAdmin: () => undefined });

export function useAdminSession(): AdminSession {
  return useContext(AdminSessionContext);
}

/** The login page's URL that returns to the page the admin was on. */
export function loginUrlFor(path: string): string {
  return `/admin/login?next=${encodeURIComponent(path)}`;
}

/** Only in-console paths are followed after login (no open redirect). */
export function safeNextPath(next: string | null): string {
  if (next && next.startsWith("/admin") && !next.startsWith("/admin/login") && !next.startsWith("//")) return next;
  return "/admin/events";
}
