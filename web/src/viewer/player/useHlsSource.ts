import { useCallback, useEffect, useRef, useState, type RefObject } from "react";
import type Hls from "hls.js";
import { resign, signatureOf, type MediaSignature } from "../../lib/mediaSignature";

export interface QualityLevel {
  index: number;
  height: number;
  bitrate: number;
}

export interface SubtitleTrack {
  index: number;
  label: string;
  lang: string;
}

export interface HlsSource {
  levels: QualityLevel[];
  /** -1 = automatic. */
  selectedLevel: number;
  /** The level playing right now (shown as "Auto (720p)"). */
  playingLevel: number;
  setLevel: (index: number) => void;
  subtitles: SubtitleTrack[];
  selectedSubtitle: number;
  setSubtitle: (index: number) => void;
  /** Seconds of the live edge, when live. */
  liveEdge: () => number | null;
  fatalError: string | null;
  /** Signed URL expired or revoked while playing. */
  denied: boolean;
}

function hasMediaSource(): boolean {
  const w = window as typeof window & { ManagedMediaSource?: unknown };
  return typeof w.MediaSource === "function" || typeof w.ManagedMediaSource === "function";
}

/**
 * Attaches an HLS URL to a <video>: hls.js (loaded on demand) where Media
 * Source Extensions exist, so every browser gets quality levels and captions;
 * native HLS otherwise (iOS Safari). Plain files (.mp4) play natively.
 *
 * `signature` is the newest renewed media signature: hls.js puts it on every request it makes (playlists,
 * segments, keys) in place of the one the URL carries. Native HLS cannot be told, so the source is set
 * again at the current position when the signature it plays with has half its life left.
 */
export function useHlsSource(
  videoRef: RefObject<HTMLVideoElement | null>,
  url: string | null,
  startPosition: number | null,
  signature: MediaSignature | null = null,
): HlsSource {
  const hlsRef = useRef<Hls | null>(null);
  const signatureRef = useRef(signature);
  const nativeRef = useRef(false);
  const [levels, setLevels] = useState<QualityLevel[]>([]);
  const [selectedLevel, setSelectedLevel] = useState(-1);
  const [playingLevel, setPlayingLevel] = useState(-1);
  const [subtitles, setSubtitles] = useState<SubtitleTrack[]>([]);
  const [selectedSubtitle, setSelectedSubtitle] = useState(-1);
  const [fatalError, setFatalError] = useState<string | null>(null);
  const [denied, setDenied] = useState(false);

  useEffect(() => {
    const video = videoRef.current;
    if (!video || !url) return;
    let cancelled = false;
    setLevels([]);
    setSubtitles([]);
    setSelectedLevel(-1);
    setSelectedSubtitle(-1);
    setFatalError(null);
    setDenied(false);

    const playNatively = () => {
      nativeRef.current = true;
      const seekToStart = () => {
        if (startPosition && startPosition > 0) video.currentTime = startPosition;
      };
      video.addEventListener("loadedmetadata", seekToStart, { once: true });
      video.src = resign(url, signatureRef.current);
      const tracks = video.textTracks;
      const readTracks = () =>
        setSubtitles(
          Array.from(tracks)
            .map((t, index) => ({ t, index }))
            .filter(({ t }) => t.kind === "subtitles" || t.kind === "captions")
            .map(({ t, index }) => ({ index, label: t.label || t.language || `Track ${index + 1}`, lang: t.language })),
        );
      tracks.addEventListener("addtrack", readTracks);
      return () => tracks.removeEventListener("addtrack", readTracks);
    };

    const isHls = !/\.mp4(\?|$)/i.test(url);
    const nativeHls = video.canPlayType("application/vnd.apple.mpegurl") !== "";
    let cleanupNative: (() => void) | null = null;

    if (!isHls || (!hasMediaSource() && nativeHls)) {
      cleanupNative = playNatively();
    } else {
      void import("hls.js")
        .then(({ default: HlsClass }) => {
          if (cancelled) return;
          if (!HlsClass.isSupported()) {
            if (nativeHls) cleanupNative = playNatively();
            else setFatalError("This browser cannot play this video.");
            return;
          }
          const hls = new HlsClass({
            startPosition: startPosition && startPosition > 0 ? startPosition : -1,
            capLevelToPlayerSize: true,
            enableWorker: true,
            lowLatencyMode: true,
            // every request carries the newest signature; the rest of its URL stays as hls.js built it
            xhrSetup: (xhr, requestUrl) => {
              const signed = resign(requestUrl, signatureRef.current);
              if (signed !== requestUrl) xhr.open("GET", signed, true);
            },
          });
          hlsRef.current = hls;
          hls.subtitleDisplay = true;
          hls.on(HlsClass.Events.MANIFEST_PARSED, (_e, data) => {
            setLevels(
              data.levels
                .map((level, index) => ({ index, height: level.height, bitrate: level.bitrate }))
                .sort((a, b) => b.height - a.height || b.bitrate - a.bitrate),
            );
          });
          hls.on(HlsClass.Events.LEVEL_SWITCHED, (_e, data) => setPlayingLevel(data.level));
          hls.on(HlsClass.Events.SUBTITLE_TRACKS_UPDATED, (_e, data) =>
            setSubtitles(data.subtitleTracks.map((t, index) => ({ index, label: t.name || t.lang || `Track ${index + 1}`, lang: t.lang ?? "" }))),
          );
          hls.on(HlsClass.Events.SUBTITLE_TRACK_SWITCH, (_e, data) => setSelectedSubtitle(data.id));
          hls.on(HlsClass.Events.ERROR, (_e, data) => {
            const code = data.response?.code;
            if (code === 401 || code === 403) {
              setDenied(true);
              return;
            }
            if (!data.fatal) return;
            if (data.type === HlsClass.ErrorTypes.MEDIA_ERROR) {
              hls.recoverMediaError();
              return;
            }
            setFatalError(data.type === HlsClass.ErrorTypes.NETWORK_ERROR ? "The video could not be loaded (network error)." : "The video could not be played.");
          });
          hls.loadSource(url);
          hls.attachMedia(video);
        })
        .catch(() => {
          if (!cancelled) setFatalError("The player could not be loaded. Check your connection.");
        });
    }

    return () => {
      cancelled = true;
      nativeRef.current = false;
      cleanupNative?.();
      hlsRef.current?.destroy();
      hlsRef.current = null;
      video.removeAttribute("src");
      video.load();
    };
    // startPosition is read once per source on purpose.
  }, [videoRef, url]);

  useEffect(() => {
    signatureRef.current = signature;
    const video = videoRef.current;
    if (!video || !signature || !nativeRef.current) return;
    const playing = video.currentSrc || video.src;
    const held = signatureOf(playing);
    const now = Date.now() / 1000;
    // Re-setting the source costs a short rebuffer: only once the signature played with is half spent.
    if (!held || Number(held.exp) - now > (Number(signature.exp) - now) / 2) return;
    const next = resign(playing, signature);
    if (next === playing) return;
    const position = video.currentTime;
    const resume = !video.paused;
    const onDemand = Number.isFinite(video.duration); // a live stream rejoins at its edge
    video.addEventListener(
      "loadedmetadata",
      () => {
        if (onDemand && position > 0) video.currentTime = position;
        if (resume) void video.play().catch(() => undefined);
      },
      { once: true },
    );
    video.src = next;
  }, [videoRef, signature]);

  const setLevel = useCallback((index: number) => {
    setSelectedLevel(index);
    if (hlsRef.current) hlsRef.current.currentLevel = index;
  }, []);

  const setSubtitle = useCallback(
    (index: number) => {
      setSelectedSubtitle(index);
      const hls = hlsRef.current;
      if (hls) {
        hls.subtitleTrack = index;
        return;
      }
      const tracks = videoRef.current?.textTracks;
      if (!tracks) return;
      Array.from(tracks).forEach((track, i) => {
        track.mode = i === index ? "showing" : "disabled";
      });
    },
    [videoRef],
  );

  const liveEdge = useCallback(() => {
    const hls = hlsRef.current;
    if (hls?.liveSyncPosition != null) return hls.liveSyncPosition;
    const seekable = videoRef.current?.seekable;
    return seekable && seekable.length > 0 ? seekable.end(seekable.length - 1) : null;
  }, [videoRef]);

  return { levels, selectedLevel, playingLevel, setLevel, subtitles, selectedSubtitle, setSubtitle, liveEdge, fatalError, denied };
}
