import { describe, expect, it } from "vitest";
import { draftOf, updateOf } from "./ChatSettingsForm";
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
