import { describe, expect, it } from "vitest";
import { MAX_KEPT_MESSAGES, chatReducer, compareIds, initialChatState, errorShowsAt, isJoinRefusal, lastSeenId, mergeMessages, sortQuestions, type ChatState } from "./chatState";
import type { ChatMessage, Poll, Question, ServerFrame } from "./protocol";

function message(id: string, text = `m${id}`, extra: Partial<ChatMessage> = {}): ChatMessage {
  return { messageId: id, author: { personId: "g:1", name: "Ada", moderator: false }, text, replyTo: null, mentions: [], status: "visible", createdAt: null, ...extra };
}

function apply(state: ChatState, ...frames: ServerFrame[]): ChatState {
  return frames.reduce((s, frame) => chatReducer(s, { type: "frame", frame, now: 1000 }), state);
}

const you = { personId: "g:1", name: "Ada", moderator: false, canChat: true, reason: "allowed", message: "" };
const settings = { policy: "everyone" as const, linksAllowed: false, slowModeSeconds: 0, emoteOnly: false, blockedTermAction: "mask" as const, pinnedMessageId: null };
const poll: Poll = { pollId: "p1", question: "Tea?", options: [{ optionId: "a", text: "Yes", votes: 0 }, { optionId: "b", text: "No", votes: 0 }], totalVotes: 0, status: "active", endsAt: null, createdAt: null, endedAt: null };

describe("message ids", () => {
  it("orders digit strings as numbers", () => {
    expect(compareIds("9", "10")).toBeLessThan(0);
    expect(compareIds("123", "123")).toBe(0);
    expect(compareIds("200", "199")).toBeGreaterThan(0);
  });
});

describe("mergeMessages", () => {
  it("appends a newer message, and puts an older one in its place", () => {
    const list = mergeMessages([message("1"), message("3")], [message("4")]);
    expect(list.map((m) => m.messageId)).toEqual(["1", "3", "4"]);
    expect(mergeMessages(list, [message("2")]).map((m) => m.messageId)).toEqual(["1", "2", "3", "4"]);
  });

  it("replaces a message it has (a held one let through) instead of showing it twice", () => {
    const list = mergeMessages([message("1"), message("2", "x", { status: "held" })], [message("2", "x")]);
    expect(list).toHaveLength(2);
    expect(list[1]?.status).toBe("visible");
  });

  it("keeps the newest MAX_KEPT_MESSAGES", () => {
    let list: ChatMessage[] = [];
    for (let i = 1; i <= MAX_KEPT_MESSAGES + 5; i++) list = mergeMessages(list, [message(String(i))]);
    expect(list).toHaveLength(MAX_KEPT_MESSAGES);
    expect(list[0]?.messageId).toBe("6");
  });
});

describe("chatReducer", () => {
  it("takes hello, then the history, then live messages", () => {
    const state = apply(initialChatState, { type: "hello", you, settings, pinned: null, poll, pollVote: "a", reactions: ["👍", "🎉"] }, { type: "history", messages: [message("1"), message("2")] }, { type: "message", message: message("3") });
    expect(state.you?.name).toBe("Ada");
    expect(state.palette).toEqual(["👍", "🎉"]);
    expect(state.pollVote).toBe("a");
    expect(state.messages.map((m) => m.messageId)).toEqual(["1", "2", "3"]);
    expect(lastSeenId(state)).toBe("3");
  });

  it("merges a reconnect's history (after=) without doubles", () => {
    const before = apply(initialChatState, { type: "history", messages: [message("1"), message("2")] });
    const after = apply(before, { type: "hello", you, settings, pinned: null }, { type: "history", messages: [message("3")] }, { type: "message", message: message("3") });
    expect(after.messages.map((m) => m.messageId)).toEqual(["1", "2", "3"]);
  });

  it("does not name a held message as the last seen", () => {
    const state = apply(initialChatState, { type: "message", message: message("5") }, { type: "held", message: message("6") });
    expect(state.messages[1]?.status).toBe("held");
    expect(lastSeenId(state)).toBe("5");
  });

  it("removes deleted messages, and the pin with them; clear empties the room", () => {
    const state = apply(initialChatState, { type: "history", messages: [message("1"), message("2"), message("3")] }, { type: "pinned", message: message("2") }, { type: "deleted", messageIds: ["2", "3"] });
    expect(state.messages.map((m) => m.messageId)).toEqual(["1"]);
    expect(state.pinned).toBeNull();
    expect(apply(state, { type: "cleared" }).messages).toEqual([]);
  });

  it("keeps a moderator's blocked terms when a public settings frame arrives", () => {
    const state = apply(initialChatState, { type: "hello", you, settings: { ...settings, blockedTerms: ["spam"] }, pinned: null }, { type: "settings", settings: { ...settings, slowModeSeconds: 10 } });
    expect(state.settings?.blockedTerms).toEqual(["spam"]);
    expect(state.settings?.slowModeSeconds).toBe(10);
  });

  it("forgets the vote when a new poll starts, keeps it as results move", () => {
    let state = apply(initialChatState, { type: "poll", poll }, { type: "voted", pollId: "p1", optionId: "b" });
    expect(state.pollVote).toBe("b");
    state = apply(state, { type: "poll", poll: { ...poll, totalVotes: 3 } });
    expect(state.pollVote).toBe("b");
    state = apply(state, { type: "poll", poll: { ...poll, pollId: "p2" } });
    expect(state.pollVote).toBeNull();
  });

  it("sorts questions by upvotes as they change, and drops hidden ones", () => {
    const q = (id: string, upvotes: number, createdAt: string): Question => ({ questionId: id, author: { personId: "g:2", name: "Bo" }, text: id, upvotes, status: "open", createdAt });
    let state = apply(initialChatState, { type: "questions", questions: [q("a", 1, "2026-01-01T00:00:01Z"), q("b", 3, "2026-01-01T00:00:02Z")] });
    expect(state.questions.map((x) => x.questionId)).toEqual(["b", "a"]);
    state = apply(state, { type: "question", question: q("a", 5, "2026-01-01T00:00:01Z") });
    expect(state.questions.map((x) => x.questionId)).toEqual(["a", "b"]);
    state = apply(state, { type: "question_removed", questionId: "a" });
    expect(state.questions.map((x) => x.questionId)).toEqual(["b"]);
    expect(sortQuestions([q("x", 1, "2026-01-01T00:00:05Z"), q("y", 1, "2026-01-01T00:00:01Z")]).map((x) => x.questionId)).toEqual(["y", "x"]);
  });

  it("remembers the questions the join frame says this person upvoted, after their counts move", () => {
    const q = (id: string, upvotes: number, upvoted?: boolean): Question => ({ questionId: id, author: { personId: "g:2", name: "Bo" }, text: id, upvotes, status: "open", createdAt: null, ...(upvoted === undefined ? {} : { upvoted }) });
    let state = apply(initialChatState, { type: "questions", questions: [q("a", 2, true), q("b", 1, false)] });
    expect(state.upvoted).toEqual(["a"]);
    state = apply(state, { type: "question", question: q("a", 3) }); // someone else's upvote: no upvoted field
    expect(state.upvoted).toEqual(["a"]);
    state = apply(state, { type: "questions", questions: [q("a", 3, true)] }); // a reconnect: no doubles
    expect(state.upvoted).toEqual(["a"]);
  });

  it("adds the host's answered questions to the open ones the socket sent, without doubles", () => {
    const q = (id: string, upvotes: number, status: "open" | "answered" = "open"): Question => ({ questionId: id, author: { personId: "g:2", name: "Bo" }, text: id, upvotes, status, createdAt: null });
    let state = apply(initialChatState, { type: "questions", questions: [q("a", 2)] });
    state = chatReducer(state, { type: "questions-loaded", questions: [q("a", 1), q("b", 5, "answered")] });
    expect(state.questions.map((x) => [x.questionId, x.upvotes])).toEqual([["b", 5], ["a", 2]]);
  });

  it("notes a timeout and a ban, and a lifted one clears them", () => {
    let state = apply(initialChatState, { type: "hello", you, settings, pinned: null }, { type: "error", code: "timed_out", message: "paused", details: { until: "2030-01-01T00:00:00+00:00" } });
    expect(state.mutedUntil).toBe("2030-01-01T00:00:00+00:00");
    state = apply(state, { type: "restored" });
    expect(state.mutedUntil).toBeNull();
    expect(state.error).toBeNull();
    state = apply(state, { type: "error", code: "banned", message: "removed" });
    expect(state.banned).toBe(true);
  });

  it("counts each reactions frame as a new burst", () => {
    const state = apply(initialChatState, { type: "reactions", counts: { "👍": 2 } }, { type: "reactions", counts: { "👍": 2 } });
    expect(state.burst).toEqual({ counts: { "👍": 2 }, seq: 2 });
  });
});

describe("what an error answers", () => {
  it("places a refusal by the frame it answers (request), not by the last frame sent", () => {
    let state = apply(initialChatState, { type: "error", code: "rate_limited", message: "too fast", details: { retryAfter: 1 }, request: "reaction" });
    expect(state.error?.cause).toBe("reaction");
    expect(errorShowsAt(state.error, "reactions")).toBe(true);
    expect(errorShowsAt(state.error, "composer")).toBe(false);
    state = apply(state, { type: "error", code: "slow_mode", message: "slow", details: { retryAfter: 3 }, request: "message" });
    expect(errorShowsAt(state.error, "composer")).toBe(true);
    expect(errorShowsAt(state.error, "questions")).toBe(false);
    state = apply(state, { type: "error", code: "chat_poll_voted", message: "voted", request: "vote" });
    expect([errorShowsAt(state.error, "poll"), errorShowsAt(state.error, "composer")]).toEqual([true, false]);
    state = apply(state, { type: "error", code: "chat_question_upvoted", message: "upvoted", request: "upvote" });
    expect([errorShowsAt(state.error, "questions"), errorShowsAt(state.error, "composer")]).toEqual([true, false]);
    state = apply(state, { type: "error", code: "not_moderator", message: "no", request: "ban" });
    expect(errorShowsAt(state.error, "composer")).toBe(true);
    state = apply(state, { type: "error", code: "timed_out", message: "paused", details: { until: null } });
    expect(state.error?.cause).toBeNull(); // the socket's own (a moderator's timeout): no request
    expect([errorShowsAt(state.error, "composer"), errorShowsAt(state.error, "questions"), errorShowsAt(state.error, "reactions")]).toEqual([true, true, false]);
    expect(errorShowsAt(null, "composer")).toBe(false);
  });
});

describe("isJoinRefusal", () => {
  it("knows the refusals that close the socket", () => {
    expect(isJoinRefusal("banned")).toBe(true);
    expect(isJoinRefusal("payment_required")).toBe(true);
    expect(isJoinRefusal("rate_limited")).toBe(false);
  });
});
