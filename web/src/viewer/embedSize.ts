// The embed tells the page that frames it how tall it needs to be (like Vimeo's player): 16:9 for the
// player, more when a gate card is taller. The page's /static/app/embed.js applies it to the iframe.
import { useEffect, type RefObject } from "react";

/** The message's `type`; web/public/embed.js listens for the same string. */
export const EMBED_SIZE_MESSAGE = "golive:embed-size";

export interface EmbedSizeMessage {
  type: typeof EMBED_SIZE_MESSAGE;
  eventId: string;
  height: number;
}

/** The height the embed needs at this width: 16:9, or the content's height when that is taller. */
export function neededHeight(width: number, contentHeight: number): number {
  return Math.max(Math.round((width * 9) / 16), Math.ceil(contentHeight));
}

function verticalPadding(el: HTMLElement): number {
  const style = window.getComputedStyle(el);
  return parseFloat(style.paddingTop) + parseFloat(style.paddingBottom);
}

interface EmbedParts {
  /** The title bar. */
  head: RefObject<HTMLElement | null>;
  /** The padded area the card sits in. */
  body: RefObject<HTMLElement | null>;
  /** The card (or the player, which takes no room of its own) at its natural height. */
  content: RefObject<HTMLElement | null>;
}

/**
 * While framed, posts the needed height to the parent whenever it changes: the content resizes (a gate
 * swapped for the player, an error under a field) or the iframe gets wider or narrower. `active` once the
 * parts are on the page.
 */
export function useEmbedSizeReporter(eventId: string, { head, body, content }: EmbedParts, active: boolean) {
  useEffect(() => {
    const [headEl, bodyEl, contentEl] = [head.current, body.current, content.current];
    if (!active || window.parent === window || !headEl || !bodyEl || !contentEl) return;
    let last = -1;
    const report = () => {
      const natural = headEl.offsetHeight + verticalPadding(bodyEl) + contentEl.offsetHeight;
      const height = neededHeight(document.documentElement.clientWidth, natural);
      if (height === last) return;
      last = height;
      const message: EmbedSizeMessage = { type: EMBED_SIZE_MESSAGE, eventId, height };
      // only a height: nothing private, and the embedding page's origin is not known here
      window.parent.postMessage(message, "*");
    };
    const observer = new ResizeObserver(report);
    for (const el of [headEl, contentEl]) observer.observe(el);
    window.addEventListener("resize", report);
    report();
    return () => {
      observer.disconnect();
      window.removeEventListener("resize", report);
    };
  }, [eventId, head, body, content, active]);
}
