"""deploy/nginx.conf checks the app's signatures itself (njs) and serves a real transcoded asset."""

from __future__ import annotations

import http.client
import socket
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import httpx
import pytest

from golive.media.hls import PlaybackGrant, asset_prefix, grant_playback, rewrite_playlist
from golive.media.ladder import transcode_vod
from golive.platform.settings import Settings
from golive.platform.tokens import UrlSigner
from tests.hls_strict import parse_master, parse_media

from .conftest import NginxEdge

MakeVideo = Callable[..., Path]
ASSET = "01HNGINXASSET"


@pytest.fixture(scope="module")
def edge(nginx_edge: NginxEdge, video_file_maker: MakeVideo, tmp_path_factory: pytest.TempPathFactory) -> NginxEdge:
    work = tmp_path_factory.mktemp("edge-source")
    source = video_file_maker(work / "source.mp4", size="320x180", duration=3.0)
    settings = Settings(data_dir=work / "data", secret_key="test-secret", segment_seconds=1)
    transcode_vod(source, nginx_edge.media_root / ASSET, settings)
    return nginx_edge


@pytest.fixture
def grant(signer: UrlSigner) -> PlaybackGrant:
    return grant_playback(signer, asset_prefix(ASSET), ttl_seconds=300)


@pytest.fixture
def client(edge: NginxEdge) -> httpx.Client:
    return httpx.Client(base_url=edge.base_url, timeout=5)


SEGMENT = f"/media/{ASSET}/180p/seg_00000.m4s"


def test_signed_segment_is_served_with_its_content_type(
    client: httpx.Client, edge: NginxEdge, grant: PlaybackGrant
) -> None:
    response = client.get(f"{SEGMENT}?{grant.query}")

    assert response.status_code == 200
    assert response.headers["content-type"] == "video/mp4"
    assert response.content == (edge.media_root / ASSET / "180p" / "seg_00000.m4s").read_bytes()
    assert response.headers["access-control-allow-origin"] == "*"
    assert "max-age" in response.headers["cache-control"]


def test_unsigned_segment_is_forbidden(client: httpx.Client) -> None:
    assert client.get(SEGMENT).status_code == 403


def test_tampered_signature_is_forbidden(client: httpx.Client, grant: PlaybackGrant) -> None:
    flipped = ("A" if grant.signature[0] != "A" else "B") + grant.signature[1:]
    assert client.get(f"{SEGMENT}?{PlaybackGrant(grant.prefix, grant.expires, flipped).query}").status_code == 403
    later = PlaybackGrant(grant.prefix, grant.expires + 3600, grant.signature)
    assert client.get(f"{SEGMENT}?{later.query}").status_code == 403


def test_expired_signature_is_forbidden(client: httpx.Client, signer: UrlSigner) -> None:
    expired = grant_playback(signer, asset_prefix(ASSET), ttl_seconds=60, now=time.time() - 3600)
    assert client.get(f"{SEGMENT}?{expired.query}").status_code == 403


def test_signature_for_another_asset_is_forbidden(client: httpx.Client, signer: UrlSigner) -> None:
    other = grant_playback(signer, asset_prefix("01HOTHERASSET"), ttl_seconds=300)
    assert client.get(f"{SEGMENT}?{other.query}").status_code == 403
    assert client.get(f"/media/{ASSET}/master.m3u8?{other.query}").status_code == 403


def test_signature_from_another_secret_is_forbidden(client: httpx.Client) -> None:
    foreign = grant_playback(UrlSigner("not-our-secret"), asset_prefix(ASSET), ttl_seconds=300)
    assert client.get(f"{SEGMENT}?{foreign.query}").status_code == 403


@pytest.mark.parametrize("playlist", ["master.m3u8", "180p/index.m3u8"])
def test_playlists_from_nginx_match_the_apps_rewrite(
    client: httpx.Client, edge: NginxEdge, signer: UrlSigner, grant: PlaybackGrant, playlist: str
) -> None:
    response = client.get(grant.url(playlist))

    assert response.status_code == 200
    assert response.headers["content-type"] == "application/vnd.apple.mpegurl"
    original = (edge.media_root / ASSET / playlist).read_text()
    assert response.text == rewrite_playlist(original, grant.prefix, signer, grant.expires, grant.signature)
    assert client.get(f"/media/{ASSET}/{playlist}").status_code == 403


def test_a_player_can_walk_every_uri_from_the_master(client: httpx.Client, grant: PlaybackGrant) -> None:
    """Every playlist nginx serves reads strictly; I-frame byte ranges are served as ranges."""
    master_url = grant.url("master.m3u8")
    master = parse_master(client.get(master_url).text)
    fetched = 0
    for variant in master.playlists:
        variant_url = urljoin(master_url, variant.uri)
        media = parse_media(client.get(variant_url).text, ended=True)
        uris = [media.segment_map[0].uri] + [segment.uri for segment in media.segments]
        for uri in uris:
            response = client.get(urljoin(variant_url, uri))
            assert response.status_code == 200, uri
            assert response.headers["content-type"] == "video/mp4"
            fetched += 1
    assert fetched == 4
    assert master.iframe_playlists
    for iframe in master.iframe_playlists:
        iframe_url = urljoin(master_url, iframe.uri)
        frames = parse_media(client.get(iframe_url).text, ended=True)
        assert frames.is_i_frames_only
        for entry in frames.segments:
            length, offset = (int(part) for part in entry.byterange.split("@"))
            ranged = client.get(
                urljoin(iframe_url, entry.uri), headers={"Range": f"bytes={offset}-{offset + length - 1}"}
            )
            assert ranged.status_code == 206 and len(ranged.content) == length


def test_poster_and_thumbnail_track_have_their_types(client: httpx.Client, grant: PlaybackGrant) -> None:
    poster = client.get(grant.url("poster.jpg"))
    vtt = client.get(grant.url("thumbs.vtt"))
    assert poster.status_code == 200 and poster.headers["content-type"] == "image/jpeg"
    assert vtt.status_code == 200 and vtt.headers["content-type"] == "text/vtt"
    assert client.get(grant.url("thumbs.jpg")).headers["content-type"] == "image/jpeg"


def test_cors_preflight_is_answered(client: httpx.Client) -> None:
    response = client.options(
        SEGMENT, headers={"Origin": "https://player.example", "Access-Control-Request-Method": "GET"}
    )
    assert response.status_code == 204
    assert response.headers["access-control-allow-origin"] == "*"


def test_signed_but_missing_file_is_not_found(client: httpx.Client, grant: PlaybackGrant) -> None:
    assert client.get(grant.url("720p/seg_00000.m4s")).status_code == 404
    assert client.get(grant.url("nothing.m3u8")).status_code == 404


@pytest.mark.parametrize("path", ["../media_key.json", "..%2f..%2fmedia_key.json", "%2e%2e/%2e%2e/media_key.json"])
def test_traversal_out_of_the_signed_folder_never_reaches_the_key_file(
    edge: NginxEdge, grant: PlaybackGrant, path: str
) -> None:
    # http.client sends the path as written; httpx would normalise the dots away before sending.
    connection = http.client.HTTPConnection(urlsplit(edge.base_url).netloc, timeout=5)
    connection.request("GET", f"{grant.prefix}../{path}?{grant.query}")
    response = connection.getresponse()
    body = response.read()
    connection.close()
    assert response.status != 200
    assert b"mediaKeyHex" not in body


def test_refusals_carry_cors_so_a_browser_player_can_read_them(client: httpx.Client, grant: PlaybackGrant) -> None:
    """Without CORS on a 403/404 a browser hides the status and the player can only say "network error"."""
    origin = {"Origin": "https://player.example"}
    refusals = {
        f"{SEGMENT}": 403,
        f"/media/{ASSET}/master.m3u8": 403,
        f"/media/{ASSET}/thumbs.vtt": 403,
        f"/media/{ASSET}/master.m3u8?{grant.query.replace('sig=', 'sig=A')}": 403,
        grant.url("720p/seg_00000.m4s"): 404,
        grant.url("nothing.m3u8"): 404,
        grant.url("nothing.vtt"): 404,
        grant.url(".hidden"): 404,
    }
    for url, expected in refusals.items():
        response = client.get(url, headers=origin)
        assert response.status_code == expected, url
        assert response.headers.get("access-control-allow-origin") == "*", url


def test_every_media_answer_says_nosniff_and_a_referrer_policy(client: httpx.Client, grant: PlaybackGrant) -> None:
    """The same headers as the app's own answers, on what nginx serves itself, refusals included."""
    answers = [
        client.get(f"{SEGMENT}?{grant.query}"),
        client.get(grant.url("master.m3u8")),
        client.get(grant.url("thumbs.vtt")),
        client.get(SEGMENT),  # unsigned: 403
        client.get(grant.url("720p/seg_00000.m4s")),  # signed, missing: 404
    ]
    assert [r.status_code for r in answers] == [200, 200, 200, 403, 404]
    for response in answers:
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["referrer-policy"] == "strict-origin-when-cross-origin"


def test_oversized_headers_are_refused_at_the_edge(edge: NginxEdge, grant: PlaybackGrant) -> None:
    """large_client_header_buffers: a 64 KiB header or cookie never reaches the app (uvicorn would take 2 MB)."""
    with httpx.Client(base_url=edge.base_url, timeout=10) as client:
        assert client.get(f"{SEGMENT}?{grant.query}", headers={"X-Padding": "a" * 8000}).status_code == 200
        assert client.get("/api/events", headers={"Cookie": "a=" + "b" * 65536}).status_code == 400


def test_a_client_that_never_finishes_its_headers_is_dropped(edge: NginxEdge) -> None:
    """client_header_timeout: a slowloris connection is closed after 10 s instead of being held open forever."""
    host, port = urlsplit(edge.base_url).netloc.split(":")
    with socket.create_connection((host, int(port)), timeout=90) as sock:
        sock.sendall(b"GET /api/events HTTP/1.1\r\nHost: golive\r\nX-Slow: ")
        started = time.monotonic()
        try:
            while sock.recv(4096):  # nginx may answer 408 before it closes
                pass
        except ConnectionResetError:
            pass
        # 10 s configured; nginx's own default would be 60 s
        assert time.monotonic() - started < 30, "the connection was held open"
