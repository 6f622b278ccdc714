import { describe, expect, it } from "vitest";
import { callSequence } from "./callSequence";

describe("call sequence", () => {
  it("keeps only the answer of the latest call, whatever order the answers come in", () => {
    const calls = callSequence();
    const recheck = calls.start(); // the re-entry check, still running
    const code = calls.start(); // the emailed code, sent meanwhile
    expect(code()).toBe(true);
    expect(recheck()).toBe(false); // its "please pay" arrives last and is dropped
  });

  it("lets a lone call through, and a new call supersede it", () => {
    const calls = callSequence();
    const first = calls.start();
    expect(first()).toBe(true);
    const second = calls.start();
    expect(first()).toBe(false);
    expect(second()).toBe(true);
  });
});
