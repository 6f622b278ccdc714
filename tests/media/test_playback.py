"""Signed playback: who gets a playback URL, and the app serving signed media without a database read."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urljoin, urlsplit

import httpx
import pytest

from golive.media.hls import asset_prefix, grant_playback
from golive.platform.context import AppContext
from golive.platform.tokens import UrlSigner
from tests.hls_strict import parse_master, parse_media
from tests.support import AdminLogin, Factory, assert_error

from .uploading import ready_video

MakeVideo = Callable[..., Path]


@pytest.fixture
async def watchable(
    app_ctx: AppContext, client: httpx.AsyncClient, factory: Factory, owner: AdminLogin, make_video: MakeVideo
) -> dict[str, Any]:
    """A live on-demand event (anonymous access) with a ready video."""
    event = await factory.open_event(owner)
    media = await ready_video(app_ctx, client, owner, event["eventId"], make_video(size="640x360"))
    return {**event, "media": media}


def signature_of(url: str) -> dict[str, str]:
    return {key: values[0] for key, values in parse_qs(urlsplit(url).query).items()}


async def viewer_token(factory: Factory, event_id: str) -> str:
    response = await factory.register(event_id)
    assert response.status_code == 200, response.text
    token: str = response.json()["token"]
    return token


async def test_a_viewer_walks_the_signed_ladder_from_the_master_to_every_segment(
    client: httpx.AsyncClient, factory: Factory, watchable: dict[str, Any]
) -> None:
    token = await viewer_token(factory, watchable["eventId"])
    response = await client.get(
        f"/api/events/{watchable['eventId']}/playback", headers={"Authorization": f"Bearer {token}"}
    )
    assert response.status_code == 200, response.text
    playback = response.json()
    assert set(playback) == {
        "playbackUrl",
        "posterUrl",
        "thumbnailsUrl",
        "isLive",
        "duration",
        "expiresAt",
        "renewAfterSeconds",
    }
    assert playback["isLive"] is False and abs(playback["duration"] - 2.0) < 0.2
    signature = signature_of(playback["playbackUrl"])

    master_response = await client.get(playback["playbackUrl"])
    assert master_response.headers["content-type"] == "application/vnd.apple.mpegurl"
    assert master_response.headers["cache-control"] == "private, no-cache"
    master = parse_master(master_response.text)
    fetched = 0
    for variant in master.playlists:
        assert signature_of(variant.uri) == signature
        variant_url = urljoin(playback["playbackUrl"], variant.uri)
        media = parse_media((await client.get(variant_url)).text, ended=True)
        for uri in [media.segment_map[0].uri] + [segment.uri for segment in media.segments]:
            assert signature_of(uri) == signature
            segment = await client.get(urljoin(variant_url, uri))
            assert segment.status_code == 200
            assert segment.headers["content-type"] == "video/mp4"
            assert segment.headers["cache-control"] == "public, max-age=86400"
            fetched += 1
    assert fetched == 2 * 3  # two renditions: init + two 1 s segments each
    assert len(master.iframe_playlists) == 2
    for iframe in master.iframe_playlists:
        assert signature_of(iframe.uri) == signature
        iframe_url = urljoin(playback["playbackUrl"], iframe.uri)
        frames = parse_media((await client.get(iframe_url)).text, ended=True)
        assert signature_of(frames.segment_map[0].uri) == signature
        entry = frames.segments[0]
        length, offset = (int(part) for part in entry.byterange.split("@"))
        ranged = await client.get(
            urljoin(iframe_url, entry.uri), headers={"Range": f"bytes={offset}-{offset + length - 1}"}
        )
        assert ranged.status_code == 206 and len(ranged.content) == length


async def test_the_thumbnails_track_points_at_a_signed_sprite(
    client: httpx.AsyncClient, owner: AdminLogin, watchable: dict[str, Any]
) -> None:
    playback = (await client.get(f"/api/events/{watchable['eventId']}/playback", headers=owner.headers)).json()

    track = await client.get(playback["thumbnailsUrl"])

    assert track.status_code == 200 and track.headers["content-type"].startswith("text/vtt")
    cues = [line for line in track.text.split("\n") if "#xywh=" in line]
    assert cues and all(signature_of(cue.split("#")[0]) == signature_of(playback["playbackUrl"]) for cue in cues)
    sprite = await client.get(urljoin(playback["thumbnailsUrl"], cues[0]))
    assert sprite.status_code == 200 and sprite.headers["content-type"] == "image/jpeg"


def tampered(url: str) -> str:
    path = url.partition("?")[0]
    values = signature_of(url)
    values["sig"] = ("A" if values["sig"][0] != "A" else "B") + values["sig"][1:]
    return f"{path}?exp={values['exp']}&sig={values['sig']}&pfx={values['pfx']}"


@pytest.mark.parametrize("case", ["missing", "expired", "tampered", "other asset", "other secret", "repeated"])
async def test_a_bad_signature_is_forbidden(app_ctx: AppContext, client: httpx.AsyncClient, case: str) -> None:
    asset_id = "01HSIGNEDASSET"
    segment = "180p/seg_00000.m4s"
    good = grant_playback(app_ctx.urls, asset_prefix(asset_id), 300)
    urls = {
        "missing": f"{good.prefix}{segment}",
        "expired": grant_playback(app_ctx.urls, good.prefix, 60, now=time.time() - 3600).url(segment),
        "tampered": tampered(good.url(segment)),
        "other asset": f"{good.prefix}{segment}?{grant_playback(app_ctx.urls, asset_prefix('01HOTHER'), 300).query}",
        "other secret": grant_playback(UrlSigner("not-our-secret"), good.prefix, 300).url(segment),
        "repeated": f"{good.url(segment)}&exp={good.expires}",
    }

    response = await client.get(urls[case], headers={"Origin": "https://player.example"})

    assert_error(response, 403, "invalid_media_signature")
    # CORS on the refusal too, or a browser hides the 403 and the player says "network error".
    assert response.headers["access-control-allow-origin"] == "*"
    missing = await client.get(good.url(segment))  # the same file, validly signed
    assert missing.status_code == 404 and missing.headers["access-control-allow-origin"] == "*"


async def test_a_signature_never_reaches_outside_its_asset_folder(
    app_ctx: AppContext, client: httpx.AsyncClient, watchable: dict[str, Any]
) -> None:
    grant = grant_playback(app_ctx.urls, asset_prefix(watchable["media"]["assetId"]), 300)

    assert (await client.get(grant.url("nothing.m4s"))).status_code == 404
    assert (await client.get(grant.url("%2e%2e/secret.key"))).status_code in {403, 404}
    assert (await client.get(f"{grant.prefix}..%2F..%2Fsecret.key?{grant.query}")).status_code in {403, 404}


async def test_a_paying_event_refuses_a_viewer_who_has_not_paid(
    client: httpx.AsyncClient, factory: Factory, owner: AdminLogin
) -> None:
    event = await factory.open_event(owner, isPaidEvent=True, priceAmount=500, currency="EUR")
    token = await viewer_token(factory, event["eventId"])

    response = await client.get(
        f"/api/events/{event['eventId']}/playback", headers={"Authorization": f"Bearer {token}"}
    )

    assert_error(response, 403, "not_admitted")


async def test_a_viewer_must_pass_the_gate_as_it_is_now(
    client: httpx.AsyncClient, factory: Factory, owner: AdminLogin
) -> None:
    event = await factory.open_event(owner)
    token = await viewer_token(factory, event["eventId"])
    changed = await client.put(
        f"/api/events/{event['eventId']}",
        json={"accessType": "password", "accessPassword": "now-a-secret"},
        headers=owner.headers,
    )
    assert changed.status_code == 200, changed.text

    response = await client.get(
        f"/api/events/{event['eventId']}/playback", headers={"Authorization": f"Bearer {token}"}
    )

    assert_error(response, 403, "not_admitted")


async def test_a_viewer_token_is_good_for_its_own_event_only(
    client: httpx.AsyncClient, factory: Factory, owner: AdminLogin
) -> None:
    event = await factory.open_event(owner)
    other = await factory.open_event(owner)
    token = await viewer_token(factory, other["eventId"])

    response = await client.get(
        f"/api/events/{event['eventId']}/playback", headers={"Authorization": f"Bearer {token}"}
    )

    assert_error(response, 403, "viewer_token_other_event")


@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer forged.token.value"}])
async def test_playback_without_a_valid_token_is_unauthorized(
    client: httpx.AsyncClient, factory: Factory, owner: AdminLogin, headers: dict[str, str]
) -> None:
    event = await factory.open_event(owner)

    response = await client.get(f"/api/events/{event['eventId']}/playback", headers=headers)

    assert response.status_code == 401
    assert_error(response, 401, response.json()["error"]["code"])


async def test_an_event_without_a_ready_video_is_not_ready(
    client: httpx.AsyncClient, factory: Factory, owner: AdminLogin
) -> None:
    event = await factory.open_event(owner)
    token = await viewer_token(factory, event["eventId"])

    response = await client.get(
        f"/api/events/{event['eventId']}/playback", headers={"Authorization": f"Bearer {token}"}
    )

    assert_error(response, 409, "media_not_ready")


async def test_a_signed_path_the_file_system_refuses_is_not_found(
    app_ctx: AppContext, client: httpx.AsyncClient
) -> None:
    """A valid signature covers any path under its asset folder: one too long for the file system, or one that
    runs through a file, is a 404 like any missing file (it was a 500: ENAMETOOLONG, ENOTDIR)."""
    asset_id = "01HLONGPATHASSET"
    poster = app_ctx.settings.media_dir / asset_id / "poster.jpg"
    poster.parent.mkdir(parents=True)
    poster.write_bytes(b"\xff\xd8\xff")
    grant = grant_playback(app_ctx.urls, asset_prefix(asset_id), 300)
    assert (await client.get(grant.url("poster.jpg"))).status_code == 200
    for path in ("a" * 5000 + ".m4s", "x" * 300 + "/seg.m4s", "/".join(["d" * 200] * 30) + ".m3u8", "poster.jpg/x.m4s"):
        assert_error(await client.get(grant.url(path)), 404, "media_file_not_found")
