"""The transcode job on a real upload: progress while it runs, the ladder at the end, the automation log."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import httpx
import m3u8
from sqlalchemy import select, update

from golive.automation.models import AutomationLog, ExecutionStatus, TriggerType
from golive.media import transcoding
from golive.media.models import AssetStatus, MediaAsset
from golive.platform.context import AppContext
from golive.platform.db import utcnow
from tests.support import AdminLogin, Factory

from .test_transcode import child_ffmpeg_pids
from .uploading import media_of, ready_video, upload_file

MakeVideo = Callable[..., Path]


async def transcode_log(ctx: AppContext, event_id: str) -> list[tuple[str, ExecutionStatus]]:
    async with ctx.db.sessionmaker() as session:
        rows = await session.scalars(
            select(AutomationLog)
            .where(AutomationLog.event_id == event_id, AutomationLog.trigger_type == TriggerType.TRANSCODE)
            .order_by(AutomationLog.timestamp, AutomationLog.automation_id)
        )
        return [(row.action, row.execution_status) for row in rows]


async def test_an_uploaded_video_becomes_a_ready_ladder_with_poster_and_thumbnails(
    app_ctx: AppContext, client: httpx.AsyncClient, factory: Factory, owner: AdminLogin, make_video: MakeVideo
) -> None:
    event = await factory.event(owner)
    source = make_video(size="640x360", duration=2.0)

    media = await ready_video(app_ctx, client, owner, event["eventId"], source)

    assert media["status"] == "ready" and media["progress"] == 100
    assert [(r["name"], r["width"], r["height"]) for r in media["renditions"]] == [
        ("360p", 640, 360),
        ("180p", 320, 180),
    ]
    assert all(r["bandwidth"] > 0 for r in media["renditions"])
    assert abs(media["duration"] - 2.0) < 0.2
    assert media["error"] is None
    asset_dir = app_ctx.settings.media_dir / media["assetId"]
    master = m3u8.load(str(asset_dir / "master.m3u8"))
    assert [p.uri for p in master.playlists] == ["360p/index.m3u8", "180p/index.m3u8"]
    for artefact in ("poster.jpg", "thumbs.jpg", "thumbs.vtt"):
        assert (asset_dir / artefact).stat().st_size > 0
    poster = await client.get(media["posterUrl"])
    assert poster.status_code == 200 and poster.headers["content-type"] == "image/jpeg"
    assert (await client.get(media["thumbnailsUrl"])).status_code == 200
    assert await transcode_log(app_ctx, event["eventId"]) == [
        ("transcode.start", ExecutionStatus.PENDING),
        ("transcode.end", ExecutionStatus.SUCCESS),
    ]


async def test_progress_is_visible_while_the_job_runs(
    app_ctx: AppContext, client: httpx.AsyncClient, factory: Factory, owner: AdminLogin, make_video: MakeVideo
) -> None:
    event = await factory.event(owner)
    assert (await upload_file(client, owner, event["eventId"], make_video(size="640x360", duration=8.0))).is_success
    asset_id = (await media_of(client, owner, event["eventId"]))["assetId"]

    job = asyncio.create_task(transcoding.run_transcode(app_ctx, asset_id))
    seen: list[tuple[str, float]] = []
    while not job.done():
        media = await media_of(client, owner, event["eventId"])
        seen.append((media["status"], media["progress"]))
        await asyncio.sleep(0.05)

    assert await job == AssetStatus.READY
    during = [progress for status, progress in seen if status == "processing"]
    assert any(0 < progress < 100 for progress in during), seen
    assert during == sorted(during)
    assert (await media_of(client, owner, event["eventId"]))["progress"] == 100


async def test_a_job_that_cannot_transcode_fails_with_its_reason(
    app_ctx: AppContext, client: httpx.AsyncClient, factory: Factory, owner: AdminLogin, make_video: MakeVideo
) -> None:
    event = await factory.event(owner)
    assert (await upload_file(client, owner, event["eventId"], make_video())).is_success
    asset_id = (await media_of(client, owner, event["eventId"]))["assetId"]
    (app_ctx.settings.source_dir / asset_id / "source").unlink()  # lost between upload and job

    assert await transcoding.run_transcode(app_ctx, asset_id) == AssetStatus.FAILED

    media = await media_of(client, owner, event["eventId"])
    assert media["status"] == "failed"
    assert "ffmpeg exited" in media["error"]
    assert await transcode_log(app_ctx, event["eventId"]) == [
        ("transcode.start", ExecutionStatus.PENDING),
        ("transcode.end", ExecutionStatus.FAILED),
    ]
    playback = await client.get(f"/api/events/{event['eventId']}/playback", headers=owner.headers)
    assert playback.status_code == 409 and playback.json()["error"]["code"] == "media_not_ready"


async def test_a_second_run_of_a_ready_asset_does_nothing(
    app_ctx: AppContext, client: httpx.AsyncClient, factory: Factory, owner: AdminLogin, make_video: MakeVideo
) -> None:
    event = await factory.event(owner)
    media = await ready_video(app_ctx, client, owner, event["eventId"], make_video())

    assert await transcoding.run_transcode(app_ctx, media["assetId"]) is None

    assert len(await transcode_log(app_ctx, event["eventId"])) == 2


async def test_a_new_upload_replaces_the_old_video_once_it_is_ready(
    app_ctx: AppContext, client: httpx.AsyncClient, factory: Factory, owner: AdminLogin, make_video: MakeVideo
) -> None:
    event = await factory.event(owner)
    first = await ready_video(app_ctx, client, owner, event["eventId"], make_video("first.mp4"))
    assert (await upload_file(client, owner, event["eventId"], make_video("second.mp4", duration=3.0))).is_success
    second_id = (await media_of(client, owner, event["eventId"]))["assetId"]

    # While the replacement waits for its job, viewers still get the first video.
    playback = await client.get(f"/api/events/{event['eventId']}/playback", headers=owner.headers)
    assert f"/media/{first['assetId']}/" in playback.json()["playbackUrl"]

    assert await transcoding.run_transcode(app_ctx, second_id) == AssetStatus.READY

    playback = await client.get(f"/api/events/{event['eventId']}/playback", headers=owner.headers)
    assert f"/media/{second_id}/" in playback.json()["playbackUrl"]
    assert abs(playback.json()["duration"] - 3.0) < 0.2
    async with app_ctx.db.sessionmaker() as session:
        old = await session.get_one(MediaAsset, first["assetId"])
    assert old.deleted_at is not None and old.purged_at is None


async def recover(ctx: AppContext, seconds_from_now: float) -> list[str]:
    async with ctx.db.sessionmaker() as session:
        return await transcoding.recover_stalled(
            session, ctx.settings, now=utcnow() + timedelta(seconds=seconds_from_now)
        )


async def test_a_job_lost_before_it_started_is_enqueued_again_once_per_stale_period(
    app_ctx: AppContext, client: httpx.AsyncClient, factory: Factory, owner: AdminLogin, make_video: MakeVideo
) -> None:
    event = await factory.event(owner)
    assert (await upload_file(client, owner, event["eventId"], make_video())).is_success
    asset_id = (await media_of(client, owner, event["eventId"]))["assetId"]
    stale = app_ctx.settings.transcode_stale_seconds

    assert await recover(app_ctx, stale - 5) == []
    assert await recover(app_ctx, stale + 1) == [asset_id]
    assert await recover(app_ctx, stale + 2) == []


async def test_an_asset_whose_worker_keeps_dying_fails_after_the_last_attempt(
    app_ctx: AppContext, client: httpx.AsyncClient, factory: Factory, owner: AdminLogin, make_video: MakeVideo
) -> None:
    event = await factory.event(owner)
    assert (await upload_file(client, owner, event["eventId"], make_video())).is_success
    async with app_ctx.db.sessionmaker() as session:
        await session.execute(
            update(MediaAsset).values(
                status=AssetStatus.PROCESSING, attempts=app_ctx.settings.transcode_max_attempts, heartbeat_at=utcnow()
            )
        )
        await session.commit()

    assert await recover(app_ctx, app_ctx.settings.transcode_stale_seconds + 1) == []

    media = await media_of(client, owner, event["eventId"])
    assert media["status"] == "failed" and "interrupted 3 times" in media["error"]
    assert (await transcode_log(app_ctx, event["eventId"]))[-1] == ("transcode.end", ExecutionStatus.FAILED)


async def test_a_run_whose_asset_was_handed_to_another_worker_stops_its_ffmpeg_and_records_nothing(
    app_ctx: AppContext, client: httpx.AsyncClient, factory: Factory, owner: AdminLogin, make_video: MakeVideo
) -> None:
    event = await factory.event(owner)
    assert (await upload_file(client, owner, event["eventId"], make_video(size="640x360", duration=20.0))).is_success
    asset_id = (await media_of(client, owner, event["eventId"]))["assetId"]
    job = asyncio.create_task(transcoding.run_transcode(app_ctx, asset_id))
    while (await media_of(client, owner, event["eventId"]))["progress"] == 0:
        assert not job.done()
        await asyncio.sleep(0.05)

    # what the recovery and a new worker's claim do while this worker is paused past the stale timeout
    async with app_ctx.db.sessionmaker() as session:
        await session.execute(
            update(MediaAsset).where(MediaAsset.asset_id == asset_id).values(attempts=MediaAsset.attempts + 1)
        )
        await session.commit()

    assert await asyncio.wait_for(job, 60) is None
    assert not child_ffmpeg_pids()
    assert (await media_of(client, owner, event["eventId"]))["status"] == "processing"  # the new run's to finish
    assert await transcode_log(app_ctx, event["eventId"]) == [("transcode.start", ExecutionStatus.PENDING)]
    async with app_ctx.db.sessionmaker() as session:  # no worker of a later test may take this asset up
        await session.execute(update(MediaAsset).where(MediaAsset.asset_id == asset_id).values(deleted_at=utcnow()))
        await session.commit()
