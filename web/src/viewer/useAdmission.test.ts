import { describe, expect, it } from "vitest";
import type { RegistrationResponse } from "../api/types";
import { awaitsPayment, registrationBody } from "./useAdmission";

describe("registration body", () => {
  it("sends the gate's input with the event and this browser's id", () => {
    expect(registrationBody("ev1", "client-123", { formData: { name: "Ada" } }, false)).toEqual({
      eventId: "ev1",
      clientViewerId: "client-123",
      formData: { name: "Ada" },
    });
  });

  it("names the embed as the page to come back to for every call under /embed", () => {
    expect(registrationBody("ev1", "client-123", { email: "ada@example.com" }, true)).toEqual({
      eventId: "ev1",
      clientViewerId: "client-123",
      email: "ada@example.com",
      returnPath: "/embed/ev1",
    });
    expect(registrationBody("ev1", "c-12345678", { password: "secret" }, true)).toHaveProperty("returnPath", "/embed/ev1");
    expect(registrationBody("ev1", "c-12345678", {}, true)).toHaveProperty("returnPath", "/embed/ev1");
  });

  it("leaves returnPath out on the event page", () => {
    expect(registrationBody("ev1", "c-12345678", { email: "ada@example.com" }, false)).not.toHaveProperty("returnPath");
    expect(registrationBody("ev1", "c-12345678", { email: "ada@example.com", code: "123456" }, false)).not.toHaveProperty("returnPath");
  });
});

describe("waiting for a payment", () => {
  const owed: RegistrationResponse = {
    viewerId: "v1",
    token: "t",
    accessVerified: true,
    paymentStatus: "none",
    isPaidViewer: false,
    requiresPayment: true,
    checkoutUrl: "https://pay.example/c/1",
    codeSent: false,
  };

  it("waits while the payment is processing", () => {
    expect(awaitsPayment({ ...owed, paymentStatus: "pending" }, false)).toBe(true);
  });

  it("waits after the checkout until the webhook lands, but not after a failure", () => {
    expect(awaitsPayment(owed, false)).toBe(false);
    expect(awaitsPayment(owed, true)).toBe(true);
    expect(awaitsPayment({ ...owed, paymentStatus: "failed" }, true)).toBe(false);
  });

  it("stops once the viewer has paid", () => {
    expect(awaitsPayment({ ...owed, paymentStatus: "success", isPaidViewer: true, requiresPayment: false }, true)).toBe(false);
  });
});
