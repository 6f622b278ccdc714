import { Suspense, lazy, useEffect, useState } from "react";
import { ApiError, media as mediaApi } from "../../../api/client";
import type { Playback } from "../../../api/types";
import { Spinner } from "../../../shared/Status";
import { PlayIcon } from "../../../viewer/player/icons";

// The viewer's player, loaded (with hls.js) only when a ready video is previewed.
const HlsVideo = lazy(() => import("../../../viewer/player/VideoPlayer").then((m) => ({ default: m.HlsVideo })));

/**
 * The ready video in the viewer's player, played with the admin's own session. Until the admin presses
 * play it is only the poster: the player chunk, hls.js and the video itself load on that press.
 */
export function MediaPreview({ eventId, version }: { eventId: string; version: string }) {
  const [playback, setPlayback] = useState<Playback | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [retry, setRetry] = useState(0);
  const [started, setStarted] = useState(false);

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
      {playback && !started ? (
        <button type="button" className="media-preview-start" onClick={() => setStarted(true)} aria-label="Play the video" data-testid="media-preview-play">
          {playback.posterUrl ? <img src={playback.posterUrl} alt="" /> : null}
          <span className="big-play" aria-hidden="true"><PlayIcon /></span>
        </button>
      ) : playback ? (
        <Suspense fallback={<Spinner label="Loading player…" />}>
          <HlsVideo
            key={playback.playbackUrl}
            eventId={`admin-preview:${eventId}`}
            url={playback.playbackUrl}
            poster={playback.posterUrl}
            thumbnailsUrl={playback.thumbnailsUrl}
            isLive={false}
            startPosition={0}
            autoplay
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
