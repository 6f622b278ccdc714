// How the media panel shows a video's state: busy or not, sizes, bitrates, percentages.
import type { MediaStatus, Rendition } from "../../../api/types";

/** While the server still works on the video the panel polls for news. */
export function isMediaBusy(status: MediaStatus | null | undefined): boolean {
  return status === "uploaded" || status === "processing";
}

export const MEDIA_STATUS_LABELS: Record<MediaStatus, string> = {
  uploaded: "Uploaded",
  processing: "Transcoding",
  ready: "Ready",
  failed: "Failed",
};

/** A whole percent between 0 and 100 (never NaN, even for an empty file). */
export function percentOf(done: number, total: number): number {
  if (!Number.isFinite(done) || !Number.isFinite(total) || total <= 0) return 0;
  return Math.min(100, Math.max(0, Math.floor((done / total) * 100)));
}

/** Clamps the server's progress value to a whole 0-100. */
export function clampPercent(value: number | null | undefined): number {
  if (value == null || !Number.isFinite(value)) return 0;
  return Math.min(100, Math.max(0, Math.round(value)));
}

export function formatBytes(bytes: number | null | undefined): string {
  if (bytes == null || !Number.isFinite(bytes) || bytes < 0) return "—";
  const units = ["B", "KB", "MB", "GB", "TB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${unit === 0 ? value : value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}

/** "2.5 Mbps" / "800 kbps" for a bandwidth in bits per second. */
export function formatBandwidth(bitsPerSecond: number): string {
  if (!Number.isFinite(bitsPerSecond) || bitsPerSecond <= 0) return "—";
  if (bitsPerSecond >= 1_000_000) return `${(bitsPerSecond / 1_000_000).toFixed(1).replace(/\.0$/, "")} Mbps`;
  return `${Math.round(bitsPerSecond / 1000)} kbps`;
}

/** Renditions from the largest picture down, as a quality menu lists them. */
export function sortRenditions(renditions: Rendition[]): Rendition[] {
  return [...renditions].sort((a, b) => b.height - a.height || b.bandwidth - a.bandwidth);
}
