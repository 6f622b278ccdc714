// @vitest-environment happy-dom
import { act, renderHook, waitFor } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { Playback, PublicEvent } from "../../api/types";
import { usePlayback } from "./usePlayback";

/** The browser's EventSource, as the server drives it: what the page opened, and what the test sends on it. */
class FakeStream {
  static opened: FakeStream[] = [];
  readyState = 1;
  closed = false;
  private readonly listeners = new Map<string, ((message: MessageEvent<string>) => void)[]>();

  constructor(readonly url: string) {
    FakeStream.opened.push(this);
  }

  addEventListener(name: string, listener: (message: MessageEvent<string>) => void): void {
    this.listeners.set(name, [...(this.listeners.get(name) ?? []), listener]);
  }

  close(): void {
    this.closed = true;
    this.readyState = 2;
  }

  emit(name: string, data?: unknown): void {
    for (const listener of this.listeners.get(name) ?? []) listener({ data: JSON.stringify(data ?? {}) } as MessageEvent<string>);
  }
}

const WITHDRAWN = "Your access to this event was withdrawn (a refund, or the organizer ended it); buy a ticket or pass the event's gate to watch again";
const revoked = { code: "not_admitted", message: WITHDRAWN, details: { reason: "revoked" }, timestamp: "2026-05-01T10:00:00Z" };

const playback = (isLive: boolean): Playback => ({
  playbackUrl: "/media/E1/live/master.m3u8?exp=1&sig=s&pfx=/media/E1/",
  posterUrl: null,
  thumbnailsUrl: null,
  isLive,
  duration: null,
  expiresAt: "2026-05-01T10:01:00Z",
  renewAfterSeconds: 40,
});

const event = (eventType: "live" | "vod"): PublicEvent => ({ eventId: "E1", status: "live", eventType }) as PublicEvent;

/** The playback endpoint: each call answered in turn (status, body); the calls are recorded. */
function answerPlayback(...answers: [number, unknown][]): string[] {
  const calls: string[] = [];
  vi.stubGlobal("fetch", async (url: string) => {
    calls.push(url);
    const [status, body] = answers[Math.min(calls.length, answers.length) - 1] ?? [500, {}];
    return new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } });
  });
  return calls;
}

beforeEach(() => {
  FakeStream.opened = [];
  vi.stubGlobal("EventSource", FakeStream);
});

afterEach(() => {
  vi.unstubAllGlobals();
});

describe("a live stream's viewer count", () => {
  it("is followed with the viewer's token, and a refund ends the video with the reason in plain words", async () => {
    answerPlayback([200, playback(true)]);
    const { result } = renderHook(() => usePlayback(event("live"), "tok", 0));
    await waitFor(() => expect(result.current.state.kind).toBe("ready"));
    const [stream] = FakeStream.opened;
    expect(stream?.url).toBe("/api/events/E1/live-stats?token=tok");

    act(() => stream?.emit("viewers", { eventId: "E1", concurrentViewers: 31, at: "2026-05-01T10:00:00Z" }));
    expect(result.current.watching).toBe(31);

    act(() => stream?.emit("refused", { status: 403, error: revoked }));
    const state = result.current.state;
    expect(state.kind).toBe("refused");
    if (state.kind !== "refused") return;
    expect(state.refusal.title).toBe("Your access was withdrawn");
    expect(state.refusal.message).toBe(WITHDRAWN);
    expect(state.refusal.action).toBe("access");
    expect(result.current.watching).toBeNull();
    expect(stream?.closed).toBe(true);
  });

  it("when refused at the start (EventSource tells no reason), asks the playback endpoint, which says why", async () => {
    const calls = answerPlayback([200, playback(true)], [403, { error: revoked }]);
    const { result } = renderHook(() => usePlayback(event("live"), "tok", 0));
    await waitFor(() => expect(result.current.state.kind).toBe("ready"));

    const [stream] = FakeStream.opened;
    act(() => {
      if (stream) stream.readyState = 2; // the 403 answer: no stream, and no retry by the browser
      stream?.emit("error");
    });
    await waitFor(() => expect(result.current.state.kind).toBe("refused"));
    expect(calls).toHaveLength(2); // at once, not at the renewal 40 s later
    const state = result.current.state;
    if (state.kind === "refused") expect(state.refusal.reason).toBe("revoked");
  });

  it("is not opened for an on-demand video", async () => {
    answerPlayback([200, playback(false)]);
    const { result } = renderHook(() => usePlayback(event("vod"), "tok", 0));
    await waitFor(() => expect(result.current.state.kind).toBe("ready"));
    expect(FakeStream.opened).toHaveLength(0);
    expect(result.current.watching).toBeNull();
  });
});
