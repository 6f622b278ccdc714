import { describe, expect, it } from "vitest";
import type { ChatReport, ChatRestriction } from "../../../api/types";
import { draftOf, updateOf } from "./ChatSettingsForm";
import { bansAfter, inForce, nextExpiry, queueAfter } from "./moderationLists";
import { pollFrame } from "./PollControls";

describe("pollFrame", () => {
  it("takes 2 to 5 filled, distinct options and a duration in bounds", () => {
    expect(pollFrame("Tea?", ["Yes", " No ", ""], 5)).toEqual({ type: "poll_start", question: "Tea?", options: ["Yes", "No"], durationSeconds: 15 });
    expect(pollFrame("", ["a", "b"], 60)).toBe("Write the question.");
    expect(pollFrame("Q", ["a"], 60)).toMatch(/at least 2/);
    expect(pollFrame("Q", ["a", "b", "c", "d", "e", "f"], 60)).toMatch(/at most 5/);
    expect(pollFrame("Q", ["a", "A"], 60)).toMatch(/same thing/);
  });
});

describe("chat settings form", () => {
  const settings = { policy: "everyone" as const, linksAllowed: false, slowModeSeconds: 5, emoteOnly: false, blockedTerms: ["spam", "scam"], blockedTermAction: "hold" as const, pinnedMessageId: null, embedChat: false };
  it("holds blocked terms one per line and sends them back trimmed and once", () => {
    const draft = draftOf(settings);
    expect(draft.blockedTerms).toBe("spam\nscam");
    const body = updateOf({ ...draft, blockedTerms: " spam\n\nscam\nspam\n", slowModeSeconds: 9999 });
    expect(body.blockedTerms).toEqual(["spam", "scam"]);
    expect(body.slowModeSeconds).toBe(3600);
    expect(body.embedChat).toBe(false);
    expect(updateOf({ ...draft, embedChat: true })).toMatchObject({ embedChat: true });
  });
});

describe("the moderation lists, moved by frames", () => {
  const message = { messageId: "7", author: { personId: "g:1", name: "Rude", moderator: false }, text: "unkind", replyTo: null, mentions: [], status: "visible", createdAt: null };
  const report = (id: string, createdAt: string): ChatReport => ({ reportId: id, status: "pending", reportedBy: "g:2", reason: null, createdAt, message }) as ChatReport;
  const ban = (id: string, personId: string, kind: "ban" | "timeout", until: string | null = null): ChatRestriction =>
    ({ restrictionId: id, personId, name: personId, kind, until, reason: null, createdBy: "s:1", createdAt: null }) as ChatRestriction;

  it("adds a reported message to the queue once, oldest first", () => {
    let queue = queueAfter([report("b", "2026-01-01T00:00:02Z")], { type: "report", report: report("a", "2026-01-01T00:00:01Z") });
    queue = queueAfter(queue, { type: "report", report: report("a", "2026-01-01T00:00:01Z") });
    expect(queue.map((r) => r.reportId)).toEqual(["a", "b"]);
    expect(queueAfter(queue, { type: "pong" })).toBe(queue);
  });

  it("drops a report another moderator settled", () => {
    const queue = [report("a", "2026-01-01T00:00:01Z"), report("b", "2026-01-01T00:00:02Z")];
    const settled = queueAfter(queue, { type: "report_settled", reportId: "a", status: "approved" });
    expect(settled.map((r) => r.reportId)).toEqual(["b"]);
  });

  it("adds a ban or timeout at the top, replacing the person's last; a lift takes it", () => {
    let bans = bansAfter([ban("1", "g:1", "timeout", "2099-01-01T00:00:00Z")], { type: "restricted", restriction: ban("2", "g:2", "ban") });
    expect(bans.map((b) => b.restrictionId)).toEqual(["2", "1"]);
    bans = bansAfter(bans, { type: "restricted", restriction: ban("3", "g:1", "ban") }); // the timeout becomes a ban
    expect(bans.map((b) => b.restrictionId)).toEqual(["3", "2"]);
    bans = bansAfter(bans, { type: "lifted", personId: "g:1" });
    expect(bans.map((b) => b.restrictionId)).toEqual(["2"]);
  });

  it("drops a timeout that ran out, and knows when the next one does", () => {
    const now = Date.parse("2026-01-01T00:00:00Z");
    const bans = [ban("1", "g:1", "timeout", "2026-01-01T00:05:00Z"), ban("2", "g:2", "timeout", "2025-12-31T23:59:00Z"), ban("3", "g:3", "ban")];
    expect(inForce(bans, now).map((b) => b.restrictionId)).toEqual(["1", "3"]);
    expect(nextExpiry(bans, now)).toBe(Date.parse("2026-01-01T00:05:00Z"));
    expect(nextExpiry([ban("3", "g:3", "ban")], now)).toBeNull();
  });
});
