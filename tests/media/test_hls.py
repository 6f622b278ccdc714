"""Signed playback: one folder signature, carried on every URI of every playlist, checked without a DB."""

from __future__ import annotations

import time
from urllib.parse import parse_qs, urlsplit

import m3u8
import pytest

from golive.media.hls import (
    PlaybackGrant,
    asset_prefix,
    grant_playback,
    rewrite_playlist,
    verify_media_request,
)
from golive.platform.tokens import UrlSigner

NOW = 1_800_000_000
PREFIX = "/media/01HASSETA/"

MASTER = """#EXTM3U
#EXT-X-VERSION:7
#EXT-X-INDEPENDENT-SEGMENTS
#EXT-X-SESSION-KEY:METHOD=AES-128,URI="keys/session.key"
#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="aud",NAME="en",DEFAULT=YES,URI="audio/en/index.m3u8"
#EXT-X-MEDIA:TYPE=SUBTITLES,GROUP-ID="subs",NAME="en",URI="subs/en.m3u8"
#EXT-X-STREAM-INF:BANDWIDTH=3220800,RESOLUTION=1280x720,CODECS="avc1.64001f,mp4a.40.2",AUDIO="aud"
720p/index.m3u8

#EXT-X-STREAM-INF:BANDWIDTH=985600,RESOLUTION=640x360,CODECS="avc1.64001e,mp4a.40.2",AUDIO="aud"
360p/index.m3u8
#EXT-X-I-FRAME-STREAM-INF:BANDWIDTH=90000,RESOLUTION=640x360,CODECS="avc1.64001e",URI="360p/iframes.m3u8"
"""

MEDIA = """#EXTM3U
#EXT-X-VERSION:7
#EXT-X-TARGETDURATION:4
#EXT-X-MEDIA-SEQUENCE:0
#EXT-X-PLAYLIST-TYPE:VOD
#EXT-X-KEY:METHOD=AES-128,URI="../keys/k1.key",IV=0x00000000000000000000000000000001
#EXT-X-MAP:URI="init_0.mp4"
#EXTINF:4.000000,
seg_00000.m4s
#EXTINF:4.000000,
/media/01HASSETA/720p/seg_00001.m4s
#EXTINF:2.000000,
seg_00002.m4s?v=2
#EXT-X-ENDLIST
"""


@pytest.fixture
def grant(signer: UrlSigner) -> PlaybackGrant:
    return grant_playback(signer, PREFIX, ttl_seconds=600, now=NOW)


def query_of(url: str) -> dict[str, str]:
    return {name: values[0] for name, values in parse_qs(urlsplit(url).query).items()}


def test_signed_master_url_is_accepted(grant: PlaybackGrant, signer: UrlSigner) -> None:
    url = grant.url("master.m3u8")
    assert url == f"{PREFIX}master.m3u8?exp={NOW + 600}&sig={grant.signature}&pfx={PREFIX}"
    assert verify_media_request(urlsplit(url).path, urlsplit(url).query, signer, now=NOW)
    assert verify_media_request(f"{PREFIX}720p/seg_00000.m4s", query_of(url), signer, now=NOW + 599)


def test_expired_signature_is_refused(grant: PlaybackGrant, signer: UrlSigner) -> None:
    assert not verify_media_request(f"{PREFIX}master.m3u8", grant.query, signer, now=NOW + 601)


def test_tampered_signature_or_expiry_is_refused(grant: PlaybackGrant, signer: UrlSigner) -> None:
    flipped = ("A" if grant.signature[0] != "A" else "B") + grant.signature[1:]
    forged = PlaybackGrant(PREFIX, grant.expires, flipped)
    extended = PlaybackGrant(PREFIX, grant.expires + 3600, grant.signature)
    assert not verify_media_request(f"{PREFIX}master.m3u8", forged.query, signer, now=NOW)
    assert not verify_media_request(f"{PREFIX}master.m3u8", extended.query, signer, now=NOW)


def test_signature_of_one_asset_does_not_open_another(grant: PlaybackGrant, signer: UrlSigner) -> None:
    assert not verify_media_request("/media/01HASSETB/master.m3u8", grant.query, signer, now=NOW)
    widened = PlaybackGrant("/media/01HASSETB/", grant.expires, grant.signature)
    assert not verify_media_request("/media/01HASSETB/master.m3u8", widened.query, signer, now=NOW)
    assert not verify_media_request(f"{PREFIX}../01HASSETB/master.m3u8", grant.query, signer, now=NOW)


def test_signature_from_another_secret_is_refused(grant: PlaybackGrant) -> None:
    assert not verify_media_request(f"{PREFIX}master.m3u8", grant.query, UrlSigner("other"), now=NOW)


@pytest.mark.parametrize(
    "query",
    [
        "",
        "exp=&sig=&pfx=",
        "exp=1&pfx=/media/01HASSETA/",
        "exp=abc&sig=x&pfx=/media/01HASSETA/",
        "exp=1800000600&sig=%00&pfx=/media/01HASSETA/",
        "exp=1800000600&sig=x&pfx=/media/",
        "exp=1800000600&sig=x&sig=y&pfx=/media/01HASSETA/",
    ],
)
def test_missing_or_malformed_signature_is_refused(query: str, signer: UrlSigner) -> None:
    assert not verify_media_request(f"{PREFIX}master.m3u8", query, signer, now=NOW)


def test_asset_prefix_refuses_ids_that_could_change_the_path() -> None:
    assert asset_prefix("01HASSETA") == PREFIX
    for bad in ("..", "a/b", "", "a.b"):
        with pytest.raises(ValueError):
            asset_prefix(bad)


def test_every_uri_of_a_master_playlist_is_signed(grant: PlaybackGrant, signer: UrlSigner) -> None:
    signed = rewrite_playlist(MASTER, PREFIX, signer, grant.expires, grant.signature)
    parsed = m3u8.loads(signed)

    uris = (
        [p.uri for p in parsed.playlists]
        + [m.uri for m in parsed.media]
        + [p.uri for p in parsed.iframe_playlists]
        + [k.uri for k in parsed.session_keys if k]
    )
    assert len(uris) == 6
    for uri in uris:
        assert uri.endswith("?" + grant.query)
        full_path = urlsplit(f"{PREFIX}{uri}").path
        assert verify_media_request(full_path, query_of(uri), signer, now=NOW)
    assert 'CODECS="avc1.64001f,mp4a.40.2"' in signed
    assert signed.count("\n") == MASTER.count("\n")


def test_every_uri_of_a_media_playlist_is_signed(grant: PlaybackGrant, signer: UrlSigner) -> None:
    signed = rewrite_playlist(MEDIA, PREFIX, signer, grant.expires, grant.signature)
    parsed = m3u8.loads(signed)

    assert parsed.segment_map[0].uri == f"init_0.mp4?{grant.query}"
    assert parsed.keys[-1] is not None and parsed.keys[-1].uri == f"../keys/k1.key?{grant.query}"
    assert [s.uri for s in parsed.segments] == [
        f"seg_00000.m4s?{grant.query}",
        f"/media/01HASSETA/720p/seg_00001.m4s?{grant.query}",
        f"seg_00002.m4s?v=2&{grant.query}",
    ]
    assert parsed.is_endlist and parsed.target_duration == 4


def test_uris_outside_the_signed_folder_are_left_alone(grant: PlaybackGrant, signer: UrlSigner) -> None:
    text = '#EXTM3U\n#EXT-X-KEY:METHOD=SAMPLE-AES,URI="skd://key-id"\n#EXTINF:4,\nhttps://cdn.example/a.ts\n'
    text += "#EXTINF:4,\n/media/OTHER/b.ts\n"
    assert rewrite_playlist(text, PREFIX, signer, grant.expires, grant.signature) == text


def test_rewrite_refuses_a_signature_that_does_not_match(grant: PlaybackGrant, signer: UrlSigner) -> None:
    with pytest.raises(ValueError):
        rewrite_playlist(MEDIA, "/media/01HASSETB/", signer, grant.expires, grant.signature)


def test_real_clock_default_accepts_fresh_grants(signer: UrlSigner) -> None:
    fresh = grant_playback(signer, PREFIX, ttl_seconds=60)
    assert fresh.expires > time.time()
    assert verify_media_request(f"{PREFIX}thumbs.vtt", fresh.query, signer)
