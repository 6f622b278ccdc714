"""Deleting media: playback stops at once, the files go after the grace period (logged as cleanup)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import httpx
from sqlalchemy import select

from golive.automation.models import AutomationLog, TriggerType
from golive.identity.staff.models import AdminRole
from golive.media import service
from golive.media.models import MediaAsset
from golive.media.storage import make_storage
from golive.platform.context import AppContext
from golive.platform.db import utcnow
from tests import hls_strict
from tests.support import AdminLogin, Factory, assert_error
from tests.tools import require_nginx_njs

from .edge import run_nginx_edge
from .uploading import ready_video

MakeVideo = Callable[..., Path]


async def purge(ctx: AppContext, hours_from_now: float) -> list[str]:
    async with ctx.db.sessionmaker() as session:
        return await service.purge_deleted_media(
            session, ctx.settings, make_storage(ctx.settings), now=utcnow() + timedelta(hours=hours_from_now)
        )


async def cleanup_log(ctx: AppContext, event_id: str) -> list[AutomationLog]:
    async with ctx.db.sessionmaker() as session:
        rows = await session.scalars(
            select(AutomationLog).where(
                AutomationLog.event_id == event_id, AutomationLog.trigger_type == TriggerType.CLEANUP
            )
        )
        return list(rows)


async def signed_urls(http: httpx.AsyncClient, admin: AdminLogin, event_id: str) -> list[str]:
    """The URLs a player fetches first: master, one variant, its init segment and first segment, poster."""
    playback = (await http.get(f"/api/events/{event_id}/playback", headers=admin.headers)).json()
    master_url = playback["playbackUrl"]
    master = hls_strict.parse((await http.get(master_url)).text)
    variant_url = urljoin(master_url, master.playlists[0].uri)
    variant = hls_strict.parse((await http.get(variant_url)).text)
    return [
        master_url,
        variant_url,
        urljoin(variant_url, variant.segment_map[0].uri),
        urljoin(variant_url, variant.segments[0].uri),
        playback["posterUrl"],
    ]


async def test_deleted_media_stops_playing_at_once_and_is_purged_after_the_grace_period(
    app_ctx: AppContext, client: httpx.AsyncClient, factory: Factory, owner: AdminLogin, make_video: MakeVideo
) -> None:
    event = await factory.event(owner)
    media = await ready_video(app_ctx, client, owner, event["eventId"], make_video())
    urls = await signed_urls(client, owner, event["eventId"])
    assert [(await client.get(url)).status_code for url in urls] == [200] * len(urls)

    assert (await client.delete(f"/api/events/{event['eventId']}/media", headers=owner.headers)).status_code == 204

    # Links handed out before the deletion stop working now, not when their signature expires.
    for url in urls:
        assert_error(await client.get(url), 404, "media_file_not_found")
    assert_error(
        await client.get(f"/api/events/{event['eventId']}/media", headers=owner.headers), 404, "media_not_found"
    )
    playback = await client.get(f"/api/events/{event['eventId']}/playback", headers=owner.headers)
    assert_error(playback, 409, "media_not_ready")
    grace = app_ctx.settings.delete_grace_hours
    assert await purge(app_ctx, grace - 1) == []
    kept = app_ctx.settings.media_dir / service.WITHDRAWN_FOLDER / media["assetId"]
    assert (kept / "master.m3u8").is_file()  # kept for the grace period, out of reach of any URL

    assert await purge(app_ctx, grace + 0.01) == [media["assetId"]]

    assert not kept.exists() and not (app_ctx.settings.media_dir / media["assetId"]).exists()
    assert not (app_ctx.settings.source_dir / media["assetId"]).exists()
    [entry] = await cleanup_log(app_ctx, event["eventId"])
    assert entry.action == "media.purge" and entry.details["assetId"] == media["assetId"]
    assert entry.details["files"] > 5
    assert await purge(app_ctx, grace + 1) == []


async def test_editors_delete_media_like_they_replace_it(
    app_ctx: AppContext, client: httpx.AsyncClient, factory: Factory, owner: AdminLogin, make_video: MakeVideo
) -> None:
    editor = await factory.admin(AdminRole.EDITOR)
    event = await factory.event(editor)
    await ready_video(app_ctx, client, editor, event["eventId"], make_video())

    assert (await client.delete(f"/api/events/{event['eventId']}/media", headers=editor.headers)).status_code == 204

    assert_error(
        await client.get(f"/api/events/{event['eventId']}/media", headers=editor.headers), 404, "media_not_found"
    )
    anonymous = await client.delete(f"/api/events/{event['eventId']}/media")
    assert_error(anonymous, 401, "not_authenticated")


async def test_nginx_stops_serving_deleted_media_at_once(
    app_ctx: AppContext,
    client: httpx.AsyncClient,
    factory: Factory,
    owner: AdminLogin,
    make_video: MakeVideo,
    tmp_path: Path,
) -> None:
    require_nginx_njs()
    event = await factory.event(owner)
    await ready_video(app_ctx, client, owner, event["eventId"], make_video())
    paths = [urlsplit(url) for url in await signed_urls(client, owner, event["eventId"])]
    with run_nginx_edge(app_ctx.settings.media_dir, app_ctx.urls, tmp_path / "edge") as edge_url:
        async with httpx.AsyncClient(base_url=edge_url, timeout=5) as edge:
            for _ in range(2):  # twice: the second answer may come from nginx's open file cache
                assert [(await edge.get(f"{p.path}?{p.query}")).status_code for p in paths] == [200] * len(paths)

            assert (
                await client.delete(f"/api/events/{event['eventId']}/media", headers=owner.headers)
            ).status_code == 204

            assert [(await edge.get(f"{p.path}?{p.query}")).status_code for p in paths] == [404] * len(paths)
            unsigned = await edge.get(paths[3].path)
            assert unsigned.status_code == 403


async def test_deleting_the_event_makes_its_media_eligible_for_purging(
    app_ctx: AppContext, client: httpx.AsyncClient, factory: Factory, owner: AdminLogin, make_video: MakeVideo
) -> None:
    event = await factory.event(owner)
    media = await ready_video(app_ctx, client, owner, event["eventId"], make_video())
    assert (await client.delete(f"/api/events/{event['eventId']}", headers=owner.headers)).status_code == 204

    assert await purge(app_ctx, app_ctx.settings.delete_grace_hours + 0.01) == [media["assetId"]]

    assert not (app_ctx.settings.media_dir / media["assetId"]).exists()
    async with app_ctx.db.sessionmaker() as session:
        asset = await session.get_one(MediaAsset, media["assetId"])
    assert asset.purged_at is not None


async def test_deleting_media_of_an_event_without_any_is_not_found(
    client: httpx.AsyncClient, factory: Factory, owner: AdminLogin
) -> None:
    event = await factory.event(owner)

    assert_error(
        await client.delete(f"/api/events/{event['eventId']}/media", headers=owner.headers), 404, "media_not_found"
    )
