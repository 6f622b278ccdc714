import { describe, expect, it } from "vitest";
import { canDelete, canDeleteMedia, canManageAdmins, canRefund } from "./permissions";

describe("role permissions", () => {
  it("lets only owners manage admins", () => {
    expect(canManageAdmins("owner")).toBe(true);
    expect(canManageAdmins("admin")).toBe(false);
    expect(canManageAdmins("editor")).toBe(false);
    expect(canManageAdmins(undefined)).toBe(false);
  });

  it("hides deleting from editors", () => {
    expect(canDelete("owner")).toBe(true);
    expect(canDelete("admin")).toBe(true);
    expect(canDelete("editor")).toBe(false);
  });

  it("lets editors delete an event's video, as they upload and replace it", () => {
    expect(canDeleteMedia("owner")).toBe(true);
    expect(canDeleteMedia("editor")).toBe(true);
    expect(canDeleteMedia(undefined)).toBe(false);
  });

  it("keeps refunds from editors, who see payments read-only", () => {
    expect(canRefund("owner")).toBe(true);
    expect(canRefund("admin")).toBe(true);
    expect(canRefund("editor")).toBe(false);
    expect(canRefund(undefined)).toBe(false);
  });
});
