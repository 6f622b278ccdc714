"""`golive worker` processes sharing a Redis queue, one SIGKILLed mid-transcode: its ffmpeg dies with it, the
stale heartbeat hands the asset back to the queue within the stale timeout plus one recovery round, and the other
worker finishes it. The asset's progress, read through the API, rose while the first worker transcoded. The
automation log shows the first start, the retry, the second start and the end."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

import httpx

from tests.live_server import GOLIVE, LiveServer, run_server
from tests.tools import redis_server

from .conftest import SMALL_LADDER
from .test_live_uploads import admin_headers, new_event

MakeVideo = Callable[..., Path]
STALE_SECONDS = 5.0  # well above the 0.5 s heartbeat, so a busy machine never looks like a dead worker
RECOVERY_SECONDS = 0.5
JOB_SETTINGS = {
    "GOLIVE_EMBEDDED_WORKER": "false",
    "GOLIVE_LADDER": json.dumps([spec.model_dump() for spec in SMALL_LADDER]),
    "GOLIVE_SEGMENT_SECONDS": "1",
    "GOLIVE_TRANSCODE_PROGRESS_SECONDS": "0.2",
    "GOLIVE_TRANSCODE_HEARTBEAT_SECONDS": "0.5",
    "GOLIVE_TRANSCODE_STALE_SECONDS": str(STALE_SECONDS),
    "GOLIVE_TRANSCODE_RECOVERY_SECONDS": str(RECOVERY_SECONDS),
}
# Generous: the documented bound is STALE_SECONDS + RECOVERY_SECONDS, plus the time the queue takes to deliver
RETRY_DEADLINE_SECONDS = 30.0
ORPHAN_DEADLINE_SECONDS = 5.0


@contextmanager
def worker(server: LiveServer) -> Iterator[subprocess.Popen[bytes]]:
    """`golive worker` in its own process group, so the cleanup also stops whatever it started."""
    log = (server.data_dir / "worker.log").open("ab")
    process = subprocess.Popen([GOLIVE, "worker"], env=server.env, stdout=log, stderr=log, start_new_session=True)
    try:
        yield process
    finally:
        with suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=15)
        log.close()


def children_named(parent_pid: int, name: str) -> list[int]:
    """The pids of the live processes called `name` whose parent is `parent_pid` (from /proc)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with suppress(OSError):
            fields = stat.read_text().rsplit(")", 1)
            comm = fields[0].split("(", 1)[1]
            state, ppid = fields[1].split()[:2]
            if comm == name and int(ppid) == parent_pid and state != "Z":
                found.append(int(stat.parent.name))
    return found


def is_running(pid: int) -> bool:
    """Alive and not a zombie waiting to be reaped."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return False


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
    server: LiveServer,
    headers: dict[str, str],
    event_id: str,
    done: Callable[[dict[str, Any]], bool],
    seconds: float = 120,
) -> dict[str, Any]:
    deadline = time.monotonic() + seconds
    while True:
        media: dict[str, Any] = httpx.get(f"{server.base_url}/api/events/{event_id}/media", headers=headers).json()
        if done(media):
            return media
        assert time.monotonic() < deadline, media
        time.sleep(0.05)


def automation_log(server: LiveServer, headers: dict[str, str], event_id: str) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = httpx.get(
        f"{server.base_url}/api/events/{event_id}/automation", headers=headers
    ).json()["items"]
    return items


def test_a_killed_worker_takes_its_ffmpeg_along_and_its_job_comes_back_within_the_stale_timeout(
    fresh_database_url: str, tmp_path: Path, make_video: MakeVideo
) -> None:
    """An empty database: the workers' recovery would otherwise pick up other tests' unfinished assets."""
    source = make_video(size="640x360", duration=20.0)
    with (
        redis_server() as redis_url,
        run_server(fresh_database_url, tmp_path / "server", GOLIVE_REDIS_URL=redis_url, **JOB_SETTINGS) as server,
    ):
        headers = admin_headers(server, "recovery@example.com")
        event_id = new_event(server, headers)
        upload(server, headers, event_id, source)

        with worker(server) as first, worker(server) as second:
            # the first worker may not be the one that took the job: whichever runs ffmpeg is killed
            media = wait_for_media(
                server, headers, event_id, lambda m: m["status"] == "processing" and m["progress"] > 0
            )
            busy = next(w for w in (first, second) if children_named(w.pid, "ffmpeg"))
            orphans = children_named(busy.pid, "ffmpeg")
            assert 0 < media["progress"] < 90, media  # real progress, not the 99.9 written as ffmpeg ends
            busy.send_signal(signal.SIGKILL)  # the worker alone, not its process group
            busy.wait(timeout=10)
            killed_at = time.monotonic()

            deadline = killed_at + ORPHAN_DEADLINE_SECONDS
            while any(is_running(pid) for pid in orphans):
                assert time.monotonic() < deadline, f"ffmpeg {orphans} outlived its worker"
                time.sleep(0.05)

            deadline = killed_at + RETRY_DEADLINE_SECONDS
            while not any(e["action"] == "transcode.retry" for e in automation_log(server, headers, event_id)):
                assert time.monotonic() < deadline, "the dead worker's job was not re-queued"
                time.sleep(0.1)
            media = wait_for_media(server, headers, event_id, lambda m: m["status"] in {"ready", "failed"})
        log = automation_log(server, headers, event_id)

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
