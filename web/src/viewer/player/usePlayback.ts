import { useEffect, useState } from "react";
import { ApiError, viewer } from "../../api/client";
import type { Playback, PublicEvent } from "../../api/types";

export type PlaybackState =
  | { kind: "not-started" }
  | { kind: "cancelled" }
  | { kind: "loading" }
  | { kind: "ready"; playback: Playback }
  | { kind: "ended" }
  | { kind: "no-video" }
  | { kind: "denied" }
  | { kind: "error"; message: string };

/** Asks the server for a signed playback URL once the event can be watched. */
export function usePlayback(event: PublicEvent, token: string, retryKey: number): PlaybackState {
  const [state, setState] = useState<PlaybackState>({ kind: "loading" });
  const { eventId, status, eventType } = event;

  useEffect(() => {
    if (status === "draft" || status === "scheduled") {
      setState({ kind: "not-started" });
      return;
    }
    if (status === "cancelled") {
      setState({ kind: "cancelled" });
      return;
    }
    const controller = new AbortController();
    setState({ kind: "loading" });
    viewer
      .playback(eventId, token, controller.signal)
      .then((playback) => setState({ kind: "ready", playback }))
      .catch((err: unknown) => {
        if (controller.signal.aborted) return;
        if (err instanceof ApiError) {
          if (err.status === 401 || err.status === 402 || err.status === 403) setState({ kind: "denied" });
          else if ((err.status === 404 || err.status === 409 || err.status === 410) && (status === "ended" || status === "archived")) setState({ kind: "ended" });
          else if (err.code === "media_not_ready" && eventType === "vod") setState({ kind: "no-video" });
          else if (err.status === 409 && status === "live") setState({ kind: "error", message: "The stream has not started yet. It will appear here as soon as it does." });
          else setState({ kind: "error", message: err.message });
        } else {
          setState({ kind: "error", message: "Could not load the video." });
        }
      });
    return () => controller.abort();
  }, [eventId, status, eventType, token, retryKey]);

  return state;
}
