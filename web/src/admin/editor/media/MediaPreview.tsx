import { Suspense, lazy, useEffect, useState } from "react";
import { ApiError, media as mediaApi } from "../../../api/client";
import type { Playback } from "../../../api/types";
import { Spinner } from "../../../shared/Status";

// The viewer's player, loaded (with hls.js) only when a ready video is previewed.
const HlsVideo = lazy(() => import("../../../viewer/player/VideoPlayer").then((m) => ({ default: m.HlsVideo })));

/** The ready video in the viewer's player, played with the admin's own session. */
export function MediaPreview({ eventId, version }: { eventId: string; version: string }) {
  const [playback, setPlayback] = useState<Playback | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [retry, setRetry] = useState(0);

  useEffect(() => {
    const controller = new AbortController();
    setPlayback(null);
    setError(null);
    mediaApi
      .playback(eventId, controller.signal)
      .then(setPlayback)
      .catch((err: unknown) => {
        if (!controller.signal.aborted) setError(err instanceof ApiError ? err.message : "Could not load the preview.");
      });
    return () => controller.abort();
  }, [eventId, version, retry]);

  if (error) return <p className="text-danger small" role="alert" data-testid="media-preview-error">Preview unavailable: {error}</p>;
  return (
    <div className="media-preview" data-testid="media-preview">
      {playback ? (
        <Suspense fallback={<Spinner label="Loading player…" />}>
          <HlsVideo
            key={playback.playbackUrl}
            eventId={`admin-preview:${eventId}`}
            url={playback.playbackUrl}
            poster={playback.posterUrl}
            thumbnailsUrl={playback.thumbnailsUrl}
            isLive={false}
            startPosition={0}
            autoplay={false}
            startMuted
            accent={null}
            onDenied={() => setError("the server refused to play it with your session.")}
            onRetry={() => setRetry((r) => r + 1)}
          />
        </Suspense>
      ) : (
        <Spinner label="Loading preview…" />
      )}
    </div>
  );
}
