"""Deleting media: playback stops at once, the files go after the grace period (logged as cleanup)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import httpx
from sqlalchemy import select

from golive.admins.models import AdminRole
from golive.automation.models import AutomationLog, TriggerType
from golive.context import AppContext
from golive.db import utcnow
from golive.media import service
from golive.media.models import MediaAsset
from golive.media.storage import make_storage
from tests.support import AdminLogin, Factory, assert_error

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


async def test_deleted_media_stops_playing_at_once_and_is_purged_after_the_grace_period(
    app_ctx: AppContext, client: httpx.AsyncClient, factory: Factory, owner: AdminLogin, make_video: MakeVideo
) -> None:
    event = await factory.event(owner)
    media = await ready_video(app_ctx, client, owner, event["eventId"], make_video())
    asset_dir = app_ctx.settings.media_dir / media["assetId"]
    editor = await factory.admin(AdminRole.EDITOR)

    assert_error(
        await client.delete(f"/api/events/{event['eventId']}/media", headers=editor.headers), 403, "insufficient_role"
    )
    assert (await client.delete(f"/api/events/{event['eventId']}/media", headers=owner.headers)).status_code == 204

    assert_error(
        await client.get(f"/api/events/{event['eventId']}/media", headers=owner.headers), 404, "media_not_found"
    )
    playback = await client.get(f"/api/events/{event['eventId']}/playback", headers=owner.headers)
    assert_error(playback, 409, "media_not_ready")
    grace = app_ctx.settings.delete_grace_hours
    assert await purge(app_ctx, grace - 1) == []
    assert asset_dir.is_dir()

    assert await purge(app_ctx, grace + 0.01) == [media["assetId"]]

    assert not asset_dir.exists()
    assert not (app_ctx.settings.source_dir / media["assetId"]).exists()
    [entry] = await cleanup_log(app_ctx, event["eventId"])
    assert entry.action == "media.purge" and entry.details["assetId"] == media["assetId"]
    assert entry.details["files"] > 5
    assert await purge(app_ctx, grace + 1) == []


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
