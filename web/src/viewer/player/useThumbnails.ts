import { useEffect, useMemo, useRef, useState } from "react";
import { resign, type MediaSignature } from "../../lib/mediaSignature";
import { parseThumbnailVtt, type ThumbnailCue } from "../../lib/vtt";

/**
 * Loads the seek-preview sprite cues; an unavailable file simply means no previews. Each sprite URL
 * carries the newest renewed `signature`, as the video's own requests do.
 */
export function useThumbnails(thumbnailsUrl: string | null | undefined, signature: MediaSignature | null = null): ThumbnailCue[] {
  const [cues, setCues] = useState<ThumbnailCue[]>([]);
  const signatureRef = useRef(signature);
  useEffect(() => {
    signatureRef.current = signature;
  }, [signature]);
  useEffect(() => {
    setCues([]);
    if (!thumbnailsUrl) return;
    const controller = new AbortController();
    const base = resign(new URL(thumbnailsUrl, window.location.href).toString(), signatureRef.current);
    fetch(base, { signal: controller.signal, credentials: "same-origin" })
      .then((res) => (res.ok ? res.text() : ""))
      .then((text) => setCues(parseThumbnailVtt(text, base)))
      .catch(() => undefined);
    return () => controller.abort();
  }, [thumbnailsUrl]);
  return useMemo(() => (signature ? cues.map((cue) => ({ ...cue, url: resign(cue.url, signature) })) : cues), [cues, signature]);
}
