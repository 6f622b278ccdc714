import { describe, expect, it } from "vitest";
import { announcement } from "./announce";
import { errorWords, secondsToWait } from "./errors";
import { floatsFor, MAX_FLOATING, MAX_PER_EMOJI } from "./Reactions";
import { mentionsYou, messageParts, quote } from "./text";
import type { ChatMessage } from "./protocol";

describe("messageParts", () => {
  it("marks the mentions the server listed, and the viewer's own", () => {
    expect(messageParts("hi @Ada and @bob, mail me@x.org", ["Ada", "bob"], "Ada")).toEqual([
      { kind: "text", text: "hi " },
      { kind: "mention", text: "@Ada", name: "Ada", you: true },
      { kind: "text", text: " and " },
      { kind: "mention", text: "@bob", name: "bob", you: false },
      { kind: "text", text: ", mail me@x.org" },
    ]);
    expect(messageParts("@nobody", [], null)).toEqual([{ kind: "text", text: "@nobody" }]);
    expect(messageParts("salut @Zoë !", ["Zoë"], null)[1]).toEqual({ kind: "mention", text: "@Zoë", name: "Zoë", you: false });
    expect(mentionsYou(["ada"], "Ada")).toBe(true);
    expect(quote("x".repeat(100), 10)).toHaveLength(10);
  });
});

describe("errorWords", () => {
  it("counts down a rate limit and slow mode from retryAfter", () => {
    const error = { frame: { type: "error" as const, code: "rate_limited", message: "slow down", details: { retryAfter: 2.5 } }, at: 10_000, cause: "message" };
    expect(secondsToWait(error, 10_000)).toBe(3);
    expect(errorWords(error, 10_000)).toContain("in 3 s");
    expect(errorWords(error, 13_000)).toBeNull();
    const slow = { frame: { type: "error" as const, code: "slow_mode", message: "Slow mode is on: one message every 30 s", details: { retryAfter: 12 } }, at: 0, cause: "message" };
    expect(errorWords({ ...error, cause: "reaction" }, 10_000)).toContain("sending reactions too fast");
    expect(errorWords(slow, 2000)).toBe("Slow mode is on: one message every 30 s. You can send again in 10 s.");
  });

  it("says until when a timeout lasts, and the server's words otherwise", () => {
    const timeout = { frame: { type: "error" as const, code: "timed_out", message: "paused", details: { until: "2099-01-01T12:00:00+00:00" } }, at: 0, cause: "message" };
    expect(errorWords(timeout, 0)).toMatch(/^A moderator paused your messages until .+\. You can read the chat meanwhile\.$/);
    // the server writes times with Z; an ended timeout has nothing left to say
    const zulu = { ...timeout, frame: { ...timeout.frame, details: { until: "2026-03-01T12:00:00Z" } } };
    expect(errorWords(zulu, Date.parse("2026-03-01T11:00:00Z"))).toMatch(/paused your messages until/);
    expect(errorWords(zulu, Date.parse("2026-03-01T12:00:01Z"))).toBeNull();
    expect(errorWords({ frame: { type: "error", code: "links_not_allowed", message: "Links are not allowed here" }, at: 0, cause: "message" }, 0)).toBe("Links are not allowed here.");
  });
});

describe("announcement", () => {
  const m = (id: string, name: string, text: string): ChatMessage => ({ messageId: id, author: { personId: id, name, moderator: false }, text, replyTo: null, mentions: [], status: "visible", createdAt: null });
  it("reads one message, and sums up a flood", () => {
    expect(announcement([])).toBe("");
    expect(announcement([m("1", "Ada", "hello")])).toBe("Ada: hello");
    expect(announcement([m("1", "Ada", "a"), m("2", "Bo", "b"), m("3", "Cy", "c")])).toBe("3 new messages. The last, from Cy: c");
  });
});

describe("floatsFor", () => {
  it("caps the floating reactions per emoji and in all", () => {
    expect(floatsFor({ "👍": 100 }, 0, 1, () => 0.5)).toHaveLength(MAX_PER_EMOJI);
    const many = Object.fromEntries(["a", "b", "c", "d", "e", "f"].map((e) => [e, 10]));
    expect(floatsFor(many, 0, 1)).toHaveLength(MAX_FLOATING);
    expect(floatsFor(many, MAX_FLOATING - 2, 1)).toHaveLength(2);
    expect(floatsFor({ "👍": 3 }, MAX_FLOATING, 1)).toHaveLength(0);
  });
});
