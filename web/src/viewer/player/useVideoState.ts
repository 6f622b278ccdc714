import { useEffect, useState, type RefObject } from "react";

export interface VideoState {
  playing: boolean;
  currentTime: number;
  duration: number;
  bufferedEnd: number;
  seekableStart: number;
  seekableEnd: number;
  volume: number;
  muted: boolean;
  rate: number;
  waiting: boolean;
  ended: boolean;
  started: boolean;
}

const INITIAL: VideoState = {
  playing: false,
  currentTime: 0,
  duration: 0,
  bufferedEnd: 0,
  seekableStart: 0,
  seekableEnd: 0,
  volume: 1,
  muted: false,
  rate: 1,
  waiting: false,
  ended: false,
  started: false,
};

const EVENTS = [
  "play", "pause", "playing", "timeupdate", "durationchange", "progress", "volumechange", "ratechange",
  "waiting", "canplay", "ended", "seeking", "seeked", "loadedmetadata", "emptied",
] as const;

/** The <video> element's state as React state, updated from its media events. */
export function useVideoState(videoRef: RefObject<HTMLVideoElement | null>): VideoState {
  const [state, setState] = useState<VideoState>(INITIAL);

  useEffect(() => {
    const video = videoRef.current;
    if (!video) return;
    const read = (e?: Event) =>
      setState((prev) => {
        const seekable = video.seekable;
        const buffered = video.buffered;
        return {
          playing: !video.paused && !video.ended,
          currentTime: video.currentTime,
          duration: Number.isFinite(video.duration) ? video.duration : 0,
          bufferedEnd: buffered.length ? buffered.end(buffered.length - 1) : 0,
          seekableStart: seekable.length ? seekable.start(0) : 0,
          seekableEnd: seekable.length ? seekable.end(seekable.length - 1) : 0,
          volume: video.volume,
          muted: video.muted,
          rate: video.playbackRate,
          waiting: e?.type === "waiting" ? true : e?.type === "playing" || e?.type === "canplay" || e?.type === "pause" ? false : prev.waiting,
          ended: video.ended,
          started: prev.started || e?.type === "playing" || video.currentTime > 0,
        };
      });
    EVENTS.forEach((name) => video.addEventListener(name, read));
    read();
    return () => EVENTS.forEach((name) => video.removeEventListener(name, read));
  }, [videoRef]);

  return state;
}
