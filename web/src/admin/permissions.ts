// What each admin role may do in the console. The server enforces the same rules;
// this only hides what would be refused.
import type { AdminRole } from "../api/types";

const RANK: Record<AdminRole, number> = { editor: 0, admin: 1, owner: 2 };

function atLeast(role: AdminRole | undefined, minimum: AdminRole): boolean {
  return role !== undefined && (RANK[role] ?? -1) >= RANK[minimum];
}

/** Only owners manage the admin team. */
export const canManageAdmins = (role: AdminRole | undefined): boolean => atLeast(role, "owner");

/** Deleting an event needs the admin role. */
export const canDelete = (role: AdminRole | undefined): boolean => atLeast(role, "admin");

/** An event's video is content: editors upload, replace and delete it. */
export const canDeleteMedia = (role: AdminRole | undefined): boolean => atLeast(role, "editor");

/** Refunds move money: admins and owners only; editors see payments read-only. */
export const canRefund = (role: AdminRole | undefined): boolean => atLeast(role, "admin");

/** Free access gives away what others pay for: admins and owners, as with refunds; editors see the list. */
export const canGrantAccess = (role: AdminRole | undefined): boolean => atLeast(role, "admin");

/** The email log holds viewers' codes and addresses: admins and owners only. */
export const canSeeEmailLog = (role: AdminRole | undefined): boolean => atLeast(role, "admin");

/** The audience's accounts are personal data: admins and owners, as with the email log. */
export const canSeeAccounts = (role: AdminRole | undefined): boolean => atLeast(role, "admin");

/** The site's brand and home page speak for the whole organisation: admins and owners. */
export const canEditSite = (role: AdminRole | undefined): boolean => atLeast(role, "admin");
