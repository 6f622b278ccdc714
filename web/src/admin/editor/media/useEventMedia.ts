import { useCallback, useEffect, useState } from "react";
import { ApiError, media as mediaApi } from "../../../api/client";
import type { MediaAsset } from "../../../api/types";
import { isMediaBusy } from "./mediaFormat";

export const MEDIA_POLL_MS = 2000;

export type EventMediaState =
  | { kind: "loading" }
  | { kind: "none" }
  | { kind: "loaded"; media: MediaAsset }
  | { kind: "error"; message: string };

/** The event's video, re-read every 2 s while the server uploads or transcodes it. */
export function useEventMedia(eventId: string): { state: EventMediaState; reload: () => void } {
  const [state, setState] = useState<EventMediaState>({ kind: "loading" });
  const [version, setVersion] = useState(0);

  useEffect(() => {
    const controller = new AbortController();
    let timer: number | undefined;
    const load = () => {
      mediaApi
        .get(eventId, controller.signal)
        .then((media) => {
          setState({ kind: "loaded", media });
          if (isMediaBusy(media.status)) timer = window.setTimeout(load, MEDIA_POLL_MS);
        })
        .catch((err: unknown) => {
          if (controller.signal.aborted) return;
          if (err instanceof ApiError && err.status === 404) setState({ kind: "none" });
          else setState({ kind: "error", message: err instanceof ApiError ? err.message : "Could not load the video." });
        });
    };
    load();
    return () => {
      controller.abort();
      window.clearTimeout(timer);
    };
  }, [eventId, version]);

  const reload = useCallback(() => setVersion((v) => v + 1), []);
  return { state, reload };
}
