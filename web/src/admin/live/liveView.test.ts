import { describe, expect, it } from "vitest";
import type { IngestHealth } from "../../api/types";
import {
  controlRoomMoves,
  ffmpegCommand,
  formatAgo,
  formatBitrate,
  healthTiles,
  keyframeWarning,
  maskKey,
  parseSeconds,
  publishUrl,
  pushSample,
  validateTrim,
} from "./liveView";

const idle: IngestHealth = {
  connected: false,
  bitrateKbps: null,
  fps: null,
  width: null,
  height: null,
  videoCodec: null,
  audioCodec: null,
  keyframeIntervalSeconds: null,
  droppedFrames: 0,
  uptimeSeconds: null,
  connectedAt: null,
  lastMediaAt: null,
  remoteAddr: null,
};

const tile = (health: IngestHealth, id: string) => healthTiles(health, "en-US").find((t) => t.id === id)!;

describe("publish URL and key", () => {
  it("joins server and key with exactly one slash", () => {
    expect(publishUrl("rtmp://host:1935/live", "abc")).toBe("rtmp://host:1935/live/abc");
    expect(publishUrl("rtmp://host:1935/live/", "abc")).toBe("rtmp://host:1935/live/abc");
  });

  it("hides the key but its last four characters", () => {
    expect(maskKey("sk_live_0123456789")).toBe("••••••••••••••6789");
    expect(maskKey("sk_live_0123456789")).not.toContain("0123");
    expect(maskKey("abc")).toBe("•••");
  });

  it("puts the publish URL, CBR, 1 s keyframes and 48 kHz AAC in the ffmpeg command", () => {
    const command = ffmpegCommand("rtmp://h/live/key");
    expect(command).toContain('-f flv "rtmp://h/live/key"');
    expect(command).toContain("-force_key_frames \"expr:gte(t,n_forced*1)\"");
    expect(command).toContain("-ar 48000");
    expect(command).toContain("-b:a 128k");
  });
});

describe("control room moves", () => {
  it("offers only the lifecycle moves the server allows, in order", () => {
    expect(controlRoomMoves(["live", "cancelled", "draft"])).toEqual(["live"]);
    expect(controlRoomMoves(["ended"])).toEqual(["ended"]);
    expect(controlRoomMoves(["scheduled", "cancelled"])).toEqual(["scheduled"]);
    expect(controlRoomMoves(["archived"])).toEqual([]);
  });
});

describe("health figures", () => {
  it("shows an idle ingest as not connected with dashes", () => {
    expect(tile(idle, "connected")).toMatchObject({ value: "Offline", tone: "bad" });
    expect(tile(idle, "resolution").value).toBe("—");
    expect(tile(idle, "bitrate")).toMatchObject({ value: "—", tone: "idle" });
  });

  it("shows a connected encoder's figures", () => {
    const health: IngestHealth = { ...idle, connected: true, bitrateKbps: 2480, fps: 29.97, width: 1280, height: 720, videoCodec: "h264", audioCodec: "aac", keyframeIntervalSeconds: 1, uptimeSeconds: 65, remoteAddr: "127.0.0.1" };
    expect(tile(health, "connected")).toMatchObject({ value: "Connected", hint: "from 127.0.0.1", tone: "ok" });
    expect(tile(health, "bitrate").value).toBe("2.48 Mbps");
    expect(tile(health, "resolution").value).toBe("1280×720");
    expect(tile(health, "fps").value).toBe("29.97 fps");
    expect(tile(health, "codecs").value).toBe("h264 / aac");
    expect(tile(health, "uptime").value).toBe("1m 05s");
    expect(tile(health, "keyframes").tone).toBe("ok");
  });

  it("warns when keyframes are more than 2 s apart", () => {
    expect(keyframeWarning(2)).toBeNull();
    expect(keyframeWarning(null)).toBeNull();
    expect(keyframeWarning(4)).toContain("4 s");
    expect(tile({ ...idle, connected: true, keyframeIntervalSeconds: 4 }, "keyframes").tone).toBe("warn");
  });

  it("flags dropped frames", () => {
    expect(tile({ ...idle, connected: true, droppedFrames: 12 }, "dropped")).toMatchObject({ value: "12", tone: "warn" });
  });

  it("writes bitrates in kbps below 1 Mbps", () => {
    expect(formatBitrate(850, "en-US")).toBe("850 kbps");
    expect(formatBitrate(6000, "en-US")).toBe("6 Mbps");
    expect(formatBitrate(null)).toBe("—");
  });

  it("says how long ago media arrived", () => {
    const now = Date.parse("2030-01-01T00:01:05Z");
    expect(formatAgo("2030-01-01T00:01:04.5Z", now)).toBe("just now");
    expect(formatAgo("2030-01-01T00:00:00Z", now)).toBe("1m 05s ago");
    expect(formatAgo(null, now)).toBe("—");
  });
});

describe("bitrate history", () => {
  it("keeps the last window of samples, oldest first", () => {
    let history = pushSample([], { t: 0, kbps: 100 }, 10_000);
    history = pushSample(history, { t: 5_000, kbps: 200 }, 10_000);
    history = pushSample(history, { t: 12_000, kbps: 300 }, 10_000);
    expect(history).toEqual([
      { t: 5_000, kbps: 200 },
      { t: 12_000, kbps: 300 },
    ]);
  });
});

describe("replay trim", () => {
  it("reads seconds and clock times", () => {
    expect(parseSeconds("90")).toBe(90);
    expect(parseSeconds("90.5")).toBe(90.5);
    expect(parseSeconds("1:30")).toBe(90);
    expect(parseSeconds("1:02:03")).toBe(3723);
    expect(parseSeconds("1:75")).toBeNull();
    expect(parseSeconds("-5")).toBeNull();
    expect(parseSeconds("abc")).toBeNull();
  });

  it("sends an open end when the end is empty and 0 for an empty start", () => {
    expect(validateTrim({ start: "", end: "" })).toEqual({ ok: true, body: { startSeconds: 0, endSeconds: null } });
    expect(validateTrim({ start: "0:30", end: "10:00" })).toEqual({ ok: true, body: { startSeconds: 30, endSeconds: 600 } });
  });

  it("refuses an end before the start and unreadable times", () => {
    expect(validateTrim({ start: "60", end: "30" })).toEqual({ ok: false, errors: { end: "The end must be after the start." } });
    const result = validateTrim({ start: "soon", end: "" });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors.start).toContain("seconds");
  });

  it("keeps the trim within a known recording length", () => {
    const result = validateTrim({ start: "10", end: "200" }, 120);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors.end).toBe("The recording is 2m 00s long.");
  });
});
