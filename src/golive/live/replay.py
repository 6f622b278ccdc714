"""The replay: the recording of a broadcast becomes a media asset, trimmed to the event's span."""

from __future__ import annotations

import asyncio
import json
import os
import shutil
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from golive import audit
from golive.audit.actor import Actor
from golive.automation import service as automation
from golive.automation.models import ExecutionStatus, TriggerType
from golive.live.models import LiveInput, RecordingStatus
from golive.live.service import RECORDING_FILE, find_input, live_event, recording_dir
from golive.media import service as media_service
from golive.media.models import AssetStatus, MediaAsset
from golive.platform.context import AppContext
from golive.platform.db import new_id
from golive.platform.errors import AppError, Conflict, ValidationFailed
from golive.platform.replay_timeline import ReplayTimeline
from golive.platform.settings import Settings

TIMELINE_FILE = "timeline.json"  # each recorded part's wall-clock start and length, kept after the join


def write_timeline(parts_dir: Path, parts: list[tuple[Path, datetime]], durations: list[float]) -> None:
    """Keeps each part's wall-clock start and length once the parts are joined (and deleted): where a moment of
    the broadcast falls in the replay (a chat played back in step)."""
    pieces = [
        {"startedAt": started.isoformat(), "seconds": seconds}
        for (_, started), seconds in zip(parts, durations, strict=True)
    ]
    (parts_dir / TIMELINE_FILE).write_text(json.dumps(pieces))


def read_timeline(parts_dir: Path) -> list[tuple[datetime, float]]:
    try:
        pieces: list[dict[str, Any]] = json.loads((parts_dir / TIMELINE_FILE).read_text())
    except (FileNotFoundError, ValueError):
        return []
    return [(datetime.fromisoformat(str(piece["startedAt"])), float(piece["seconds"])) for piece in pieces]


def link_or_copy(source: Path, target: Path) -> None:
    """The replay asset's source is the recording itself (a hard link: instant, no second copy)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    target.unlink(missing_ok=True)
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)


async def create_replay_asset(
    session: AsyncSession,
    settings: Settings,
    live_input: LiveInput,
    *,
    clip_start: float,
    clip_end: float | None,
) -> MediaAsset:
    """A media asset made of (part of) the recording; the media pipeline's transcode job does the rest."""
    recording = recording_dir(settings, live_input.live_input_id) / RECORDING_FILE
    asset_id = new_id()
    target = settings.source_dir / asset_id / "source"
    link_or_copy(recording, target)
    duration = float(live_input.recording_duration or 0.0)
    end = clip_end if clip_end is not None else duration
    asset = MediaAsset(
        asset_id=asset_id,
        event_id=live_input.event_id,
        status=AssetStatus.UPLOADED,
        progress=0.0,
        source_filename=RECORDING_FILE,
        source_size=recording.stat().st_size,
        source_path=f"{asset_id}/source",
        source_probe=dict(live_input.recording_probe),
        duration=max(0.0, end - clip_start),
        renditions=[],
        attempts=0,
        clip_start=clip_start if clip_start > 0 else None,
        clip_end=clip_end,
    )
    session.add(asset)
    live_input.replay_asset_id = asset_id
    return asset


async def trim_replay(
    session: AsyncSession, ctx: AppContext, event_id: str, start: float, end: float | None, actor: Actor
) -> MediaAsset:
    """Re-make the replay from [start, end) of the recording; the current replay plays until it is ready."""
    await live_event(session, event_id)
    if end is not None and end <= start:
        raise ValidationFailed(
            "The trim ends before it starts", fields={"endSeconds": "must be greater than startSeconds"}
        )
    live_input = await find_input(session, event_id)
    recording = recording_dir(ctx.settings, live_input.live_input_id) / RECORDING_FILE if live_input else None
    if live_input is None or live_input.recording_status != RecordingStatus.READY or not recording:
        raise Conflict(
            "There is no finished recording of this event yet (it is made when the event ends)",
            code="recording_not_ready",
            details={"recordingStatus": live_input.recording_status.value if live_input else RecordingStatus.NONE},
        )
    if not recording.exists():
        raise Conflict("The recording's file is gone", code="recording_missing")
    duration = float(live_input.recording_duration or 0.0)
    fields: dict[str, str] = {}
    if start >= duration:
        fields["startSeconds"] = f"must be less than the recording's length ({duration:.3f} s)"
    if end is not None and end > duration + 0.5:
        fields["endSeconds"] = f"must not exceed the recording's length ({duration:.3f} s)"
    if not fields and (min(end, duration) if end is not None else duration) - start < 1.0:
        fields["endSeconds"] = "the replay must be at least 1 second long"
    if fields:
        raise ValidationFailed("The trim does not fit the recording", fields=fields)
    clipped_end = min(end, duration) if end is not None else None
    asset = await create_replay_asset(session, ctx.settings, live_input, clip_start=start, clip_end=clipped_end)
    audit.record(
        session,
        actor_type=actor.kind,
        actor_id=actor.id,
        action="replay.trim",
        entity_type="event",
        entity_id=event_id,
        after={"assetId": asset.asset_id, "startSeconds": start, "endSeconds": clipped_end},
        ip_address=actor.ip,
    )
    automation.record(
        session,
        event_id=event_id,
        trigger=TriggerType.RECORDING,
        action="replay.trim",
        status=ExecutionStatus.PENDING,
        details={"assetId": asset.asset_id, "startSeconds": start, "endSeconds": clipped_end},
    )
    await session.commit()
    return asset


async def replay_timeline(session: AsyncSession, settings: Settings, event_id: str) -> ReplayTimeline | None:
    """Where the broadcast's moments fall in the replay that plays now (its recording's parts and the playing
    asset's trim), or None when the event's video is not a recording of its broadcast."""
    live_input = await find_input(session, event_id)
    if live_input is None or live_input.replay_asset_id is None:
        return None
    pieces = await asyncio.to_thread(read_timeline, recording_dir(settings, live_input.live_input_id))
    if not pieces:
        return None
    try:
        asset = await media_service.playable_asset(session, event_id)
    except AppError:
        return None
    if asset.source_filename != RECORDING_FILE:  # an upload replaced the recording
        return None
    return ReplayTimeline(tuple(pieces), asset.clip_start or 0.0, asset.clip_end)
