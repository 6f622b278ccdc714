// A message's text in parts: plain runs and @mentions (tested in text.test.ts).

export type TextPart = { kind: "text"; text: string } | { kind: "mention"; text: string; name: string; you: boolean };

// the server's pattern (Python's \w is Unicode: letters, digits and _ of every script)
const MENTION = /(?<![\p{L}\p{N}_@])@([\p{L}\p{N}\p{M}_.-]{1,40})/gu;

/** Splits `text` at its @mentions; only names the server listed count (`mentions`), and `you` marks the viewer's. */
export function messageParts(text: string, mentions: readonly string[], yourName: string | null): TextPart[] {
  const listed = new Set(mentions.map((m) => m.toLowerCase()));
  const yours = yourName ? yourName.toLowerCase().replace(/\s+/g, "") : null;
  const parts: TextPart[] = [];
  let at = 0;
  for (const match of text.matchAll(MENTION)) {
    const name = match[1] ?? "";
    if (!listed.has(name.toLowerCase())) continue;
    const index = match.index ?? 0;
    if (index > at) parts.push({ kind: "text", text: text.slice(at, index) });
    parts.push({ kind: "mention", text: match[0], name, you: yours !== null && name.toLowerCase() === yours });
    at = index + match[0].length;
  }
  if (at < text.length) parts.push({ kind: "text", text: text.slice(at) });
  return parts;
}

/** Whether a message mentions the viewer (by their chat name, spaces dropped). */
export function mentionsYou(mentions: readonly string[], yourName: string | null): boolean {
  if (!yourName) return false;
  const yours = yourName.toLowerCase().replace(/\s+/g, "");
  return mentions.some((m) => m.toLowerCase() === yours);
}

/** A short quote of a message for a reply's context. */
export function quote(text: string, limit = 80): string {
  return text.length > limit ? `${text.slice(0, limit - 1)}…` : text;
}
