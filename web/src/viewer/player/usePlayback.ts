import { useEffect, useState } from "react";
import { ApiError, viewer } from "../../api/client";
import type { Playback, PublicEvent } from "../../api/types";
import { signatureOf, type MediaSignature } from "../../lib/mediaSignature";
import { isRefusal, refusalOf, type Refusal } from "./refusal";

export type PlaybackState =
  | { kind: "not-started" }
  | { kind: "cancelled" }
  | { kind: "loading" }
  | { kind: "ready"; playback: Playback }
  | { kind: "ended" }
  | { kind: "no-video" }
  | { kind: "denied" }
  | { kind: "refused"; refusal: Refusal }
  | { kind: "error"; message: string };

export interface PlaybackView {
  state: PlaybackState;
  /** The newest media signature: every later media request carries it (see useHlsSource). */
  signature: MediaSignature | null;
}

/** A renewal lost on the network (or answered 429/5xx) is tried again this soon, while the signature lasts. */
const RENEWAL_RETRY_SECONDS = 3;

function sameSource(a: Playback, b: Playback): boolean {
  return a.isLive === b.isLive && a.playbackUrl.split("?")[0] === b.playbackUrl.split("?")[0];
}

/**
 * Asks the server for a signed playback URL once the event can be watched, then again every
 * `renewAfterSeconds`: a viewer's signature lives a minute, and each renewal is decided again, so a
 * refund or a changed gate stops the video (state "refused", with the server's words) instead of a stall.
 */
export function usePlayback(event: PublicEvent, token: string, retryKey: number): PlaybackView {
  const [state, setState] = useState<PlaybackState>({ kind: "loading" });
  const [signature, setSignature] = useState<MediaSignature | null>(null);
  const { eventId, status, eventType } = event;

  useEffect(() => {
    setSignature(null);
    if (status === "draft" || status === "scheduled") {
      setState({ kind: "not-started" });
      return;
    }
    if (status === "cancelled") {
      setState({ kind: "cancelled" });
      return;
    }
    const controller = new AbortController();
    let timer: number | undefined;
    let playing: Playback | null = null;

    const accept = (playback: Playback) => {
      // The same video with a fresh signature keeps playing; another one (a replacement, the replay) starts anew.
      if (!playing || !sameSource(playing, playback)) {
        playing = playback;
        setState({ kind: "ready", playback });
      }
      setSignature(signatureOf(playback.playbackUrl));
      timer = window.setTimeout(renew, Math.max(1, playback.renewAfterSeconds) * 1000);
    };

    const renew = () => {
      viewer
        .playback(eventId, token, controller.signal)
        .then(accept)
        .catch((err: unknown) => {
          if (controller.signal.aborted) return;
          // media_not_ready: a live event just ended and its replay is coming; the page's event refresh takes over
          if (isRefusal(err) && err.code !== "media_not_ready") {
            setState({ kind: "refused", refusal: refusalOf(err) });
            return;
          }
          const retryIn = Math.min(RENEWAL_RETRY_SECONDS, Math.max(1, playing?.renewAfterSeconds ?? RENEWAL_RETRY_SECONDS));
          timer = window.setTimeout(renew, retryIn * 1000);
        });
    };

    setState({ kind: "loading" });
    viewer
      .playback(eventId, token, controller.signal)
      .then(accept)
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
    return () => {
      controller.abort();
      window.clearTimeout(timer);
    };
  }, [eventId, status, eventType, token, retryKey]);

  return { state, signature };
}
