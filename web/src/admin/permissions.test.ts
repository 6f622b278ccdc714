import { describe, expect, it } from "vitest";
import { canDelete, canManageAdmins } from "./permissions";

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
});
