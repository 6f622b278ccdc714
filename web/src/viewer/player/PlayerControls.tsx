import { formatMediaTime } from "../../lib/time";
import type { ThumbnailCue } from "../../lib/vtt";
import { ExitFullscreenIcon, FullscreenIcon, MuteIcon, PauseIcon, PipIcon, PlayIcon, VolumeIcon } from "./icons";
import { MenuButton } from "./MenuButton";
import { SeekBar } from "./SeekBar";
import type { HlsSource } from "./useHlsSource";
import type { VideoState } from "./useVideoState";

export const SPEEDS = [0.5, 0.75, 1, 1.25, 1.5, 1.75, 2];
const LIVE_EDGE_TOLERANCE = 10;

interface Props {
  state: VideoState;
  source: HlsSource;
  isLive: boolean;
  thumbnails: ThumbnailCue[];
  fullscreen: boolean;
  pipSupported: boolean;
  onTogglePlay: () => void;
  onSeek: (time: number) => void;
  onVolume: (volume: number) => void;
  onToggleMute: () => void;
  onRate: (rate: number) => void;
  onGoLive: () => void;
  onTogglePip: () => void;
  onToggleFullscreen: () => void;
}

/** The control bar under the picture. */
export function PlayerControls(props: Props) {
  const { state, source, isLive, thumbnails, fullscreen, pipSupported } = props;
  const start = isLive ? state.seekableStart : 0;
  const end = isLive ? state.seekableEnd : state.duration;
  const liveEdge = source.liveEdge() ?? state.seekableEnd;
  const behindLive = isLive && liveEdge - state.currentTime > LIVE_EDGE_TOLERANCE;
  const canSeek = end - start > 1;
  const playing = source.levels.find((l) => l.index === source.playingLevel);

  return (
    <div className="controls" data-testid="player-controls">
      {canSeek ? (
        <SeekBar start={start} end={end} current={state.currentTime} buffered={state.bufferedEnd} thumbnails={thumbnails} onSeek={props.onSeek} />
      ) : null}
      <div className="controls-row">
        <button type="button" className="ctrl" onClick={props.onTogglePlay} aria-label={state.playing ? "Pause" : "Play"} data-testid="play-pause">
          {state.playing ? <PauseIcon /> : <PlayIcon />}
        </button>
        <div className="volume">
          <button type="button" className="ctrl" onClick={props.onToggleMute} aria-label={state.muted ? "Unmute" : "Mute"} data-testid="mute">
            {state.muted || state.volume === 0 ? <MuteIcon /> : <VolumeIcon />}
          </button>
          <input
            type="range"
            className="volume-input"
            min={0}
            max={1}
            step={0.05}
            value={state.muted ? 0 : state.volume}
            onChange={(e) => props.onVolume(Number(e.target.value))}
            aria-label="Volume"
            data-testid="volume"
          />
        </div>
        {isLive ? (
          <>
            <span className={`live-badge${behindLive ? " live-badge-behind" : ""}`} data-testid="live-badge">
              <span className="live-dot" aria-hidden="true" /> LIVE
            </span>
            {behindLive ? (
              <button type="button" className="ctrl ctrl-text" onClick={props.onGoLive} data-testid="go-live">
                Go to live
              </button>
            ) : null}
          </>
        ) : (
          <span className="time" data-testid="time">
            {formatMediaTime(state.currentTime)} / {formatMediaTime(state.duration)}
          </span>
        )}
        <span className="controls-spacer" />
        {source.subtitles.length > 0 ? (
          <MenuButton
            label="Captions"
            buttonContent={<span className={source.selectedSubtitle >= 0 ? "cc cc-on" : "cc"}>CC</span>}
            options={[{ value: -1, label: "Off" }, ...source.subtitles.map((t) => ({ value: t.index, label: t.label }))]}
            value={source.selectedSubtitle}
            onSelect={source.setSubtitle}
            testId="captions-menu"
          />
        ) : null}
        {!isLive ? (
          <MenuButton
            label="Playback speed"
            buttonContent={`${state.rate}×`}
            options={SPEEDS.map((s) => ({ value: s, label: s === 1 ? "Normal" : `${s}×` }))}
            value={state.rate}
            onSelect={props.onRate}
            testId="speed-menu"
          />
        ) : null}
        {source.levels.length > 1 ? (
          <MenuButton
            label="Quality"
            buttonContent={source.selectedLevel === -1 ? "Auto" : `${source.levels.find((l) => l.index === source.selectedLevel)?.height ?? ""}p`}
            options={[
              { value: -1, label: playing && source.selectedLevel === -1 ? `Auto (${playing.height}p)` : "Auto" },
              ...source.levels.map((l) => ({ value: l.index, label: `${l.height}p` })),
            ]}
            value={source.selectedLevel}
            onSelect={source.setLevel}
            testId="quality-menu"
          />
        ) : null}
        {pipSupported ? (
          <button type="button" className="ctrl" onClick={props.onTogglePip} aria-label="Picture in picture" data-testid="pip">
            <PipIcon />
          </button>
        ) : null}
        <button type="button" className="ctrl" onClick={props.onToggleFullscreen} aria-label={fullscreen ? "Exit full screen" : "Full screen"} data-testid="fullscreen">
          {fullscreen ? <ExitFullscreenIcon /> : <FullscreenIcon />}
        </button>
      </div>
    </div>
  );
}
