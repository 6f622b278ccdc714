import { useEffect, useRef, useState } from "react";
import { ApiError, chat } from "../../api/client";
import { subscribeVideo } from "../player/playerClock";
import { REPLAY_WINDOW_SECONDS, addWindow, isJump, replayItems, shownAt, windowStart, windowsToFetch, type ReplayMessage } from "./replay";

const RETRY_FAILED_MS = 5000;

/**
 * The chat of the live broadcast, replayed in step with the page's video: windows of messages fetched around
 * the position (again after a seek), each shown once the position passes its offset.
 */
export function useReplayChat(eventId: string, token: string) {
  const [video, setVideo] = useState<HTMLVideoElement | null>(null);
  const [position, setPosition] = useState(0);
  const [seeks, setSeeks] = useState(0);
  const [kept, setKept] = useState<ReplayMessage[]>([]);
  const [error, setError] = useState<string | null>(null);
  // the event's video is no recording of its broadcast (an upload): there is no chat to replay
  const [unavailable, setUnavailable] = useState(false);
  const asked = useRef(new Set<number>());

  useEffect(() => subscribeVideo(setVideo), []);

  useEffect(() => {
    if (!video) return;
    let last = video.currentTime;
    setPosition(last);
    const onTime = () => {
      const now = video.currentTime;
      if (isJump(last, now)) {
        asked.current = new Set();
        setSeeks((s) => s + 1);
      }
      last = now;
      setPosition(now);
    };
    const onSeeked = () => {
      // a seek asks again for the windows around the new position
      asked.current = new Set();
      last = video.currentTime;
      setSeeks((s) => s + 1);
      setPosition(video.currentTime);
    };
    video.addEventListener("timeupdate", onTime);
    video.addEventListener("seeked", onSeeked);
    return () => {
      video.removeEventListener("timeupdate", onTime);
      video.removeEventListener("seeked", onSeeked);
    };
  }, [video]);

  const currentWindow = windowStart(position);
  const duration = video && Number.isFinite(video.duration) ? video.duration : null;
  // one controller per event and viewer: a window asked for stays asked for while the position moves on
  const controller = useRef<AbortController | null>(null);
  useEffect(() => {
    controller.current = new AbortController();
    asked.current = new Set();
    setKept([]);
    return () => controller.current?.abort();
  }, [eventId, token]);

  useEffect(() => {
    const signal = controller.current?.signal;
    if (!signal) return;
    for (const start of windowsToFetch(position, asked.current, duration)) {
      const set = asked.current;
      set.add(start);
      chat
        .replay(eventId, token, start, start + REPLAY_WINDOW_SECONDS, signal)
        .then((answer) => {
          if (signal.aborted) return;
          setError(null);
          setKept((current) => addWindow(current, replayItems(answer)));
        })
        .catch((err: unknown) => {
          if (signal.aborted) return;
          if (err instanceof ApiError && err.code === "chat_replay_unavailable") {
            setUnavailable(true);
            return;
          }
          setError(err instanceof ApiError ? err.message : "Could not load the chat replay.");
          window.setTimeout(() => set.delete(start), RETRY_FAILED_MS);
        });
    }
    // position is read through its window: a new request only when the window changes, or after a seek
  }, [eventId, token, currentWindow, seeks, duration]);

  return { messages: shownAt(kept, position), position, error, unavailable, playing: video !== null };
}
