import { describe, expect, it } from "vitest";
import { ApiError, toApiError } from "../../api/client";
import { emailCodeErrors, normalizeCode } from "./emailCode";

describe("email code step", () => {
  it("accepts six digits, with spaces as typed from the email", () => {
    expect(normalizeCode("123456")).toBe("123456");
    expect(normalizeCode(" 123 456 ")).toBe("123456");
    expect(normalizeCode("12345")).toBeNull();
    expect(normalizeCode("1234567")).toBeNull();
    expect(normalizeCode("12a456")).toBeNull();
    expect(normalizeCode("")).toBeNull();
  });

  it("puts the server's email and code errors under their fields", () => {
    const wrongCode = toApiError(403, {
      error: { code: "invalid_code", message: "That code is not right; 4 attempts left", details: { fields: { code: "That code is not right; 4 attempts left" } }, timestamp: "" },
    });
    expect(emailCodeErrors(wrongCode)).toEqual({ fields: { code: "That code is not right; 4 attempts left" }, message: null });

    const badEmail = new ApiError(422, "validation_error", "The email address is not valid", { fields: { email: "not an address" } });
    expect(emailCodeErrors(badEmail)).toEqual({ fields: { email: "not an address" }, message: null });
  });

  it("shows other failures as the gate's message, a 429 with its wait", () => {
    const limited = toApiError(429, { error: { code: "too_many_requests", message: "Too many codes requested", details: { retryAfter: 59.5 }, timestamp: "" } });
    expect(emailCodeErrors(limited)).toEqual({ fields: {}, message: "Too many attempts, try again in 60 seconds." });

    const unrelatedField = new ApiError(422, "validation_error", "Invalid request", { fields: { returnPath: "must point at this event" } });
    expect(emailCodeErrors(unrelatedField)).toEqual({ fields: {}, message: "Invalid request" });

    expect(emailCodeErrors(new Error("boom")).message).toBe("Something went wrong. Please try again.");
  });
});
