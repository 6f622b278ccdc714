// The live control room's pure logic: publish URLs, encoder settings, health figures, the bitrate history
// and the replay trim form.
import type { EventStatus, IngestHealth, LiveInputState } from "../../api/types";
import { formatCount, formatDuration } from "../analytics/format";

/** The ingest state of the encoder as the badge says it. */
export const LIVE_STATE_LABELS: Record<LiveInputState, string> = {
  idle: "Idle",
  connected: "Receiving",
  reconnecting: "Reconnecting",
  ended: "Ended",
};

export const LIVE_STATE_HINTS: Record<LiveInputState, string> = {
  idle: "Waiting for your encoder to connect.",
  connected: "Your encoder is connected and sending video.",
  reconnecting: "The encoder dropped; waiting for it to come back.",
  ended: "The stream has ended.",
};

/** How often the control room asks the server for the ingest's state. */
export const POLL_MS = 2000;

/** Keyframes further apart than this make segments late and players stall. */
export const MAX_KEYFRAME_INTERVAL_SECONDS = 2;

/** The one URL some encoders (ffmpeg, hardware boxes) take: server and key joined. */
export function publishUrl(rtmpUrl: string, streamKey: string): string {
  return `${rtmpUrl.replace(/\/+$/, "")}/${streamKey}`;
}

/** The key hidden until revealed: dots, with the last four characters to tell keys apart. */
export function maskKey(key: string): string {
  if (key.length <= 4) return "•".repeat(key.length || 8);
  return `${"•".repeat(Math.min(16, key.length - 4))}${key.slice(-4)}`;
}

/** The lifecycle moves the control room offers, among those the server allows now. */
export const CONTROL_ROOM_MOVES: EventStatus[] = ["scheduled", "live", "ended"];

export function controlRoomMoves(allowed: readonly EventStatus[]): EventStatus[] {
  return CONTROL_ROOM_MOVES.filter((to) => allowed.includes(to));
}

export interface BitrateSuggestion {
  resolution: string;
  fps: number;
  /** CBR video bitrate range, kbps. */
  minKbps: number;
  maxKbps: number;
}

/** CBR video bitrates that look good at each size (audio adds 128 kbps). */
export const BITRATE_SUGGESTIONS: BitrateSuggestion[] = [
  { resolution: "1920×1080", fps: 60, minKbps: 6000, maxKbps: 8000 },
  { resolution: "1920×1080", fps: 30, minKbps: 4500, maxKbps: 6000 },
  { resolution: "1280×720", fps: 60, minKbps: 4000, maxKbps: 5000 },
  { resolution: "1280×720", fps: 30, minKbps: 2500, maxKbps: 4000 },
  { resolution: "854×480", fps: 30, minKbps: 1000, maxKbps: 2000 },
];

/** The ffmpeg command line that publishes a file (or, with another input, a camera) like OBS would. */
export function ffmpegCommand(url: string, input = "input.mp4"): string {
  return [
    `ffmpeg -re -i ${input}`,
    "-c:v libx264 -preset veryfast -tune zerolatency -pix_fmt yuv420p",
    "-b:v 4500k -maxrate 4500k -bufsize 9000k",
    '-force_key_frames "expr:gte(t,n_forced*1)" -sc_threshold 0',
    "-c:a aac -b:a 128k -ar 48000 -ac 2",
    `-f flv "${url}"`,
  ].join(" \\\n  ");
}

/** 850 -> "850 kbps", 4520 -> "4.52 Mbps"; "—" when not measured. */
export function formatBitrate(kbps: number | null | undefined, locale?: string): string {
  if (kbps == null || !Number.isFinite(kbps)) return "—";
  if (kbps >= 1000) return `${new Intl.NumberFormat(locale, { maximumFractionDigits: 2 }).format(kbps / 1000)} Mbps`;
  return `${formatCount(kbps, locale)} kbps`;
}

export function formatFps(fps: number | null | undefined, locale?: string): string {
  if (fps == null || !Number.isFinite(fps)) return "—";
  return `${new Intl.NumberFormat(locale, { maximumFractionDigits: 2 }).format(fps)} fps`;
}

export function formatResolution(width: number | null | undefined, height: number | null | undefined): string {
  return width && height ? `${width}×${height}` : "—";
}

export function formatKeyframeInterval(seconds: number | null | undefined, locale?: string): string {
  if (seconds == null || !Number.isFinite(seconds)) return "—";
  return `${new Intl.NumberFormat(locale, { maximumFractionDigits: 2 }).format(seconds)} s`;
}

export function keyframeWarning(seconds: number | null | undefined): string | null {
  if (seconds == null || !(seconds > MAX_KEYFRAME_INTERVAL_SECONDS)) return null;
  return `Keyframes every ${formatKeyframeInterval(seconds)}: set the keyframe interval to 1 s (2 s at most), or viewers fall behind and stall.`;
}

export type TileTone = "ok" | "warn" | "bad" | "idle";

export interface HealthTile {
  id: string;
  label: string;
  value: string;
  hint?: string;
  tone: TileTone;
}

/** The health panel's figures, each with how worried the admin should be about it. */
export function healthTiles(health: IngestHealth, locale?: string): HealthTile[] {
  const on = health.connected;
  const idle: TileTone = "idle";
  const codecs = [health.videoCodec, health.audioCodec].filter(Boolean).join(" / ");
  const warning = keyframeWarning(health.keyframeIntervalSeconds);
  return [
    { id: "connected", label: "Encoder", value: on ? "Connected" : "Offline", hint: on && health.remoteAddr ? `from ${health.remoteAddr}` : undefined, tone: on ? "ok" : "bad" },
    { id: "bitrate", label: "Bitrate", value: formatBitrate(health.bitrateKbps, locale), tone: on && health.bitrateKbps != null ? (health.bitrateKbps > 0 ? "ok" : "bad") : idle },
    { id: "resolution", label: "Resolution", value: formatResolution(health.width, health.height), tone: on && health.width ? "ok" : idle },
    { id: "fps", label: "Frame rate", value: formatFps(health.fps, locale), tone: on && health.fps ? "ok" : idle },
    { id: "codecs", label: "Codecs", value: codecs || "—", tone: on && codecs ? "ok" : idle },
    {
      id: "keyframes",
      label: "Keyframe interval",
      value: formatKeyframeInterval(health.keyframeIntervalSeconds, locale),
      hint: warning ? "Aim for 1–2 s" : undefined,
      tone: warning ? "warn" : on && health.keyframeIntervalSeconds != null ? "ok" : idle,
    },
    { id: "dropped", label: "Dropped frames", value: formatCount(health.droppedFrames, locale), tone: health.droppedFrames > 0 ? "warn" : on ? "ok" : idle },
    { id: "uptime", label: "Uptime", value: health.uptimeSeconds == null ? "—" : formatDuration(health.uptimeSeconds), tone: on && health.uptimeSeconds != null ? "ok" : idle },
  ];
}

export interface BitrateSample {
  /** milliseconds since the epoch */
  t: number;
  kbps: number;
}

/** The last `windowMs` of bitrate samples with the new one added (a gap in the stream reads as 0). */
export function pushSample(history: readonly BitrateSample[], sample: BitrateSample, windowMs = 120_000): BitrateSample[] {
  const since = sample.t - windowMs;
  return [...history.filter((s) => s.t >= since && s.t < sample.t), sample];
}

export interface TrimForm {
  start: string;
  end: string;
}

export type TrimResult =
  | { ok: true; body: { startSeconds: number; endSeconds: number | null } }
  | { ok: false; errors: Partial<Record<keyof TrimForm, string>> };

/** Seconds as typed: "90", "90.5", "1:30" or "1:02:03". */
export function parseSeconds(text: string): number | null {
  const value = text.trim();
  if (!value) return null;
  if (/^\d+(?:\.\d+)?$/.test(value)) return Number(value);
  const match = /^(?:(\d+):)?(\d{1,2}):(\d{1,2}(?:\.\d+)?)$/.exec(value);
  if (!match) return null;
  const [, h = "0", m = "0", s = "0"] = match;
  if (Number(m) >= 60 || Number(s) >= 60) return null;
  return Number(h) * 3600 + Number(m) * 60 + Number(s);
}

/** The replay trim: a start (0 when empty) and an optional end after it, within the recording when known. */
export function validateTrim(form: TrimForm, durationSeconds: number | null = null): TrimResult {
  const errors: Partial<Record<keyof TrimForm, string>> = {};
  const start = form.start.trim() ? parseSeconds(form.start) : 0;
  const end = form.end.trim() ? parseSeconds(form.end) : null;
  if (start === null) errors.start = "Enter seconds (90) or minutes:seconds (1:30).";
  if (form.end.trim() && end === null) errors.end = "Enter seconds (90) or minutes:seconds (1:30).";
  if (start !== null && end !== null && end <= start) errors.end = "The end must be after the start.";
  if (durationSeconds != null && start !== null && start >= durationSeconds) errors.start = `The recording is ${formatDuration(durationSeconds)} long.`;
  if (durationSeconds != null && end !== null && end > durationSeconds && !errors.end) errors.end = `The recording is ${formatDuration(durationSeconds)} long.`;
  if (Object.keys(errors).length > 0 || start === null) return { ok: false, errors };
  return { ok: true, body: { startSeconds: start, endSeconds: end } };
}

/** "just now", "12s ago", "4m 05s ago" since an instant; "—" for none. */
export function formatAgo(iso: string | null | undefined, nowMs: number): string {
  if (!iso) return "—";
  const then = Date.parse(iso);
  if (!Number.isFinite(then)) return "—";
  const seconds = Math.max(0, (nowMs - then) / 1000);
  return seconds < 2 ? "just now" : `${formatDuration(seconds)} ago`;
}
