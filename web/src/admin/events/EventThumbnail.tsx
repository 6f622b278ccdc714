import { useState } from "react";

// Dark enough for white initials (4.5:1 or more, WCAG AA).
const PALETTE = ["#4338ca", "#0369a1", "#0f766e", "#b45309", "#b91c1c", "#6d28d9", "#be185d", "#15803d"];

const LETTER_OR_DIGIT = /[\p{L}\p{N}]/gu;

/**
 * Two initials for the placeholder tile: the first letter or digit of the first two words that have
 * one ("Masterclass (paid)" → "MP"), or the first two of a single word. Punctuation and emoji never count.
 */
export function initialsOf(title: string): string {
  const words = title
    .split(/\s+/)
    .map((word) => word.match(LETTER_OR_DIGIT) ?? [])
    .filter((chars) => chars.length > 0);
  const letters = words.length > 1 ? [words[0]![0], words[1]![0]] : (words[0] ?? []).slice(0, 2);
  return letters.join("").toUpperCase() || "?";
}

export function placeholderColor(seed: string): string {
  let hash = 0;
  for (const ch of seed) hash = (hash * 31 + ch.charCodeAt(0)) | 0;
  return PALETTE[Math.abs(hash) % PALETTE.length]!;
}

interface Props {
  title: string;
  url: string | null;
  seed: string;
  /** Where the video's poster may be (tried when the event has no thumbnail of its own). */
  posterUrl?: string | null;
}

/** The event's thumbnail, else its video's poster, else a coloured tile with its initials. */
export function EventThumbnail({ title, url, seed, posterUrl = null }: Props) {
  const [posterMissing, setPosterMissing] = useState(false);
  if (url) return <img className="event-thumb" src={url} alt="" loading="lazy" />;
  if (posterUrl && !posterMissing) {
    return <img className="event-thumb" src={posterUrl} alt="" loading="lazy" onError={() => setPosterMissing(true)} data-testid="event-thumb-poster" />;
  }
  return (
    <span className="event-thumb event-thumb-placeholder" style={{ background: placeholderColor(seed) }} aria-hidden="true">
      {initialsOf(title)}
    </span>
  );
}
