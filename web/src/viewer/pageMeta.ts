// The page's title and meta description, from the event shown (search results and shared links read them).
import { useEffect } from "react";
import type { PublicEvent } from "../api/types";

const DESCRIPTION_MAX = 160;

/** Plain text of the event's (sanitized) description, shortened at a word; "Watch {title}" when empty. */
export function pageDescription(event: Pick<PublicEvent, "title" | "descriptionHtml">, platformName = "GoLive"): string {
  const text = (new DOMParser().parseFromString(event.descriptionHtml || "", "text/html").body.textContent ?? "").replace(/\s+/g, " ").trim();
  if (!text) return `Watch ${event.title} on ${platformName}.`;
  if (text.length <= DESCRIPTION_MAX) return text;
  const cut = text.slice(0, DESCRIPTION_MAX - 1);
  const lastSpace = cut.lastIndexOf(" ");
  return `${(lastSpace > DESCRIPTION_MAX / 2 ? cut.slice(0, lastSpace) : cut).trimEnd()}…`;
}

/** Sets `document.title` and `<meta name="description">` once both are known. */
export function usePageMeta(title: string | null, description: string | null) {
  useEffect(() => {
    if (title) document.title = title;
    if (!description) return;
    let meta = document.querySelector<HTMLMetaElement>('meta[name="description"]');
    if (!meta) {
      meta = document.createElement("meta");
      meta.name = "description";
      document.head.appendChild(meta);
    }
    meta.content = description;
  }, [title, description]);
}
