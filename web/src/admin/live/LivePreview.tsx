import { Suspense, lazy, useState } from "react";
import type { LiveInput } from "../../api/types";
import { Spinner } from "../../shared/Status";

// The viewer's player (with hls.js), loaded only when there is a stream to preview.
const HlsVideo = lazy(() => import("../../viewer/player/VideoPlayer").then((m) => ({ default: m.HlsVideo })));

/** What viewers get, played with a signed preview URL; a new connection reloads the player. */
export function LivePreview({ eventId, input }: { eventId: string; input: LiveInput }) {
  const [retry, setRetry] = useState(0);
  const [denied, setDenied] = useState(false);
  // The server hands out a preview only once the stream's first segments exist (also while reconnecting).
  const receiving = Boolean(input.previewUrl);

  return (
    <div className="live-preview" data-testid="live-preview">
      {receiving && !denied ? (
        <Suspense fallback={<Spinner label="Loading player…" />}>
          <HlsVideo
            key={`${input.previewUrl}#${input.health.connectedAt ?? ""}#${retry}`}
            eventId={`admin-live-preview:${eventId}`}
            url={input.previewUrl!}
            poster={null}
            thumbnailsUrl={null}
            isLive
            startPosition={null}
            autoplay
            startMuted
            accent={null}
            onDenied={() => setDenied(true)}
            onRetry={() => setRetry((r) => r + 1)}
          />
        </Suspense>
      ) : (
        <div className="live-preview-empty" data-testid="live-preview-empty">
          {denied ? (
            <>
              <p>The server refused the preview with your session.</p>
              <button type="button" className="btn btn-secondary btn-small" onClick={() => { setDenied(false); setRetry((r) => r + 1); }}>
                Retry
              </button>
            </>
          ) : input.state === "ended" ? (
            <p>The stream has ended.</p>
          ) : (
            <p>No signal. Start streaming from your encoder to see the preview here.</p>
          )}
        </div>
      )}
    </div>
  );
}
