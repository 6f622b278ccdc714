import { useEffect, useState } from "react";
import { parseThumbnailVtt, type ThumbnailCue } from "../../lib/vtt";

/** Loads the seek-preview sprite cues; an unavailable file simply means no previews. */
export function useThumbnails(thumbnailsUrl: string | null | undefined): ThumbnailCue[] {
  const [cues, setCues] = useState<ThumbnailCue[]>([]);
  useEffect(() => {
    setCues([]);
    if (!thumbnailsUrl) return;
    const controller = new AbortController();
    const base = new URL(thumbnailsUrl, window.location.href).toString();
    fetch(base, { signal: controller.signal, credentials: "same-origin" })
      .then((res) => (res.ok ? res.text() : ""))
      .then((text) => setCues(parseThumbnailVtt(text, base)))
      .catch(() => undefined);
    return () => controller.abort();
  }, [thumbnailsUrl]);
  return cues;
}
