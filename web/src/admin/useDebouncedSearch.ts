import { useEffect, useState } from "react";

/**
 * A search box's text, committed `delayMs` after the admin stops typing, so a list page queries
 * once per search rather than once per keystroke. Follows outside changes (back button, reset).
 */
export function useDebouncedSearch(committed: string | undefined, commit: (q: string) => void, delayMs = 300) {
  const [text, setText] = useState(committed ?? "");

  useEffect(() => setText(committed ?? ""), [committed]);
  useEffect(() => {
    if (text === (committed ?? "")) return;
    const timer = window.setTimeout(() => commit(text), delayMs);
    return () => window.clearTimeout(timer);
  }, [text, committed, commit, delayMs]);

  return [text, setText] as const;
}
