import { useEffect, useRef, useState } from "react";
import { createPortal } from "react-dom";

/** Floating emoji on the player at once, at most: a flood of reactions stays a handful of elements. */
export const MAX_FLOATING = 24;
/** Per emoji and second, at most this many float (the rest are counted, not drawn). */
export const MAX_PER_EMOJI = 6;

export interface Floating {
  id: number;
  emoji: string;
  left: number;
  delay: number;
}

/** The floats a `reactions` frame adds, within the caps (tested). */
export function floatsFor(counts: Record<string, number>, alreadyFloating: number, nextId: number, random: () => number = Math.random): Floating[] {
  const room = Math.max(0, MAX_FLOATING - alreadyFloating);
  const out: Floating[] = [];
  for (const [emoji, count] of Object.entries(counts)) {
    for (let i = 0; i < Math.min(count, MAX_PER_EMOJI) && out.length < room; i++) {
      out.push({ id: nextId + out.length, emoji, left: 8 + random() * 84, delay: random() * 0.6 });
    }
  }
  return out;
}

export function prefersReducedMotion(): boolean {
  return typeof window !== "undefined" && window.matchMedia?.("(prefers-reduced-motion: reduce)").matches === true;
}

const FLOAT_MS = 2600;

/** The room's reactions of the last second, rising over the player (or, with reduced motion, a still tally). */
export function ReactionBursts({ burst, target }: { burst: { counts: Record<string, number>; seq: number } | null; target: HTMLElement | null }) {
  const [floating, setFloating] = useState<Floating[]>([]);
  const [tally, setTally] = useState<Record<string, number> | null>(null);
  const nextId = useRef(1);
  const count = useRef(0);
  count.current = floating.length;

  useEffect(() => {
    if (!burst) return;
    if (prefersReducedMotion()) {
      setTally(burst.counts);
      const t = window.setTimeout(() => setTally(null), FLOAT_MS);
      return () => window.clearTimeout(t);
    }
    const added = floatsFor(burst.counts, count.current, nextId.current);
    nextId.current += added.length;
    if (added.length === 0) return;
    setFloating((current) => [...current, ...added]);
    const ids = new Set(added.map((f) => f.id));
    window.setTimeout(() => setFloating((current) => current.filter((f) => !ids.has(f.id))), FLOAT_MS + 700);
  }, [burst]);

  if (!target) return null;
  return createPortal(
    <div className="reaction-layer" aria-hidden="true" data-testid="reaction-layer">
      {floating.map((f) => (
        <span key={f.id} className="reaction-float" style={{ left: `${f.left}%`, animationDelay: `${f.delay}s` }} data-testid="reaction-float">
          {f.emoji}
        </span>
      ))}
      {tally ? (
        <span className="reaction-tally" data-testid="reaction-tally">
          {Object.entries(tally).map(([emoji, n]) => `${emoji} ${n}`).join("  ")}
        </span>
      ) : null}
    </div>,
    target,
  );
}

/** The palette's buttons: one reaction per press. */
export function ReactionBar({ palette, onReact, disabled, problem = null }: { palette: readonly string[]; onReact: (emoji: string) => void; disabled?: boolean; problem?: string | null }) {
  if (palette.length === 0) return null;
  return (
    <div className="chat-reactions" role="group" aria-label="React" data-testid="chat-reactions">
      <p className="chat-problem chat-reactions-problem" role="status" data-testid="chat-reactions-problem">
        {problem}
      </p>
      {palette.map((emoji) => (
        <button key={emoji} type="button" className="chat-reaction" onClick={() => onReact(emoji)} disabled={disabled} aria-label={`React with ${emoji}`} data-testid="chat-reaction">
          {emoji}
        </button>
      ))}
    </div>
  );
}
