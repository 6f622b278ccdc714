import { useCallback, useEffect, useRef, useState, type CSSProperties } from "react";
import type { BroadcastState, PublicEvent } from "../../api/types";
import type { MediaSignature } from "../../lib/mediaSignature";
import { loadResumePosition } from "../../lib/storage";
import { Spinner } from "../../shared/Status";
import { Countdown } from "../Countdown";
import { BroadcastEnded, BroadcastInterrupted } from "./BroadcastMessages";
import { PlayIcon } from "./icons";
import { PlayerControls } from "./PlayerControls";
import { PlayerMessage } from "./PlayerMessage";
import { useBroadcastStatus } from "./useBroadcastStatus";
import { useHlsSource } from "./useHlsSource";
import { usePlayback } from "./usePlayback";
import { PlaybackTelemetry } from "../telemetry/telemetry";
import { handlePlayerKey } from "./playerKeys";
import { publishVideo, withdrawVideo } from "./playerClock";
import { useResumePosition } from "./useResumePosition";
import { useTakeFocus } from "./useTakeFocus";
import { useThumbnails } from "./useThumbnails";
import { useVideoState } from "./useVideoState";

interface Props {
  event: PublicEvent;
  token: string;
  autoplay: boolean;
  startMuted: boolean;
  onAccessDenied: () => void;
  onReplayFound: (found: boolean) => void;
  onEventStale: () => void;
  /** The viewer just passed the gate: the focus moves to the player. */
  takeFocus?: boolean;
}

const HIDE_CONTROLS_MS = 3000;

/** The video player: messages before/after the event, then HLS playback with custom controls. */
export default function VideoPlayer({ event, token, autoplay, startMuted, onAccessDenied, onReplayFound, onEventStale, takeFocus = false }: Props) {
  const [retryKey, setRetryKey] = useState(0);
  const focusHere = useTakeFocus<HTMLDivElement>(takeFocus);
  const { state: playback, signature } = usePlayback(event, token, retryKey);

  useEffect(() => {
    if (playback.kind === "refused") onEventStale();
    if (playback.kind === "denied") onAccessDenied();
    if (playback.kind === "ready" && (event.status === "ended" || event.status === "archived")) onReplayFound(true);
    if (playback.kind === "ended") onReplayFound(false);
  }, [playback, event.status, onAccessDenied, onReplayFound, onEventStale]);

  const retry = () => setRetryKey((k) => k + 1);

  // Live events: the ingest's state decides what is shown around the video (see useBroadcastStatus).
  const liveEvent = event.eventType === "live";
  const over = event.status === "ended" || event.status === "archived";
  const broadcast = useBroadcastStatus(event.eventId, liveEvent && event.status !== "cancelled");
  const [watchedLive, setWatchedLive] = useState(false);
  const [resumed, setResumed] = useState(false);
  const [replayChosen, setReplayChosen] = useState(false);
  const previousBroadcast = useRef<BroadcastState | null>(null);

  useEffect(() => {
    if (playback.kind === "ready" && playback.playback.isLive) setWatchedLive(true);
  }, [playback]);

  useEffect(() => {
    if (!broadcast) return;
    // the event moved (live, ended) before the page's own, slower refresh noticed
    if (broadcast.status !== event.status) onEventStale();
    const before = previousBroadcast.current;
    previousBroadcast.current = broadcast.broadcast;
    if (broadcast.broadcast === "live" && before !== null && before !== "live") {
      // back on air: a fresh playback URL, playing at once if the viewer was watching
      setResumed(before === "interrupted");
      setRetryKey((k) => k + 1);
    }
  }, [broadcast, event.status, onEventStale]);

  if (liveEvent && event.status === "live" && broadcast?.broadcast === "interrupted") {
    // The player is unmounted: its playback session ends, so a stalled viewer is not counted as watching.
    return <BroadcastInterrupted />;
  }
  if (liveEvent && over && (playback.kind === "ended" || (watchedLive && !replayChosen))) {
    const replayReady = broadcast?.replayReady === true || (playback.kind === "ready" && !playback.playback.isLive);
    const watchReplay = () => {
      setReplayChosen(true);
      retry();
    };
    return <BroadcastEnded replayReady={replayReady} onWatchReplay={watchReplay} />;
  }

  switch (playback.kind) {
    case "not-started":
      return (
        <div className="player" data-testid="player" ref={focusHere} tabIndex={-1}>
          <PlayerMessage title="This event has not started yet" testId="player-not-started">
            {event.scheduledStart ? <Countdown target={event.scheduledStart} onDone={onEventStale} /> : <p>Check back soon.</p>}
          </PlayerMessage>
        </div>
      );
    case "cancelled":
      return (
        <div className="player" data-testid="player" ref={focusHere} tabIndex={-1}>
          <PlayerMessage title="This event was cancelled" testId="player-cancelled" />
        </div>
      );
    case "ended":
      return (
        <div className="player" data-testid="player" ref={focusHere} tabIndex={-1}>
          <PlayerMessage title="This event has ended" testId="player-ended">
            <p>Thanks for watching.</p>
          </PlayerMessage>
        </div>
      );
    case "no-video":
      return (
        <div className="player" data-testid="player" ref={focusHere} tabIndex={-1}>
          <PlayerMessage
            title="No video yet"
            testId="player-no-video"
            action={
              <button type="button" className="btn btn-secondary" onClick={retry} data-testid="player-retry">
                Check again
              </button>
            }
          >
            <p>The video of this event is not ready yet. It will play here once it is.</p>
          </PlayerMessage>
        </div>
      );
    case "denied":
      return (
        <div className="player" data-testid="player" ref={focusHere} tabIndex={-1}>
          <PlayerMessage title="You need to register or pay to watch" testId="player-denied" />
        </div>
      );
    case "refused": {
      // A renewal was refused (a refund, a changed gate, an expired token): the video stopped as the player
      // unmounted; say why in the server's words and what to do.
      const { refusal } = playback;
      return (
        <div className="player" data-testid="player" ref={focusHere} tabIndex={-1}>
          <PlayerMessage
            title={refusal.title}
            testId="player-refused"
            action={
              <button
                type="button"
                className="btn btn-primary"
                onClick={() => {
                  // the gate or price may have changed with the refusal: the page reads the event again too
                  onEventStale();
                  if (refusal.action === "access") onAccessDenied();
                  else retry();
                }}
                data-testid="player-refused-action"
              >
                {refusal.actionLabel}
              </button>
            }
          >
            <p data-testid="player-refused-message">{refusal.message}</p>
            <p>{refusal.hint}</p>
          </PlayerMessage>
        </div>
      );
    }
    case "error":
      return <PlaybackErrorCard message={playback.message} onRetry={retry} focusRef={focusHere} />;
    case "loading":
      return (
        <div className="player player-loading" data-testid="player" ref={focusHere} tabIndex={-1}>
          <Spinner label="Loading video…" />
        </div>
      );
    case "ready":
      return (
        <HlsVideo
          key={`${playback.playback.playbackUrl}#${retryKey}`}
          eventId={event.eventId}
          url={playback.playback.playbackUrl}
          signature={signature}
          poster={playback.playback.posterUrl ?? event.thumbnailUrl}
          thumbnailsUrl={playback.playback.thumbnailsUrl}
          isLive={playback.playback.isLive}
          startPosition={null} // the server names no start; HlsVideo resumes where this browser stopped
          autoplay={autoplay || resumed || replayChosen}
          startMuted={startMuted}
          accent={event.embedSettings?.primaryColor ?? null}
          onDenied={onAccessDenied}
          onRetry={retry}
          telemetryToken={token}
          takeFocus={takeFocus}
        />
      );
  }
}

/** The player's "something went wrong" state, with a retry: used before and during playback. */
function PlaybackErrorCard({ message, onRetry, focusRef }: { message: string; onRetry: () => void; focusRef?: (element: HTMLDivElement | null) => void }) {
  return (
    <div className="player" data-testid="player" ref={focusRef} tabIndex={focusRef ? -1 : undefined}>
      <PlayerMessage
        title="Playback error"
        testId="player-error"
        action={
          <button type="button" className="btn btn-primary" onClick={onRetry} data-testid="player-retry">
            Retry
          </button>
        }
      >
        <p>{message}</p>
      </PlayerMessage>
    </div>
  );
}

export interface HlsVideoProps {
  eventId: string;
  url: string;
  poster: string | null | undefined;
  thumbnailsUrl: string | null | undefined;
  isLive: boolean;
  startPosition: number | null;
  autoplay: boolean;
  startMuted: boolean;
  accent: string | null;
  onDenied: () => void;
  onRetry: () => void;
  /** The viewer's token; sessions and QoE events are reported with it (the admin preview has none). */
  telemetryToken?: string;
  /** Move the focus here once playable (the viewer just passed the gate). */
  takeFocus?: boolean;
  /** The newest renewed signature: every later media request carries it (admin previews have long links, none). */
  signature?: MediaSignature | null;
}

/** Plays one HLS URL with the custom controls; the admin's media preview uses it directly. */
export function HlsVideo({ eventId, url, poster, thumbnailsUrl, isLive, startPosition, autoplay, startMuted, accent, onDenied, onRetry, telemetryToken, takeFocus = false, signature = null }: HlsVideoProps) {
  const containerRef = useRef<HTMLDivElement>(null);
  const focusHere = useTakeFocus<HTMLDivElement>(takeFocus);
  const videoRef = useRef<HTMLVideoElement>(null);
  const [start] = useState(() => (isLive ? startPosition : loadResumePosition(eventId) ?? startPosition));
  const source = useHlsSource(videoRef, url, start, signature);
  const state = useVideoState(videoRef);
  const thumbnails = useThumbnails(thumbnailsUrl, signature);
  const [fullscreen, setFullscreen] = useState(false);
  const [controlsVisible, setControlsVisible] = useState(true);
  const hideTimer = useRef<number | undefined>(undefined);
  const telemetryRef = useRef<PlaybackTelemetry | null>(null);
  useResumePosition(videoRef, eventId, !isLive);

  // what follows the video's position (the chat's replay) finds it here
  useEffect(() => {
    const element = videoRef.current;
    publishVideo(element);
    return () => withdrawVideo(element);
  }, []);

  useEffect(() => {
    const video = videoRef.current;
    if (!video || !telemetryToken) return;
    const telemetry = new PlaybackTelemetry({ eventId, token: telemetryToken });
    telemetryRef.current = telemetry;
    const detach = telemetry.attach(video);
    return () => {
      telemetryRef.current = null;
      detach();
    };
  }, [eventId, telemetryToken]);

  useEffect(() => {
    if (source.denied) onDenied();
  }, [source.denied, onDenied]);

  useEffect(() => {
    const video = videoRef.current;
    if (!video) return;
    video.muted = startMuted;
    if (!autoplay) return;
    telemetryRef.current?.autoplayRequested(); // the startup time runs from here, not from the play() at canplay
    // blocked autoplay: the big play button remains
    const tryPlay = () => void video.play().catch(() => telemetryRef.current?.autoplayRefused());
    video.addEventListener("canplay", tryPlay, { once: true });
    return () => video.removeEventListener("canplay", tryPlay);
  }, [autoplay, startMuted]);

  useEffect(() => {
    const onChange = () => setFullscreen(document.fullscreenElement === containerRef.current);
    document.addEventListener("fullscreenchange", onChange);
    return () => document.removeEventListener("fullscreenchange", onChange);
  }, []);

  const showControls = useCallback(() => {
    setControlsVisible(true);
    window.clearTimeout(hideTimer.current);
    hideTimer.current = window.setTimeout(() => setControlsVisible(false), HIDE_CONTROLS_MS);
  }, []);
  useEffect(() => () => window.clearTimeout(hideTimer.current), []);

  const video = () => videoRef.current;
  const togglePlay = () => {
    const v = video();
    if (!v) return;
    if (v.paused || v.ended) void v.play().catch(() => undefined);
    else v.pause();
  };
  const seekTo = (time: number) => {
    const v = video();
    if (v) v.currentTime = time;
  };
  const seekBy = (delta: number) => {
    const v = video();
    if (!v) return;
    const max = isLive ? state.seekableEnd : v.duration || 0;
    seekTo(Math.min(Math.max(v.currentTime + delta, isLive ? state.seekableStart : 0), max));
  };
  const setVolume = (volume: number) => {
    const v = video();
    if (!v) return;
    v.volume = Math.min(1, Math.max(0, volume));
    v.muted = v.volume === 0;
  };
  const toggleMute = () => {
    const v = video();
    if (!v) return;
    v.muted = !v.muted;
    if (!v.muted && v.volume === 0) v.volume = 0.5;
  };
  const setRate = (rate: number) => {
    const v = video();
    if (v) v.playbackRate = rate;
  };
  const goLive = () => {
    const edge = source.liveEdge();
    if (edge != null) seekTo(edge);
    void video()?.play().catch(() => undefined);
  };
  const pipSupported = typeof document !== "undefined" && document.pictureInPictureEnabled === true;
  const togglePip = () => {
    const v = video();
    if (!v) return;
    if (document.pictureInPictureElement) void document.exitPictureInPicture().catch(() => undefined);
    else void v.requestPictureInPicture().catch(() => undefined);
  };
  const toggleFullscreen = () => {
    const container = containerRef.current;
    const v = video() as (HTMLVideoElement & { webkitEnterFullscreen?: () => void }) | null;
    if (!container) return;
    if (document.fullscreenElement) void document.exitFullscreen().catch(() => undefined);
    else if (container.requestFullscreen) void container.requestFullscreen().catch(() => undefined);
    else v?.webkitEnterFullscreen?.(); // iOS Safari: only the video element can go full screen
  };

  if (source.fatalError) {
    return <PlaybackErrorCard message={source.fatalError} onRetry={onRetry} focusRef={focusHere} />;
  }

  const hideControls = state.playing && !controlsVisible;
  return (
    <div
      ref={(element) => {
        containerRef.current = element;
        focusHere(element);
      }}
      className={`player${hideControls ? " controls-hidden" : ""}${fullscreen ? " player-fullscreen" : ""}`}
      data-testid="player"
      data-live={isLive ? "true" : "false"}
      tabIndex={0}
      aria-label="Video player"
      role="region"
      style={accent ? ({ "--accent": accent } as CSSProperties) : undefined}
      onKeyDown={(e) => {
        showControls();
        handlePlayerKey(e, { togglePlay, seekBy, volumeBy: (d) => setVolume((video()?.volume ?? 1) + d), toggleFullscreen, toggleMute });
      }}
      onPointerMove={showControls}
      onPointerLeave={() => state.playing && setControlsVisible(false)}
    >
      <video
        ref={videoRef}
        className="player-video"
        poster={poster ?? undefined}
        playsInline
        preload="metadata"
        onClick={togglePlay}
        onDoubleClick={toggleFullscreen}
        data-testid="video"
      />
      {state.waiting && state.playing ? (
        <div className="player-buffering">
          <Spinner label="Buffering…" />
        </div>
      ) : null}
      {!state.playing && !state.started ? (
        <button type="button" className="big-play" onClick={togglePlay} aria-label="Play" data-testid="big-play">
          <PlayIcon />
        </button>
      ) : null}
      <PlayerControls
        state={state}
        source={source}
        isLive={isLive}
        thumbnails={thumbnails}
        fullscreen={fullscreen}
        pipSupported={pipSupported}
        onTogglePlay={togglePlay}
        onSeek={seekTo}
        onVolume={setVolume}
        onToggleMute={toggleMute}
        onRate={setRate}
        onGoLive={goLive}
        onTogglePip={togglePip}
        onToggleFullscreen={toggleFullscreen}
      />
    </div>
  );
}
