import { describe, expect, it } from "vitest";
import { registrationBody } from "./useAdmission";

describe("registration body", () => {
  it("sends the gate's input with the event and this browser's id", () => {
    expect(registrationBody("ev1", "client-123", { formData: { name: "Ada" } }, false)).toEqual({
      eventId: "ev1",
      clientViewerId: "client-123",
      formData: { name: "Ada" },
    });
  });

  it("asks for a magic link back to the embed when a code is requested under /embed", () => {
    expect(registrationBody("ev1", "client-123", { email: "ada@example.com" }, true)).toEqual({
      eventId: "ev1",
      clientViewerId: "client-123",
      email: "ada@example.com",
      returnPath: "/embed/ev1",
    });
  });

  it("leaves returnPath out on the event page, when verifying a code, and for other gates", () => {
    expect(registrationBody("ev1", "c-12345678", { email: "ada@example.com" }, false)).not.toHaveProperty("returnPath");
    expect(registrationBody("ev1", "c-12345678", { email: "ada@example.com", code: "123456" }, true)).not.toHaveProperty("returnPath");
    expect(registrationBody("ev1", "c-12345678", { password: "secret" }, true)).not.toHaveProperty("returnPath");
  });
});
