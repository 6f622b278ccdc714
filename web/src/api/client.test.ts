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

describe("admin helpers", () => {
  it("builds the registrations CSV link with the same filters and no paging", async () => {
    const { registrations } = await import("./client");
    expect(registrations.csvUrl("ev 1", { q: "ada", paymentStatus: "success", accessVerified: "", limit: 25, offset: 50 })).toBe(
      "/api/events/ev%201/registrations?q=ada&paymentStatus=success&format=csv",
    );
  });

  it("turns a rejected upload (422) into the server's message", async () => {
    const { uploadError } = await import("./client");
    const body = JSON.stringify({ error: { code: "media_rejected", message: "The file has no video stream", details: {}, timestamp: "" } });
    const err = uploadError({ message: "tus: unexpected response", originalResponse: { getStatus: () => 422, getBody: () => body } });
    expect(err.status).toBe(422);
    expect(err.message).toBe("The file has no video stream");
  });

  it("reports an upload that never reached the server as interrupted", async () => {
    const { uploadError } = await import("./client");
    const err = uploadError({ message: "tus: failed to upload chunk", originalResponse: null });
    expect(err.code).toBe("upload_failed");
  });
});
