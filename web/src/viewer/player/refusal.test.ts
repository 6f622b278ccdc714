import { describe, expect, it } from "vitest";
import { ApiError } from "../../api/client";
import { isRefusal, refusalOf } from "./refusal";

describe("a refused renewal", () => {
  it("says the server's words and, by details.reason, what to do", () => {
    const refund = new ApiError(403, "not_admitted", "Your access to this event was withdrawn (the payment was refunded); buy a ticket to watch again", {
      reason: "revoked",
    });
    const refusal = refusalOf(refund);
    expect(refusal.title).toBe("Your access was withdrawn");
    expect(refusal.message).toContain("refunded");
    expect(refusal.action).toBe("access");
    expect(refusal.reason).toBe("revoked");
  });

  it("falls back on the status when no reason is given", () => {
    expect(refusalOf(new ApiError(403, "not_admitted", "Pass the event's gate (and pay, for a paid event) to watch")).action).toBe("access");
    expect(refusalOf(new ApiError(401, "viewer_token_invalid", "The viewer token is invalid or has expired; register again")).title).toMatch(/session has expired/);
    expect(refusalOf(new ApiError(409, "event_not_playable", "This event cannot be watched now")).action).toBe("retry");
    expect(refusalOf(new ApiError(409, "event_not_playable", "This event has ended", { reason: "ended" })).title).toBe("This event has ended");
  });

  it("is only a 'no' from the server: a network error or an outage is tried again", () => {
    expect(isRefusal(new ApiError(403, "not_admitted", "no"))).toBe(true);
    expect(isRefusal(new ApiError(503, "unavailable", "later"))).toBe(false);
    expect(isRefusal(new ApiError(429, "rate_limited", "later"))).toBe(false);
    expect(isRefusal(new TypeError("Failed to fetch"))).toBe(false);
  });
});
