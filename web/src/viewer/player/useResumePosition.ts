import { useEffect, type RefObject } from "react";
import { clearResumePosition, saveResumePosition } from "../../lib/storage";

const SAVE_EVERY_MS = 5000;

/** Remembers where an on-demand video was, every 5 s, to start from there next time. */
export function useResumePosition(videoRef: RefObject<HTMLVideoElement | null>, eventId: string, enabled: boolean) {
  useEffect(() => {
    const video = videoRef.current;
    if (!video || !enabled) return;
    const save = () => {
      if (video.ended) clearResumePosition(eventId);
      else if (video.currentTime > 1) saveResumePosition(eventId, video.currentTime);
    };
    const timer = window.setInterval(() => {
      if (!video.paused) save();
    }, SAVE_EVERY_MS);
    const onEnded = () => clearResumePosition(eventId);
    video.addEventListener("pause", save);
    video.addEventListener("ended", onEnded);
    return () => {
      window.clearInterval(timer);
      video.removeEventListener("pause", save);
      video.removeEventListener("ended", onEnded);
    };
  }, [videoRef, eventId, enabled]);
}
