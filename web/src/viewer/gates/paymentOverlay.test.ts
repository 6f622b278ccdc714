import { describe, expect, it } from "vitest";
import type { RegistrationResponse } from "../../api/types";
import { overlayState } from "./PaymentOverlay";

const owed: RegistrationResponse = {
  viewerId: "v1",
  token: null,
  accessVerified: true,
  paymentStatus: "none",
  isPaidViewer: false,
  requiresPayment: true,
  checkoutUrl: "https://pay.example/c/1",
  codeSent: false,
};

describe("the paid overlay", () => {
  it("asks for the payment first", () => {
    expect(overlayState(owed, false, false)).toBe("due");
  });

  it("says the payment failed and offers to try again", () => {
    expect(overlayState({ ...owed, paymentStatus: "failed" }, false, false)).toBe("failed");
  });

  it("waits for the confirmation once the viewer paid", () => {
    expect(overlayState({ ...owed, paymentStatus: "pending" }, true, false)).toBe("waiting");
  });

  it("explains a refund and a cancelled checkout", () => {
    expect(overlayState({ ...owed, paymentStatus: "refunded" }, false, false)).toBe("refunded");
    expect(overlayState(owed, false, true)).toBe("cancelled");
  });
});
