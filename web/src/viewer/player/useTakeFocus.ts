import { useCallback, useRef } from "react";

/** Nothing has the focus: it fell back to the page when what held it (a gate's button) went away. */
function focusIsLost(): boolean {
  return document.activeElement === null || document.activeElement === document.body;
}

/**
 * A ref that moves the focus to its element as it mounts, when `enabled` and nothing else holds the focus:
 * after a gate opens, the keyboard lands on the player (and follows it from "loading" to the video) instead
 * of the page's start, without ever taking the focus from where the viewer put it. Each element is
 * considered once, when it first appears.
 */
export function useTakeFocus<T extends HTMLElement>(enabled: boolean): (element: T | null) => void {
  const seen = useRef<T | null>(null);
  return useCallback(
    (element: T | null) => {
      if (!element || element === seen.current) return;
      seen.current = element;
      if (enabled && focusIsLost()) element.focus({ preventScroll: true });
    },
    [enabled],
  );
}
