import { describe, expect, it } from "vitest";
import { deliveryNote, emailTypeLabel, hasFilters, queryFromParams } from "./emailView";

describe("email log view", () => {
  it("reads its filters from the URL and ignores a bad offset", () => {
    const query = queryFromParams(new URLSearchParams("type=access_code&status=failed&recipient=ada&offset=-3"));
    expect(query).toMatchObject({ type: "access_code", status: "failed", recipient: "ada", eventId: "", offset: 0 });
    expect(hasFilters(query)).toBe(true);
    expect(hasFilters(queryFromParams(new URLSearchParams("offset=25")))).toBe(false);
  });

  it("names types in words", () => {
    expect(emailTypeLabel("access_code")).toBe("Access code");
    expect(emailTypeLabel("refund_notice")).toBe("Refund");
    expect(emailTypeLabel("welcome_back")).toBe("Welcome back");
  });

  it("says when a message only went to the server log", () => {
    expect(deliveryNote({ provider: "outbox", status: "sent" })).toMatch(/server log/);
    expect(deliveryNote({ provider: "smtp", status: "sent" })).toBeNull();
  });
});
