"""A `golive worker` killed mid-transcode: the stale heartbeat hands the asset back to the queue, and a new
worker finishes it. The automation log shows the first start, the retry, the second start and the end."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx

from golive.jobs import configure_jobs
from golive.media.tasks import recover_stalled_transcodes
from golive.settings import Settings
from tests.live_server import GOLIVE, LiveServer, run_server

from .conftest import SMALL_LADDER
from .test_live_uploads import admin_headers, new_event

MakeVideo = Callable[..., Path]
JOB_SETTINGS = {
    "GOLIVE_EMBEDDED_WORKER": "false",
    "GOLIVE_LADDER": json.dumps([spec.model_dump() for spec in SMALL_LADDER]),
    "GOLIVE_SEGMENT_SECONDS": "1",
    "GOLIVE_TRANSCODE_PROGRESS_SECONDS": "0.2",
    "GOLIVE_TRANSCODE_HEARTBEAT_SECONDS": "0.5",
    "GOLIVE_TRANSCODE_STALE_SECONDS": "2",
}


@contextmanager
def worker(server: LiveServer) -> Iterator[subprocess.Popen[bytes]]:
    """`golive worker` in its own process group, so a kill takes its ffmpeg down with it."""
    log = (server.data_dir / "worker.log").open("ab")
    process = subprocess.Popen([GOLIVE, "worker"], env=server.env, stdout=log, stderr=log, start_new_session=True)
    try:
        yield process
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=15)
        log.close()


def upload(server: LiveServer, headers: dict[str, str], event_id: str, source: Path) -> None:
    data = source.read_bytes()
    tus = {**headers, "Tus-Resumable": "1.0.0"}
    created = httpx.post(
        f"{server.base_url}/api/events/{event_id}/uploads",
        headers={**tus, "Upload-Length": str(len(data)), "Upload-Metadata": "filename c291cmNlLm1wNA=="},
    )
    assert created.status_code == 201, created.text
    sent = httpx.patch(
        f"{server.base_url}{created.headers['location']}",
        content=data,
        headers={**tus, "Upload-Offset": "0", "Content-Type": "application/offset+octet-stream"},
        timeout=30,
    )
    assert sent.status_code == 204, sent.text


def wait_for_media(
    server: LiveServer, headers: dict[str, str], event_id: str, done: Callable[[dict[str, Any]], bool]
) -> dict[str, Any]:
    deadline = time.monotonic() + 60
    while True:
        media: dict[str, Any] = httpx.get(f"{server.base_url}/api/events/{event_id}/media", headers=headers).json()
        if done(media):
            return media
        assert time.monotonic() < deadline, media
        time.sleep(0.05)


def mid_transcode(server: LiveServer, media: dict[str, Any]) -> bool:
    """Claimed, and ffmpeg has written segments into its hidden work folder but not finished."""
    partial = server.data_dir / "media" / f".{media['assetId']}.partial"
    return media["status"] == "processing" and any(partial.glob("*/seg_*"))


def test_a_killed_worker_leaves_a_retried_job_that_a_new_worker_finishes(
    database_url: str, tmp_path: Path, make_video: MakeVideo
) -> None:
    source = make_video(size="640x360", duration=20.0)
    with run_server(database_url, tmp_path / "server", **JOB_SETTINGS) as server:
        headers = admin_headers(server, "recovery@example.com")
        event_id = new_event(server, headers)
        upload(server, headers, event_id, source)

        with worker(server) as first:
            media = wait_for_media(server, headers, event_id, lambda m: mid_transcode(server, m))
            os.killpg(first.pid, signal.SIGKILL)
            first.wait(timeout=10)
        media = wait_for_media(server, headers, event_id, lambda m: True)
        assert media["status"] == "processing" and media["progress"] < 100

        time.sleep(2.5)  # the heartbeat goes stale
        configure_jobs(Settings(data_dir=server.data_dir, database_url=database_url, transcode_stale_seconds=2))
        recover_stalled_transcodes.call_local()  # what the every-minute periodic task does

        with worker(server):
            media = wait_for_media(server, headers, event_id, lambda m: m["status"] in {"ready", "failed"})
        log = httpx.get(f"{server.base_url}/api/events/{event_id}/automation", headers=headers).json()["items"]

    assert media["status"] == "ready", media
    assert [r["name"] for r in media["renditions"]] == ["360p", "180p"]
    transcode = [(e["action"], e["executionStatus"], e["details"]["attempt"]) for e in reversed(log)]
    assert transcode == [
        ("transcode.start", "pending", 1),
        ("transcode.retry", "pending", 1),
        ("transcode.start", "pending", 2),
        ("transcode.end", "success", 2),
    ]
    assert not list((server.data_dir / "media").glob(".*"))  # no partial output left behind
