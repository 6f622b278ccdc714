import { describe, expect, it } from "vitest";
import { REPLAY_WINDOW_SECONDS as W, addWindow, isJump, replayItems, shownAt, windowStart, windowsToFetch, type ReplayMessage } from "./replay";

function at(id: string, offsetSeconds: number): ReplayMessage {
  return { messageId: id, offsetSeconds, author: { personId: "g:1", name: "Ada", moderator: false }, text: id, replyTo: null, mentions: [], status: "visible", createdAt: null };
}

describe("replay windows", () => {
  it("asks for the window before, its own and the next", () => {
    expect(windowStart(0)).toBe(0);
    expect(windowStart(W + 5)).toBe(W);
    expect(windowsToFetch(0, new Set())).toEqual([0, W]);
    expect(windowsToFetch(W * 2 + 1, new Set())).toEqual([W, W * 2, W * 3]);
  });

  it("does not ask again for what it has, nor past the end", () => {
    expect(windowsToFetch(W + 1, new Set([0, W]))).toEqual([W * 2]);
    expect(windowsToFetch(W + 1, new Set(), W + 30)).toEqual([0, W]);
  });

  it("tells a seek from playing on", () => {
    expect(isJump(10, 10.25)).toBe(false);
    expect(isJump(10, 10 + W)).toBe(true);
    expect(isJump(100, 5)).toBe(true);
  });
});

describe("shownAt", () => {
  const kept = [at("3", 30), at("1", 1), at("2", 12.5), at("9", 200)];
  it("shows what the position has passed, in replay order", () => {
    expect(shownAt(kept, 0).map((m) => m.messageId)).toEqual([]);
    expect(shownAt(kept, 13).map((m) => m.messageId)).toEqual(["1", "2"]);
    expect(shownAt(kept, 40).map((m) => m.messageId)).toEqual(["1", "2", "3"]);
  });

  it("after a seek back, hides what lies ahead again", () => {
    expect(shownAt(kept, 201).map((m) => m.messageId)).toEqual(["9"]);
    expect(shownAt(kept, 2).map((m) => m.messageId)).toEqual(["1"]);
  });

  it("merges windows by id and reads the answer's list", () => {
    expect(addWindow([at("1", 1)], [at("1", 1), at("2", 2)])).toHaveLength(2);
    expect(replayItems({ items: [at("1", 1), { messageId: "x" }] })).toHaveLength(1);
    expect(replayItems({ messages: [at("1", 1)] })).toHaveLength(1);
    expect(replayItems(null)).toEqual([]);
  });
});
