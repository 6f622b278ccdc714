"""The recording: one MPEG-TS part per publisher session (a stream copy the live ffmpeg writes beside
the HLS ladder), joined into one file when the event ends and handed to the media pipeline as the
event's on-demand replay (full ladder, poster, thumbnails), like an upload.

Gaps between parts (the encoder reconnecting) are left out of the replay. The replay is the whole
recording, from the moment the encoder was accepted (the waiting before "Go live" included: nothing a
streamer said is lost); parts' wall-clock starts and lengths locate the moment the event went live, which
the trim tool offers as the start that cuts the waiting. The joined recording is kept, so admins can
trim the replay again at any time.
"""

from __future__ import annotations

import asyncio
import json
import logging
import subprocess
from dataclasses import asdict
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select, update

from golive.automation import service as automation
from golive.automation.models import AutomationLog, ExecutionStatus, TriggerType
from golive.live import replay, service
from golive.live.models import LiveInput, RecordingStatus
from golive.media.ffmpeg import MediaRejected, find_tools, probe
from golive.platform.context import AppContext
from golive.platform.db import utcnow

log = logging.getLogger("golive.live")

PARTS_MANIFEST = "parts.json"


def next_part(parts_dir: Path) -> Path:
    """The file the next publisher session records into, noted with its wall-clock start."""
    parts_dir.mkdir(parents=True, exist_ok=True)
    manifest = parts_dir / PARTS_MANIFEST
    try:
        parts: list[dict[str, Any]] = json.loads(manifest.read_text())
    except (FileNotFoundError, ValueError):
        parts = []
    name = f"part-{len(parts) + 1:05d}.ts"
    parts.append({"file": name, "startedAt": utcnow().isoformat()})
    manifest.write_text(json.dumps(parts))
    return parts_dir / name


def read_parts(parts_dir: Path) -> list[tuple[Path, datetime]]:
    """The recorded parts that exist and hold something, oldest first, with their wall-clock start."""
    try:
        entries: list[dict[str, Any]] = json.loads((parts_dir / PARTS_MANIFEST).read_text())
    except (FileNotFoundError, ValueError):
        return []
    parts = []
    for entry in entries:
        path = parts_dir / str(entry.get("file", ""))
        if path.is_file() and path.stat().st_size > 188 * 10:
            parts.append((path, datetime.fromisoformat(str(entry["startedAt"]))))
    return parts


def join_parts(parts: list[Path], target: Path) -> None:
    """Stream copy through the concat demuxer: timestamps continue across parts, nothing is re-encoded."""
    listing = target.with_suffix(".txt")
    listing.write_text("".join(f"file '{path.as_posix()}'\n" for path in parts))
    partial = target.with_name(f".{target.name}.partial")
    command = [find_tools().ffmpeg, "-hide_banner", "-nostdin", "-y", "-v", "error", "-f", "concat", "-safe", "0"]
    command += ["-i", str(listing), "-map", "0", "-c", "copy", "-f", "mpegts", str(partial)]
    completed = subprocess.run(command, capture_output=True, text=True, timeout=3600, check=False)
    listing.unlink(missing_ok=True)
    if completed.returncode != 0 or not partial.exists():
        partial.unlink(missing_ok=True)
        raise RuntimeError(f"joining the recording failed: {completed.stderr.strip()[-500:]}")
    partial.replace(target)


def part_duration(path: Path) -> float:
    ffprobe = find_tools().ffprobe
    if ffprobe is None:
        return 0.0
    completed = subprocess.run(
        [ffprobe, "-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0", str(path)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    try:
        return max(0.0, float(completed.stdout.strip()))
    except ValueError:
        return 0.0


def went_live_offset(parts: list[tuple[Path, datetime]], durations: list[float], live_at: datetime | None) -> float:
    """Seconds into the joined recording at which the event went live (0 if it was live from the start)."""
    if live_at is None:
        return 0.0
    offset = 0.0
    for (_, started), duration in zip(parts, durations, strict=True):
        elapsed = (live_at - started).total_seconds()
        if elapsed <= 0:
            break
        if elapsed < duration:
            return offset + elapsed
        offset += duration
    return offset


async def _claim(ctx: AppContext, live_input_id: str) -> LiveInput | None:
    async with ctx.db.sessionmaker() as session:
        result = await session.execute(
            update(LiveInput)
            .where(LiveInput.live_input_id == live_input_id, LiveInput.recording_status == RecordingStatus.PENDING)
            .values(recording_status=RecordingStatus.PROCESSING, updated_at=utcnow())
            .execution_options(synchronize_session=False)
        )
        await session.commit()
        if getattr(result, "rowcount", 0) != 1:
            return None
        return await session.get(LiveInput, live_input_id)


async def _went_live_at(ctx: AppContext, event_id: str) -> datetime | None:
    async with ctx.db.sessionmaker() as session:
        moment: datetime | None = await session.scalar(
            select(AutomationLog.timestamp)
            .where(AutomationLog.event_id == event_id, AutomationLog.action == "transition.live")
            .order_by(AutomationLog.timestamp.desc())
            .limit(1)
        )
        return moment


async def finalize_recording(ctx: AppContext, live_input_id: str) -> str | None:
    """The job: join the parts, make the replay asset. Returns the asset to transcode, None if nothing to do."""
    claimed = await _claim(ctx, live_input_id)
    if claimed is None:
        return None
    settings = ctx.settings
    parts_dir = service.recording_dir(settings, live_input_id)
    target = parts_dir / service.RECORDING_FILE
    parts = await asyncio.to_thread(read_parts, parts_dir)
    try:
        if not parts:
            raise RuntimeError("nothing was recorded")
        await asyncio.to_thread(join_parts, [path for path, _ in parts], target)
        info = await asyncio.to_thread(probe, target)
        durations = [await asyncio.to_thread(part_duration, path) for path, _ in parts]
    except (RuntimeError, MediaRejected, OSError, subprocess.SubprocessError) as exc:
        reason = exc.reason if isinstance(exc, MediaRejected) else str(exc)
        await _failed(ctx, claimed, reason)
        return None
    await asyncio.to_thread(replay.write_timeline, parts_dir, parts, durations)
    went_live = went_live_offset(parts, durations, await _went_live_at(ctx, claimed.event_id))
    went_live_at = round(went_live, 3) if 1.0 <= went_live < info.duration else None
    async with ctx.db.sessionmaker() as session:
        live_input = await session.get_one(LiveInput, live_input_id)
        live_input.recording_status = RecordingStatus.READY
        live_input.recording_duration = info.duration
        live_input.recording_probe = asdict(info)
        live_input.recording_error = None
        asset = await replay.create_replay_asset(session, settings, live_input, clip_start=0.0, clip_end=None)
        automation.record(
            session,
            event_id=live_input.event_id,
            trigger=TriggerType.RECORDING,
            action="recording.finalize",
            details={
                "assetId": asset.asset_id,
                "parts": len(parts),
                "seconds": round(info.duration, 3),
                service.WENT_LIVE_DETAIL: went_live_at,
            },
        )
        await session.commit()
    for path, _ in parts:
        path.unlink(missing_ok=True)
    return asset.asset_id


async def _failed(ctx: AppContext, claimed: LiveInput, reason: str) -> None:
    log.warning("recording of %s could not be finalized: %s", claimed.live_input_id, reason)
    async with ctx.db.sessionmaker() as session:
        live_input = await session.get_one(LiveInput, claimed.live_input_id)
        live_input.recording_status = RecordingStatus.FAILED
        live_input.recording_error = reason[:2000]
        automation.record(
            session,
            event_id=live_input.event_id,
            trigger=TriggerType.RECORDING,
            action="recording.finalize",
            status=ExecutionStatus.FAILED,
            details={"reason": reason[:2000]},
        )
        await session.commit()
