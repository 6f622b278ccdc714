import { describe, expect, it } from "vitest";
import { neededHeight } from "./embedSize";

describe("the embed's height", () => {
  it("is 16:9 of its width for the player or a small card", () => {
    expect(neededHeight(640, 0)).toBe(360);
    expect(neededHeight(640, 300)).toBe(360);
  });

  it("grows to a card taller than 16:9, rounded up to whole pixels", () => {
    expect(neededHeight(390, 512.2)).toBe(513);
  });
});
