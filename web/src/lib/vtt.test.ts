import { describe, expect, it } from "vitest";
import { findThumbnail, parseThumbnailVtt } from "./vtt";

const VTT = `WEBVTT

1
00:00:00.000 --> 00:00:05.000
sprite.jpg#xywh=0,0,160,90

00:00:05.000 --> 00:00:10.000
sprite.jpg#xywh=160,0,160,90

00:01:00.000 --> 01:00:00.000
https://cdn.example.com/other.jpg#xywh=0,90,160,90
`;

describe("thumbnail sprites", () => {
  const cues = parseThumbnailVtt(VTT, "https://media.example.com/e/1/thumbs.vtt?sig=abc");

  it("reads cue times, image and region", () => {
    expect(cues).toHaveLength(3);
    expect(cues[1]).toEqual({ start: 5, end: 10, url: "https://media.example.com/e/1/sprite.jpg", x: 160, y: 0, width: 160, height: 90 });
    expect(cues[2]?.end).toBe(3600);
    expect(cues[2]?.url).toBe("https://cdn.example.com/other.jpg");
  });

  it("finds the cue of a time", () => {
    expect(findThumbnail(cues, 7)?.x).toBe(160);
    expect(findThumbnail(cues, 30)).toBeNull();
    expect(findThumbnail(cues, 120)?.y).toBe(90);
  });
});
