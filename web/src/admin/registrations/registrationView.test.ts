import { describe, expect, it } from "vitest";
import type { FormField, Registration } from "../../api/types";
import { formFieldColumns, formValueText, formatWatchTime, hasFilters, identityOf, queryFromParams } from "./registrationView";

const field = (name: string): FormField => ({ name, label: name, type: "text", required: false, options: [] });

const row = (extra: Partial<Registration> = {}): Registration => ({
  viewerId: "v1",
  clientViewerId: "c1",
  email: null,
  name: null,
  accessMode: "form",
  formData: { name: "Ada", email: "ada@example.com", company: "ACME" },
  accessVerified: true,
  isPaidViewer: false,
  paymentStatus: "none",
  deviceType: "desktop",
  ipAddress: "203.0.113.7",
  firstJoinAt: "2025-01-01T10:00:00Z",
  lastJoinAt: "2025-01-01T10:00:00Z",
  totalSessions: 0,
  totalWatchTime: 0,
  deviceCount: 1,
  ...extra,
});

describe("registrations view", () => {
  it("reads filters and page from the URL", () => {
    const q = queryFromParams(new URLSearchParams("q=ada&paymentStatus=success&accessVerified=true&offset=25"));
    expect(q).toMatchObject({ q: "ada", paymentStatus: "success", accessVerified: "true", accessMode: "", offset: 25 });
    expect(queryFromParams(new URLSearchParams("offset=-4")).offset).toBe(0);
    expect(hasFilters(q)).toBe(true);
    expect(hasFilters(queryFromParams(new URLSearchParams()))).toBe(false);
  });

  it("gives each custom form field a column, not name and email", () => {
    expect(formFieldColumns([field("name"), field("Email"), field("company"), field("role")]).map((f) => f.name)).toEqual(["company", "role"]);
  });

  it("shows form values as text", () => {
    expect(formValueText(true)).toBe("Yes");
    expect(formValueText(false)).toBe("No");
    expect(formValueText("")).toBe("—");
    expect(formValueText(undefined)).toBe("—");
    expect(formValueText(42)).toBe("42");
    expect(formValueText(["a", "b"])).toBe("a, b");
  });

  it("falls back to the form for name and email", () => {
    expect(identityOf(row(), "name")).toBe("Ada");
    expect(identityOf(row({ email: "x@example.com" }), "email")).toBe("x@example.com");
    expect(identityOf(row({ formData: {} }), "email")).toBe("—");
  });

  it("formats watch time", () => {
    expect(formatWatchTime(0)).toBe("0s");
    expect(formatWatchTime(245)).toBe("4m 05s");
    expect(formatWatchTime(3720)).toBe("1h 02m");
    expect(formatWatchTime(null)).toBe("0s");
  });
});
