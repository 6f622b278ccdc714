import { describe, expect, it } from "vitest";
import { playerKeyAction } from "./playerKeys";

const div = { tagName: "DIV" };

describe("player keyboard", () => {
  it("maps the usual player keys", () => {
    expect(playerKeyAction(" ", div)).toBe("togglePlay");
    expect(playerKeyAction("k", div)).toBe("togglePlay");
    expect(playerKeyAction("ArrowLeft", div)).toBe("seekBack");
    expect(playerKeyAction("ArrowUp", div)).toBe("volumeUp");
    expect(playerKeyAction("f", div)).toBe("toggleFullscreen");
    expect(playerKeyAction("m", div)).toBe("toggleMute");
    expect(playerKeyAction("x", div)).toBeNull();
  });

  it("leaves keys to the focused control where they already mean something", () => {
    expect(playerKeyAction(" ", { tagName: "BUTTON" })).toBeNull();
    expect(playerKeyAction("ArrowLeft", { tagName: "INPUT", type: "range" })).toBeNull();
    expect(playerKeyAction("f", { tagName: "INPUT", type: "text" })).toBeNull();
  });
});
