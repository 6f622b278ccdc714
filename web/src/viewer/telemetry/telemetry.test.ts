import { describe, expect, it } from "vitest";
import { PlaybackTelemetry, type TelemetryEvent } from "./telemetry";

interface Sent {
  url: string;
  headers: Record<string, string>;
  body: { events: TelemetryEvent[]; token?: string; eventId?: string };
}

function harness(status = 202) {
  let clock = 1000;
  const sent: Sent[] = [];
  const beacons: { url: string; body: Blob }[] = [];
  const fetchImpl = (async (url: string, init: RequestInit) => {
    sent.push({ url, headers: init.headers as Record<string, string>, body: JSON.parse(init.body as string) });
    if (url.endsWith("/api/playback/sessions")) {
      return new Response(JSON.stringify({ sessionId: "S1", heartbeatSeconds: 10 }), { status: 201 });
    }
    return new Response("{}", { status });
  }) as typeof fetch;
  const telemetry = new PlaybackTelemetry({
    eventId: "E1",
    token: "tok",
    fetchImpl,
    now: () => clock,
    sendBeacon: (url, body) => {
      beacons.push({ url, body });
      return true;
    },
  });
  return { telemetry, sent, beacons, advance: (ms: number) => (clock += ms) };
}

describe("PlaybackTelemetry", () => {
  it("opens a session on play and reports the startup time with the first frame", async () => {
    const { telemetry, sent, advance } = harness();
    await telemetry.playRequested();
    expect(sent[0]).toMatchObject({ url: "/api/playback/sessions", body: { eventId: "E1" } });
    expect(sent[0]?.headers.Authorization).toBe("Bearer tok");
    advance(640);
    telemetry.playing({ position: 0, rendition: "720p", bitrateKbps: 2800 });
    advance(10_000);
    await telemetry.heartbeat({ position: 10, rendition: "720p", bufferSeconds: 20 });
    const batch = sent[1];
    expect(batch?.url).toBe("/api/playback/sessions/S1/events");
    expect(batch?.body.events).toEqual([
      { type: "start", position: 0, played: 0, startupMs: 640, rendition: "720p", bitrateKbps: 2800 },
      { type: "heartbeat", position: 10, played: 10, bufferSeconds: 20, rendition: "720p" },
    ]);
  });

  it("times an autoplayed start from the autoplay request, and a refused autoplay from the viewer's play", async () => {
    const autoplayed = harness();
    autoplayed.telemetry.autoplayRequested();
    autoplayed.advance(900); // the video loads; the player calls play() once it can play
    await autoplayed.telemetry.playRequested();
    autoplayed.advance(5);
    autoplayed.telemetry.playing({ position: 0 });
    await autoplayed.telemetry.heartbeat({ position: 0 });
    expect(autoplayed.sent[1]?.body.events[0]).toMatchObject({ type: "start", startupMs: 905 });

    const refused = harness();
    refused.telemetry.autoplayRequested();
    refused.advance(900);
    refused.telemetry.autoplayRefused();
    refused.advance(60_000); // the viewer looks at the page, then presses play
    await refused.telemetry.playRequested();
    refused.advance(40);
    refused.telemetry.playing({ position: 0 });
    await refused.telemetry.heartbeat({ position: 0 });
    expect(refused.sent[1]?.body.events[0]).toMatchObject({ type: "start", startupMs: 40 });
  });

  it("counts only playing time and reports stalls, seeks and rendition switches", async () => {
    const { telemetry, sent, advance } = harness();
    await telemetry.playRequested();
    telemetry.playing({ position: 0, rendition: "480p" });
    advance(5000);
    telemetry.rebufferStart(5);
    advance(1500);
    telemetry.playing({ position: 5 });
    telemetry.renditionSwitch({ position: 5, rendition: "720p", bitrateKbps: 2800 });
    advance(2000);
    telemetry.pause(7);
    advance(60_000);
    telemetry.seek(100);
    await telemetry.heartbeat({ position: 100, bufferSeconds: 0 });
    const events = sent[1]?.body.events ?? [];
    expect(events.map((e) => [e.type, e.played])).toEqual([
      ["start", 0],
      ["rebufferStart", 5],
      ["rebufferEnd", 5],
      ["renditionSwitch", 5],
      ["pause", 7],
      ["seek", 7],
      ["heartbeat", 7],
    ]);
    expect(events[2]).toMatchObject({ durationMs: 1500 });
  });

  it("closes the session with sendBeacon on page hide, the token in the body", async () => {
    const { telemetry, beacons, advance } = harness();
    await telemetry.playRequested();
    telemetry.playing({ position: 0 });
    advance(3000);
    await telemetry.end(3, "stopped", true);
    expect(beacons).toHaveLength(1);
    expect(beacons[0]?.url).toBe("/api/playback/sessions/S1/events");
    const body = JSON.parse(await beacons[0]!.body.text());
    expect(body.token).toBe("tok");
    expect(body.events.at(-1)).toEqual({ type: "end", position: 3, played: 3, reason: "stopped" });
  });

  it("a fatal error ends the session, and the next play opens a new one", async () => {
    const { telemetry, sent } = harness();
    await telemetry.playRequested();
    telemetry.playing({ position: 0 });
    telemetry.error(2, "manifest load error!", "boom", true);
    await Promise.resolve();
    const events = sent[1]?.body.events ?? [];
    expect(events.map((e) => e.type)).toEqual(["start", "error", "end"]);
    expect(events[1]).toMatchObject({ code: "manifest_load_error_", fatal: true });
    await telemetry.playRequested();
    expect(sent.filter((s) => s.url === "/api/playback/sessions")).toHaveLength(2);
  });

  it("stops reporting to a session the server closed", async () => {
    const { telemetry, sent } = harness(409);
    await telemetry.playRequested();
    telemetry.playing({ position: 0 });
    await telemetry.heartbeat({ position: 1, bufferSeconds: 1 });
    await telemetry.heartbeat({ position: 2, bufferSeconds: 1 });
    expect(sent).toHaveLength(2);
  });
});
