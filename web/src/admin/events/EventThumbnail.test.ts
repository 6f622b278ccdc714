import { describe, expect, it } from "vitest";
import { initialsOf, placeholderColor } from "./EventThumbnail";

describe("event thumbnail initials", () => {
  it("takes the first letter of the first two words", () => {
    expect(initialsOf("Partner summit")).toBe("PS");
    expect(initialsOf("  annual   general meeting ")).toBe("AG");
  });

  it("uses letters and digits only", () => {
    expect(initialsOf("Masterclass (paid)")).toBe("MP");
    expect(initialsOf("Q&A: live")).toBe("QL");
    expect(initialsOf("2025 kickoff")).toBe("2K");
    expect(initialsOf("\"Quoted\" title")).toBe("QT");
  });

  it("skips words without a letter or digit", () => {
    expect(initialsOf("— Keynote — day two")).toBe("KD");
    expect(initialsOf("🎉 Launch 🎉 party")).toBe("LP");
    expect(initialsOf("Webinar (!)")).toBe("WE");
  });

  it("takes two characters of a single word and handles non-Latin letters", () => {
    expect(initialsOf("Keynote")).toBe("KE");
    expect(initialsOf("X")).toBe("X");
    expect(initialsOf("évènement spécial")).toBe("ÉS");
    expect(initialsOf("Встреча команды")).toBe("ВК");
  });

  it("falls back to a question mark", () => {
    expect(initialsOf("")).toBe("?");
    expect(initialsOf("   ")).toBe("?");
    expect(initialsOf("!!! ???")).toBe("?");
  });

  it("picks a stable colour per seed", () => {
    expect(placeholderColor("ev_1")).toBe(placeholderColor("ev_1"));
    expect(placeholderColor("")).toMatch(/^#[0-9a-f]{6}$/);
  });
});
