import type { KeyboardEvent } from "react";

export interface PlayerKeyActions {
  togglePlay: () => void;
  seekBy: (seconds: number) => void;
  volumeBy: (delta: number) => void;
  toggleFullscreen: () => void;
  toggleMute: () => void;
}

/** Maps a key to a player action name; null leaves the key to the browser. */
export type PlayerKeyAction = "togglePlay" | "seekBack" | "seekForward" | "volumeUp" | "volumeDown" | "toggleFullscreen" | "toggleMute";

export function playerKeyAction(key: string, target: { tagName: string; type?: string }): PlayerKeyAction | null {
  const tag = target.tagName;
  const onButton = tag === "BUTTON";
  const onRange = tag === "INPUT" && target.type === "range";
  if (tag === "INPUT" && !onRange) return null;
  switch (key) {
    case " ":
      return onButton ? null : "togglePlay";
    case "k":
    case "K":
      return "togglePlay";
    case "ArrowLeft":
      return onRange ? null : "seekBack";
    case "ArrowRight":
      return onRange ? null : "seekForward";
    case "ArrowUp":
      return onRange ? null : "volumeUp";
    case "ArrowDown":
      return onRange ? null : "volumeDown";
    case "f":
    case "F":
      return "toggleFullscreen";
    case "m":
    case "M":
      return "toggleMute";
    default:
      return null;
  }
}

/** Space/k play-pause, ←/→ seek 5 s, ↑/↓ volume, f full screen, m mute. */
export function handlePlayerKey(e: KeyboardEvent<HTMLElement>, actions: PlayerKeyActions): void {
  if (e.altKey || e.ctrlKey || e.metaKey) return;
  const action = playerKeyAction(e.key, e.target as HTMLInputElement);
  if (!action) return;
  e.preventDefault();
  switch (action) {
    case "seekBack":
      return actions.seekBy(-5);
    case "seekForward":
      return actions.seekBy(5);
    case "volumeUp":
      return actions.volumeBy(0.1);
    case "volumeDown":
      return actions.volumeBy(-0.1);
    default:
      return actions[action]();
  }
}
