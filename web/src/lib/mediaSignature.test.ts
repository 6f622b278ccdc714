import { describe, expect, it } from "vitest";
import { resign, signatureOf } from "./mediaSignature";

const OLD = "exp=1700000000&sig=OLDOLDOLDOLDOLDOLDOLDOLDOLDOLDOLDOLDOLDOLDO&pfx=/media/01HASSET/";
const NEW = { exp: "1700000060", sig: "NEWNEWNEWNEWNEWNEWNEWNEWNEWNEWNEWNEWNEWNEWN", pfx: "/media/01HASSET/" };
const NEW_QUERY = `exp=${NEW.exp}&sig=${NEW.sig}&pfx=${NEW.pfx}`;

describe("signatureOf", () => {
  it("reads exp, sig and pfx from a signed URL", () => {
    expect(signatureOf(`/media/01HASSET/master.m3u8?${OLD}`)).toEqual({
      exp: "1700000000",
      sig: "OLDOLDOLDOLDOLDOLDOLDOLDOLDOLDOLDOLDOLDOLDO",
      pfx: "/media/01HASSET/",
    });
  });

  it("reads an escaped prefix as the server means it", () => {
    expect(signatureOf("/media/01HASSET/a.m4s?exp=1&sig=s&pfx=%2Fmedia%2F01HASSET%2F")?.pfx).toBe("/media/01HASSET/");
  });

  it("is null for a URL without (or with half of) a signature", () => {
    expect(signatureOf("/media/01HASSET/master.m3u8")).toBeNull();
    expect(signatureOf("/media/01HASSET/master.m3u8?exp=1&sig=abc")).toBeNull();
  });

  it("is null when a part is repeated, as the server refuses it", () => {
    expect(signatureOf(`/media/01HASSET/master.m3u8?${OLD}&sig=other`)).toBeNull();
  });
});

describe("resign", () => {
  it("puts the new signature on an absolute URL and keeps its host and path", () => {
    expect(resign(`https://cdn.example.com/media/01HASSET/180p/seg_00003.m4s?${OLD}`, NEW)).toBe(
      `https://cdn.example.com/media/01HASSET/180p/seg_00003.m4s?${NEW_QUERY}`,
    );
  });

  it("keeps the other parameters (hls.js's low-latency ones) and the fragment", () => {
    expect(resign(`/media/01HASSET/180p/index.m3u8?_HLS_msn=12&${OLD}&_HLS_part=2`, NEW)).toBe(
      `/media/01HASSET/180p/index.m3u8?_HLS_msn=12&_HLS_part=2&${NEW_QUERY}`,
    );
    expect(resign(`http://127.0.0.1:8000/media/01HASSET/thumbs/sprite.jpg?${OLD}#xywh=160,0,160,90`, NEW)).toBe(
      `http://127.0.0.1:8000/media/01HASSET/thumbs/sprite.jpg?${NEW_QUERY}#xywh=160,0,160,90`,
    );
  });

  it("replaces a signature of a folder below the asset with the asset's", () => {
    const inner = "exp=1&sig=INNERINNERINNERINNERINNERINNERINNERINNERINN&pfx=/media/01HASSET/180p/";
    expect(resign(`/media/01HASSET/180p/seg.m4s?${inner}`, NEW)).toBe(`/media/01HASSET/180p/seg.m4s?${NEW_QUERY}`);
  });

  it("leaves an unsigned URL, another asset's and another site's alone", () => {
    expect(resign("/media/01HASSET/master.m3u8", NEW)).toBe("/media/01HASSET/master.m3u8");
    const other = `/media/01HOTHER/master.m3u8?${OLD.replace("01HASSET", "01HOTHER")}`;
    expect(resign(other, NEW)).toBe(other);
    const keyServer = "https://keys.example.com/key?id=7";
    expect(resign(keyServer, NEW)).toBe(keyServer);
  });

  it("changes nothing without a signature to put", () => {
    expect(resign(`/media/01HASSET/master.m3u8?${OLD}`, null)).toBe(`/media/01HASSET/master.m3u8?${OLD}`);
  });
});
