import { describe, expect, it } from "vitest";
import { contrastOnWhite, MIN_CONTRAST } from "./contrast";

describe("contrastOnWhite", () => {
  it("agrees with the server on what is readable", () => {
    expect(contrastOnWhite("#4f46e5")).toBeGreaterThan(MIN_CONTRAST); // 6.3: the default
    expect(contrastOnWhite("#3b82f6")).toBeLessThan(MIN_CONTRAST); // 3.7: seed 003's default, refused
    expect(contrastOnWhite("#ffff00")).toBeLessThan(1.2);
  });

  it("says nothing of what is not a colour", () => {
    expect(contrastOnWhite("blue")).toBeNull();
    expect(contrastOnWhite("#fff")).toBeNull();
  });
});
