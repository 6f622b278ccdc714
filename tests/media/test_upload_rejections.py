"""A file that is not a playable video is refused with a clear 422 when it completes, and nothing of it is kept."""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest
from sqlalchemy import func, select

from golive.media.ffmpeg import find_tools
from golive.media.models import MediaAsset, Upload
from golive.platform.context import AppContext
from golive.platform.settings import Settings
from tests.support import AdminLogin, Factory, assert_error

from .uploading import create_upload, upload_file

MakeVideo = Callable[..., Path]


def text_file(folder: Path, _: MakeVideo) -> Path:
    path = folder / "notes.mp4"
    path.write_text("This is not a video, whatever its name says.\n" * 200)
    return path


def truncated_video(folder: Path, make_video: MakeVideo) -> Path:
    whole = make_video("whole.mp4", duration=3.0, extra=("-movflags", "+faststart"))
    path = folder / "cut.mp4"
    path.write_bytes(whole.read_bytes()[: whole.stat().st_size * 2 // 3])
    return path


def still_image(folder: Path, _: MakeVideo) -> Path:
    path = folder / "photo.png"
    subprocess.run(
        [find_tools().ffmpeg, "-v", "error", "-f", "lavfi", "-i", "testsrc2=s=320x180", "-frames:v", "1", str(path)],
        check=True,
    )
    return path


def audio_only(folder: Path, make_video: MakeVideo) -> Path:
    return make_video("song.m4a", video=False)


@pytest.mark.parametrize(
    ("make_bad_file", "code"),
    [(text_file, "not_media"), (truncated_video, "corrupt"), (still_image, "image_only"), (audio_only, "audio_only")],
)
async def test_a_bad_file_is_refused_when_its_last_byte_arrives(
    app_ctx: AppContext,
    client: httpx.AsyncClient,
    factory: Factory,
    owner: AdminLogin,
    make_video: MakeVideo,
    tmp_path: Path,
    make_bad_file: Callable[[Path, MakeVideo], Path],
    code: str,
) -> None:
    event = await factory.event(owner)
    bad = make_bad_file(tmp_path, make_video)

    response = await upload_file(client, owner, event["eventId"], bad, chunk_size=64 * 1024)

    error = assert_error(response, 422, code)
    assert error["message"] and error["details"]["fields"]["file"] == error["message"]
    await assert_nothing_kept(app_ctx)


@pytest.mark.parametrize(
    ("filename", "size", "code"),
    [("../../etc/passwd.mp4", 100, "bad_filename"), ("a\\b.mp4", 100, "bad_filename"), ("empty.mp4", 0, "empty_file")],
)
async def test_a_bad_name_or_an_empty_file_is_refused_at_creation(
    app_ctx: AppContext,
    client: httpx.AsyncClient,
    factory: Factory,
    owner: AdminLogin,
    filename: str,
    size: int,
    code: str,
) -> None:
    event = await factory.event(owner)

    response = await create_upload(client, owner, event["eventId"], size, filename=filename)

    assert_error(response, 422, code)
    await assert_nothing_kept(app_ctx)


async def assert_nothing_kept(ctx: AppContext) -> None:
    settings: Settings = ctx.settings
    for folder in (settings.upload_dir, settings.source_dir, settings.media_dir):
        assert not folder.exists() or not any(folder.iterdir()), folder
    async with ctx.db.sessionmaker() as session:
        for table in (Upload, MediaAsset):
            assert await session.scalar(select(func.count()).select_from(table)) == 0
