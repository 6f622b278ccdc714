/**
 * Playback telemetry: one session per play, reported to POST /api/playback/sessions/{id}/events.
 *
 * Events queue up and go out with each heartbeat (or sooner: a fatal error, a full queue, the end).
 * On page hide everything left goes with navigator.sendBeacon, which cannot set headers, so the
 * viewer token travels in the body there. `attach(video)` wires a <video> element; the methods can
 * also be driven directly (tests, other players).
 */

export type EndReason = "completed" | "stopped" | "error";

export interface Sample {
  position: number;
  rendition?: string | null;
  bitrateKbps?: number | null;
  bufferSeconds?: number;
}

type Common = { position: number; played: number };
export type TelemetryEvent = Common &
  (
    | { type: "start"; startupMs: number; rendition?: string; bitrateKbps?: number }
    | { type: "heartbeat"; rendition?: string; bitrateKbps?: number; bufferSeconds: number }
    | { type: "rebufferStart" }
    | { type: "rebufferEnd"; durationMs: number }
    | { type: "renditionSwitch"; rendition: string; bitrateKbps?: number }
    | { type: "seek" }
    | { type: "pause" }
    | { type: "error"; code: string; message: string; fatal: boolean }
    | { type: "end"; reason: EndReason }
  );

export interface TelemetryOptions {
  eventId: string;
  token: string;
  apiBase?: string;
  fetchImpl?: typeof fetch;
  sendBeacon?: (url: string, data: Blob) => boolean;
  /** milliseconds on a monotonic clock */
  now?: () => number;
}

const MAX_BATCH = 100;
const FLUSH_AT = 20;

export class PlaybackTelemetry {
  sessionId: string | null = null;
  heartbeatSeconds = 15;
  private readonly options: Required<Omit<TelemetryOptions, "sendBeacon">> & Pick<TelemetryOptions, "sendBeacon">;
  private queue: TelemetryEvent[] = [];
  private opening: Promise<boolean> | null = null;
  private playRequestedAt: number | null = null;
  private started = false;
  private playedMs = 0;
  private playingSince: number | null = null;
  private stalledSince: number | null = null;
  private rendition: string | null = null;
  private ended = false;

  constructor(options: TelemetryOptions) {
    this.options = {
      apiBase: "",
      fetchImpl: (...args) => fetch(...args),
      now: () => performance.now(),
      sendBeacon: typeof navigator !== "undefined" && navigator.sendBeacon ? navigator.sendBeacon.bind(navigator) : undefined,
      ...options,
    };
  }

  /** Seconds spent actually playing in this session (not paused, not stalled). */
  get played(): number {
    const running = this.playingSince === null ? 0 : this.options.now() - this.playingSince;
    return Math.round((this.playedMs + running) / 10) / 100;
  }

  /** The viewer pressed play (or autoplay began): opens the session and starts the startup clock. */
  playRequested(): Promise<boolean> {
    if (!this.started && this.playRequestedAt === null) this.playRequestedAt = this.options.now();
    if (!this.opening || this.ended) this.reset();
    this.opening ??= this.open();
    return this.opening;
  }

  /**
   * The player will call play() itself once it can (autoplay): the viewer asked when the page opened,
   * so the startup clock starts now, while the video loads. Measured from that late play() call, when
   * frames are already buffered, every autoplayed start looked instant (startupMs 0).
   */
  autoplayRequested(): void {
    if (!this.started && this.opening === null) this.playRequestedAt = this.options.now();
  }

  /** The browser refused the autoplay: the clock starts again when the viewer presses play. */
  autoplayRefused(): void {
    if (!this.started && this.opening === null) this.playRequestedAt = null;
  }

  /** A frame is on screen: the first time this is the `start` event with the startup time. */
  playing(sample: Sample): void {
    const now = this.options.now();
    if (this.stalledSince !== null) {
      this.push({ type: "rebufferEnd", position: sample.position, played: this.played, durationMs: Math.round(now - this.stalledSince) });
      this.stalledSince = null;
    }
    this.playingSince ??= now;
    if (this.started) return;
    this.started = true;
    this.rendition = sample.rendition ?? null;
    const startupMs = Math.round(now - (this.playRequestedAt ?? now));
    this.push({ type: "start", position: sample.position, played: this.played, startupMs, ...rendition(sample) });
  }

  heartbeat(sample: Sample): Promise<void> {
    this.push({ type: "heartbeat", position: sample.position, played: this.played, bufferSeconds: sample.bufferSeconds ?? 0, ...rendition(sample) });
    return this.flush();
  }

  rebufferStart(position: number): void {
    if (!this.started || this.stalledSince !== null) return;
    this.stopClock();
    this.stalledSince = this.options.now();
    this.push({ type: "rebufferStart", position, played: this.played });
  }

  renditionSwitch(sample: Sample): void {
    if (!sample.rendition || sample.rendition === this.rendition) return;
    const first = this.rendition === null;
    this.rendition = sample.rendition;
    if (first || !this.started) return;
    this.push({ type: "renditionSwitch", position: sample.position, played: this.played, rendition: sample.rendition, ...bitrate(sample) });
  }

  seek(position: number): void {
    if (this.started) this.push({ type: "seek", position, played: this.played });
  }

  pause(position: number): void {
    if (!this.started) return;
    this.stopClock();
    this.push({ type: "pause", position, played: this.played });
  }

  error(position: number, code: string, message: string, fatal: boolean): void {
    this.push({ type: "error", position, played: this.played, code: code.replace(/[^A-Za-z0-9_.:-]/g, "_").slice(0, 64) || "unknown", message: message.slice(0, 500), fatal });
    if (fatal) void this.end(position, "error");
  }

  /** Closes the session; `beacon` for page hide, when a fetch might not finish. */
  end(position: number, reason: EndReason, beacon = false): Promise<void> {
    if (this.ended || !this.sessionId) return Promise.resolve();
    this.stopClock();
    this.push({ type: "end", position, played: this.played, reason });
    this.ended = true;
    if (beacon) {
      this.flushWithBeacon();
      return Promise.resolve();
    }
    return this.flush();
  }

  /** Sends what is queued with the token in the Authorization header. */
  async flush(): Promise<void> {
    if (!this.sessionId || this.queue.length === 0) return;
    const sessionId = this.sessionId;
    while (this.queue.length > 0) {
      const events = this.queue.splice(0, MAX_BATCH);
      try {
        const response = await this.options.fetchImpl(this.eventsUrl(sessionId), {
          method: "POST",
          keepalive: true,
          headers: { "Content-Type": "application/json", Authorization: `Bearer ${this.options.token}` },
          body: JSON.stringify({ events }),
        });
        // the session was closed for silence (or is unknown): the next play opens a new one
        if (response.status === 404 || response.status === 409) this.ended = true;
      } catch {
        return; // offline: telemetry is best effort, never an error for the viewer
      }
    }
  }

  /** Sends what is queued with navigator.sendBeacon (no headers possible: the token goes in the body). */
  flushWithBeacon(): void {
    if (!this.sessionId || this.queue.length === 0) return;
    const events = this.queue.splice(0, MAX_BATCH);
    const body = new Blob([JSON.stringify({ token: this.options.token, events })], { type: "application/json" });
    if (!this.options.sendBeacon?.(this.eventsUrl(this.sessionId), body)) void this.flush();
  }

  /**
   * Wires a <video>: play, first frame, stalls, seeks, pauses, errors, the end, heartbeats and page
   * hide. `describe` reports the current rendition and bitrate (from hls.js); by default the height.
   * Returns the function that unwires it (and ends the session as stopped).
   */
  attach(video: HTMLVideoElement, describe?: () => { rendition: string; bitrateKbps?: number } | null): () => void {
    const sample = (): Sample => {
      const current = describe?.() ?? (video.videoHeight ? { rendition: `${video.videoHeight}p` } : null);
      return { position: safe(video.currentTime), bufferSeconds: bufferAhead(video), ...current };
    };
    let seeking = false;
    let timer: ReturnType<typeof setInterval> | undefined;
    const startHeartbeats = () => {
      clearInterval(timer);
      timer = setInterval(() => void this.heartbeat(sample()), this.heartbeatSeconds * 1000);
    };
    const handlers: Record<string, () => void> = {
      play: () => void this.playRequested().then(startHeartbeats),
      playing: () => {
        seeking = false;
        this.playing(sample());
      },
      waiting: () => {
        if (!seeking) this.rebufferStart(safe(video.currentTime));
      },
      seeking: () => {
        seeking = true;
        this.seek(safe(video.currentTime));
      },
      pause: () => {
        if (!video.ended) this.pause(safe(video.currentTime));
      },
      resize: () => this.renditionSwitch(sample()),
      ended: () => {
        clearInterval(timer);
        void this.end(safe(video.currentTime), "completed");
      },
      error: () => {
        const failure = video.error;
        this.error(safe(video.currentTime), `media_${failure?.code ?? 0}`, failure?.message ?? "", true);
      },
    };
    const onPageHide = () => {
      clearInterval(timer);
      void this.end(safe(video.currentTime), "stopped", true);
    };
    const onVisibility = () => {
      if (document.visibilityState === "hidden") this.flushWithBeacon();
    };
    for (const [name, handler] of Object.entries(handlers)) video.addEventListener(name, handler);
    window.addEventListener("pagehide", onPageHide);
    document.addEventListener("visibilitychange", onVisibility);
    return () => {
      for (const [name, handler] of Object.entries(handlers)) video.removeEventListener(name, handler);
      window.removeEventListener("pagehide", onPageHide);
      document.removeEventListener("visibilitychange", onVisibility);
      clearInterval(timer);
      void this.end(safe(video.currentTime), "stopped");
    };
  }

  private async open(): Promise<boolean> {
    try {
      const response = await this.options.fetchImpl(`${this.options.apiBase}/api/playback/sessions`, {
        method: "POST",
        headers: { "Content-Type": "application/json", Authorization: `Bearer ${this.options.token}` },
        body: JSON.stringify({ eventId: this.options.eventId }),
      });
      if (!response.ok) return false;
      const body = (await response.json()) as { sessionId: string; heartbeatSeconds: number };
      this.sessionId = body.sessionId;
      this.heartbeatSeconds = body.heartbeatSeconds;
      await this.flush(); // a first frame may have come before the session id
      return true;
    } catch {
      return false;
    }
  }

  private reset(): void {
    if (!this.ended) return;
    this.sessionId = null;
    this.opening = null;
    this.queue = [];
    this.started = false;
    this.playedMs = 0;
    this.playingSince = null;
    this.stalledSince = null;
    this.rendition = null;
    this.ended = false;
    this.playRequestedAt = this.options.now();
  }

  private stopClock(): void {
    if (this.playingSince !== null) this.playedMs += this.options.now() - this.playingSince;
    this.playingSince = null;
  }

  private push(event: TelemetryEvent): void {
    if (this.ended) return;
    this.queue.push(event);
    if (this.queue.length >= FLUSH_AT) void this.flush();
  }

  private eventsUrl(sessionId: string): string {
    return `${this.options.apiBase}/api/playback/sessions/${encodeURIComponent(sessionId)}/events`;
  }
}

function rendition(sample: Sample): { rendition?: string; bitrateKbps?: number } {
  return { ...(sample.rendition ? { rendition: sample.rendition } : {}), ...bitrate(sample) };
}

function bitrate(sample: Sample): { bitrateKbps?: number } {
  return sample.bitrateKbps != null ? { bitrateKbps: Math.round(sample.bitrateKbps) } : {};
}

function safe(seconds: number): number {
  return Number.isFinite(seconds) && seconds > 0 ? Math.round(seconds * 1000) / 1000 : 0;
}

function bufferAhead(video: HTMLVideoElement): number {
  const t = video.currentTime;
  for (let i = 0; i < video.buffered.length; i++) {
    if (video.buffered.start(i) <= t && t <= video.buffered.end(i)) return Math.min(3600, Math.round((video.buffered.end(i) - t) * 10) / 10);
  }
  return 0;
}

/** The live viewer count of an event, pushed over server-sent events; returns the unsubscribe. */
export function subscribeLiveViewers(eventId: string, onCount: (viewers: number) => void, apiBase = ""): () => void {
  const source = new EventSource(`${apiBase}/api/events/${encodeURIComponent(eventId)}/live-stats`);
  source.addEventListener("viewers", (message) => {
    const data = JSON.parse((message as MessageEvent<string>).data) as { concurrentViewers: number };
    onCount(data.concurrentViewers);
  });
  return () => source.close();
}
