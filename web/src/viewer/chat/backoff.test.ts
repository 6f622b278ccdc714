import { describe, expect, it } from "vitest";
import { FIRST_RETRY_MS, MAX_RETRY_MS, isFinalClose, reconnectDelay } from "./backoff";

describe("reconnectDelay", () => {
  it("doubles from a second, with half of it random", () => {
    expect(reconnectDelay(0, () => 0)).toBe(FIRST_RETRY_MS / 2);
    expect(reconnectDelay(0, () => 1)).toBe(FIRST_RETRY_MS);
    expect(reconnectDelay(1, () => 1)).toBe(2000);
    expect(reconnectDelay(3, () => 0.5)).toBe(6000);
  });

  it("never waits more than 30 s, however many attempts", () => {
    expect(reconnectDelay(10, () => 1)).toBe(MAX_RETRY_MS);
    expect(reconnectDelay(1000, () => 1)).toBe(MAX_RETRY_MS);
    expect(reconnectDelay(1000, () => 0)).toBe(MAX_RETRY_MS / 2);
  });
});

describe("isFinalClose", () => {
  it("gives up on the room's refusals, not on a dropped or slow connection", () => {
    expect([4401, 4403, 4404].every(isFinalClose)).toBe(true);
    expect([1000, 1001, 1006, 1013].some(isFinalClose)).toBe(false);
  });
});
