import { useEffect, useRef, useState } from "react";
import { compareIds } from "./chatState";
import type { ChatMessage } from "./protocol";
import { quote } from "./text";

/** What a screen reader hears for messages that arrived since the last announcement (tested). */
export function announcement(arrived: readonly ChatMessage[]): string {
  const last = arrived[arrived.length - 1];
  if (!last) return "";
  if (arrived.length === 1) return `${last.author.name}: ${quote(last.text, 140)}`;
  return `${arrived.length} new messages. The last, from ${last.author.name}: ${quote(last.text, 100)}`;
}

export const ANNOUNCE_EVERY_MS = 5000;

/**
 * A polite live region's text for new messages, at most one announcement every few seconds (a flood is one
 * summary, not a hundred interruptions). The viewer's own messages are not announced.
 */
export function useAnnouncer(messages: readonly ChatMessage[], yourId: string | null, enabled = true): string {
  const [text, setText] = useState("");
  const seen = useRef<string | null>(null);
  const timer = useRef<number | undefined>(undefined);
  const latest = useRef(messages);
  latest.current = messages;

  useEffect(() => {
    const newest = messages[messages.length - 1]?.messageId ?? null;
    if (seen.current === null) {
      seen.current = newest ?? "0"; // the history on joining is not news
      return;
    }
    if (!enabled || timer.current !== undefined) return;
    timer.current = window.setTimeout(() => {
      timer.current = undefined;
      const since = seen.current ?? "0";
      const arrived = latest.current.filter((m) => compareIds(m.messageId, since) > 0 && m.author.personId !== yourId && m.status !== "held");
      const last = latest.current[latest.current.length - 1];
      if (last) seen.current = last.messageId;
      if (arrived.length) setText(announcement(arrived));
    }, ANNOUNCE_EVERY_MS);
  }, [messages, yourId, enabled]);

  useEffect(() => () => window.clearTimeout(timer.current), []);
  return text;
}

/** A clock that ticks while `active` (for countdowns). */
export function useNow(active: boolean, every = 500): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!active) return;
    setNow(Date.now());
    const id = window.setInterval(() => setNow(Date.now()), every);
    return () => window.clearInterval(id);
  }, [active, every]);
  return now;
}
