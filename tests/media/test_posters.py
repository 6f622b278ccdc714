"""Picking the poster of a video: a frame at a chosen time replaces the one the transcode took."""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path

import httpx

from golive.identity.staff.models import AdminRole
from golive.media.ffmpeg import find_tools
from golive.platform.context import AppContext
from tests.support import AdminLogin, Factory, assert_error

from .uploading import ready_video

MakeVideo = Callable[..., Path]


async def test_an_editor_picks_a_frame_as_the_poster_and_viewers_get_the_new_image(
    app_ctx: AppContext, client: httpx.AsyncClient, factory: Factory, owner: AdminLogin, make_video: MakeVideo
) -> None:
    event = await factory.open_event(owner, eventType="vod")
    media = await ready_video(app_ctx, client, owner, event["eventId"], make_video(size="640x360", duration=3.0))
    editor = await factory.admin(AdminRole.EDITOR)
    old_poster = (await client.get(media["posterUrl"])).content

    response = await client.post(
        f"/api/events/{event['eventId']}/media/poster", json={"at": 2.5}, headers=editor.headers
    )

    assert response.status_code == 200, response.text
    picked = response.json()
    assert picked["posterUrl"] != media["posterUrl"]
    image = await client.get(picked["posterUrl"])
    assert image.status_code == 200 and image.headers["content-type"] == "image/jpeg"
    assert image.content[:2] == b"\xff\xd8" and image.content != old_poster
    again = (await client.get(f"/api/events/{event['eventId']}/media", headers=owner.headers)).json()
    assert again["posterUrl"].split("?")[0] == picked["posterUrl"].split("?")[0]  # kept, not just answered


async def test_a_time_outside_the_video_is_refused_and_changes_nothing(
    app_ctx: AppContext, client: httpx.AsyncClient, factory: Factory, owner: AdminLogin, make_video: MakeVideo
) -> None:
    event = await factory.open_event(owner, eventType="vod")
    media = await ready_video(app_ctx, client, owner, event["eventId"], make_video(duration=2.0))
    url = f"/api/events/{event['eventId']}/media/poster"

    beyond = await client.post(url, json={"at": 30}, headers=owner.headers)
    error = assert_error(beyond, 400, "validation_error")
    assert "at" in error["details"]["fields"]
    negative = await client.post(url, json={"at": -1}, headers=owner.headers)
    assert negative.status_code == 422, negative.text
    assert negative.json()["error"]["details"]
    unchanged = (await client.get(f"/api/events/{event['eventId']}/media", headers=owner.headers)).json()
    assert unchanged["posterUrl"].split("?")[0] == media["posterUrl"].split("?")[0]


async def test_an_event_without_a_ready_video_has_no_frame_to_pick(
    client: httpx.AsyncClient, factory: Factory, owner: AdminLogin
) -> None:
    event = await factory.event(owner, eventType="vod")
    response = await client.post(f"/api/events/{event['eventId']}/media/poster", json={"at": 0}, headers=owner.headers)
    assert_error(response, 409, "media_not_ready")
    anonymous = await client.post(f"/api/events/{event['eventId']}/media/poster", json={"at": 0})
    assert anonymous.status_code == 401


async def test_the_console_finds_the_current_poster_at_a_stable_address(
    app_ctx: AppContext, client: httpx.AsyncClient, factory: Factory, owner: AdminLogin, make_video: MakeVideo
) -> None:
    event = await factory.open_event(owner, eventType="vod")
    await ready_video(app_ctx, client, owner, event["eventId"], make_video(duration=2.0))
    picked = await client.post(f"/api/events/{event['eventId']}/media/poster", json={"at": 1}, headers=owner.headers)

    found = await client.get(f"/api/events/{event['eventId']}/poster", headers=owner.headers)

    assert found.status_code == 302, found.text
    assert found.headers["location"].split("?")[0] == picked.json()["posterUrl"].split("?")[0]
    without = await factory.event(owner, eventType="vod")
    assert_error(await client.get(f"/api/events/{without['eventId']}/poster"), 404, "event_not_found")
    assert_error(
        await client.get(f"/api/events/{without['eventId']}/poster", headers=owner.headers), 409, "media_not_ready"
    )


async def test_an_uploaded_image_becomes_the_poster_as_a_clean_jpeg_and_a_non_image_is_refused(
    app_ctx: AppContext,
    client: httpx.AsyncClient,
    factory: Factory,
    owner: AdminLogin,
    make_video: MakeVideo,
    tmp_path: Path,
) -> None:
    event = await factory.open_event(owner, eventType="vod")
    await ready_video(app_ctx, client, owner, event["eventId"], make_video(duration=2.0))
    png = tmp_path / "artwork.png"
    subprocess.run(
        [find_tools().ffmpeg, "-v", "error", "-y", "-f", "lavfi", "-i", "color=c=orange:s=2400x1350", "-frames:v", "1",
         str(png)],
        check=True,
    )  # fmt: skip
    url = f"/api/events/{event['eventId']}/media/poster"

    uploaded = await client.put(url, content=png.read_bytes(), headers={**owner.headers, "Content-Type": "image/png"})

    assert uploaded.status_code == 200, uploaded.text
    image = await client.get(uploaded.json()["posterUrl"])
    assert image.headers["content-type"] == "image/jpeg" and image.content[:2] == b"\xff\xd8"
    probed = subprocess.run(
        [find_tools().ffprobe or "ffprobe", "-v", "error", "-show_entries", "stream=width", "-of", "csv=p=0", "-"],
        input=image.content, capture_output=True, check=True,
    )  # fmt: skip
    assert probed.stdout.strip() == b"1920"  # shrunk to the largest poster width

    fake = await client.put(url, content=b"not a picture" * 50, headers={**owner.headers, "Content-Type": "image/png"})
    assert_error(fake, 400, "poster_not_an_image")
    wrong_type = await client.put(url, content=b"hello", headers={**owner.headers, "Content-Type": "text/plain"})
    assert wrong_type.status_code == 415, wrong_type.text
    kept = (await client.get(f"/api/events/{event['eventId']}/media", headers=owner.headers)).json()
    assert kept["posterUrl"].split("?")[0] == uploaded.json()["posterUrl"].split("?")[0]
