import { describe, expect, it } from "vitest";
import { ApiError, buildQuery, readCookie, toApiError } from "./client";

describe("API errors", () => {
  it("reads code, message and field errors from the error body", () => {
    const err = toApiError(422, {
      error: { code: "validation_error", message: "Invalid event", details: { fields: { title: "Too long", "formFields.0.name": "Required" } }, timestamp: "2025-01-01T00:00:00Z" },
    });
    expect(err).toBeInstanceOf(ApiError);
    expect(err.status).toBe(422);
    expect(err.code).toBe("validation_error");
    expect(err.fields).toEqual({ title: "Too long", "formFields.0.name": "Required" });
  });

  it("exposes retryAfter of a 429", () => {
    const err = toApiError(429, { error: { code: "too_many_attempts", message: "Slow down", details: { retryAfter: 41.2 }, timestamp: "" } });
    expect(err.retryAfter).toBe(42);
  });

  it("copes with a body that is not the error format", () => {
    const err = toApiError(502, null);
    expect(err.code).toBe("http_error");
    expect(err.fields).toEqual({});
    expect(err.retryAfter).toBeNull();
  });
});

describe("request helpers", () => {
  it("reads the CSRF cookie", () => {
    expect(readCookie("golive_csrf", "a=1; golive_csrf=tok%3D123; b=2")).toBe("tok=123");
    expect(readCookie("golive_csrf", "a=1")).toBeNull();
  });

  it("leaves empty filters out of the query string", () => {
    expect(buildQuery({ q: "launch", status: "", isPaid: "true", limit: 20, offset: 0, sort: undefined })).toBe("?q=launch&isPaid=true&limit=20&offset=0");
    expect(buildQuery({})).toBe("");
  });
});
