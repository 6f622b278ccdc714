import { useState, type CSSProperties, type PointerEvent } from "react";
import { formatMediaTime } from "../../lib/time";
import { findThumbnail, type ThumbnailCue } from "../../lib/vtt";

interface Props {
  start: number;
  end: number;
  current: number;
  buffered: number;
  thumbnails: ThumbnailCue[];
  onSeek: (time: number) => void;
}

const PREVIEW_WIDTH = 160;

/** The progress bar; hovering shows the sprite thumbnail and time of that point. */
export function SeekBar({ start, end, current, buffered, thumbnails, onSeek }: Props) {
  const [hover, setHover] = useState<{ x: number; width: number; time: number } | null>(null);
  const span = Math.max(end - start, 0.001);
  const pct = (t: number) => `${Math.min(100, Math.max(0, ((t - start) / span) * 100))}%`;

  function onPointerMove(e: PointerEvent<HTMLDivElement>) {
    const rect = e.currentTarget.getBoundingClientRect();
    const x = Math.min(Math.max(e.clientX - rect.left, 0), rect.width);
    setHover({ x, width: rect.width, time: start + (x / rect.width) * span });
  }

  const cue = hover ? findThumbnail(thumbnails, hover.time) : null;
  const previewWidth = cue?.width || PREVIEW_WIDTH;
  const left = hover ? Math.min(Math.max(hover.x - previewWidth / 2, 0), Math.max(hover.width - previewWidth, 0)) : 0;

  return (
    <div className="seek" onPointerMove={onPointerMove} onPointerLeave={() => setHover(null)} data-testid="seek-bar">
      {hover ? (
        <div className="seek-preview" style={{ left, width: previewWidth }} data-testid="seek-preview">
          {cue ? (
            <div
              className="seek-preview-image"
              style={{
                width: cue.width,
                height: cue.height,
                backgroundImage: `url("${cue.url}")`,
                backgroundPosition: `-${cue.x}px -${cue.y}px`,
              }}
            />
          ) : null}
          <span className="seek-preview-time">{formatMediaTime(hover.time - start)}</span>
        </div>
      ) : null}
      <input
        type="range"
        className="seek-input"
        min={start}
        max={end}
        step={0.1}
        value={Math.min(Math.max(current, start), end)}
        onChange={(e) => onSeek(Number(e.target.value))}
        aria-label="Seek"
        aria-valuetext={`${formatMediaTime(current - start)} of ${formatMediaTime(span)}`}
        style={{ "--progress": pct(current), "--buffered": pct(buffered) } as CSSProperties}
      />
    </div>
  );
}
