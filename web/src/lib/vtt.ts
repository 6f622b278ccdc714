// Thumbnail sprites: a WebVTT file whose cues point at regions of an image
// (`sprite.jpg#xywh=0,0,160,90`), used for the seek bar preview.

export interface ThumbnailCue {
  start: number;
  end: number;
  url: string;
  x: number;
  y: number;
  width: number;
  height: number;
}

function parseTimestamp(text: string): number {
  const parts = text.trim().split(":");
  let seconds = 0;
  for (const part of parts) seconds = seconds * 60 + Number(part.replace(",", "."));
  return seconds;
}

/** Parse a thumbnails VTT; relative image URLs are resolved against `baseUrl` (the VTT's URL). */
export function parseThumbnailVtt(text: string, baseUrl: string): ThumbnailCue[] {
  const cues: ThumbnailCue[] = [];
  const blocks = text.replace(/\r\n?/g, "\n").split(/\n{2,}/);
  for (const block of blocks) {
    const lines = block.split("\n").map((l) => l.trim()).filter(Boolean);
    const timingIndex = lines.findIndex((l) => l.includes("-->"));
    const timing = lines[timingIndex];
    const target = lines[timingIndex + 1];
    if (timingIndex < 0 || !timing || !target) continue;
    const [startText = "", endText = ""] = timing.split("-->");
    const start = parseTimestamp(startText);
    const end = parseTimestamp(endText.trim().split(/\s+/)[0] ?? "");
    if (!Number.isFinite(start) || !Number.isFinite(end)) continue;
    const [path = "", hash = ""] = target.split("#");
    const match = /xywh=(\d+),(\d+),(\d+),(\d+)/.exec(hash);
    let url: string;
    try {
      url = new URL(path, baseUrl).toString();
    } catch {
      continue;
    }
    cues.push({
      start,
      end,
      url,
      x: match ? Number(match[1]) : 0,
      y: match ? Number(match[2]) : 0,
      width: match ? Number(match[3]) : 0,
      height: match ? Number(match[4]) : 0,
    });
  }
  return cues;
}

export function findThumbnail(cues: ThumbnailCue[], time: number): ThumbnailCue | null {
  let lo = 0;
  let hi = cues.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const cue = cues[mid]!;
    if (time < cue.start) hi = mid - 1;
    else if (time >= cue.end) lo = mid + 1;
    else return cue;
  }
  return null;
}
