"""`golive serve` writes an operator's log: one JSON object per line with GOLIVE_LOG_FORMAT=json, and in
outbox mode (no SMTP) every email with its recipient, subject and code."""

from __future__ import annotations

import json
import logging
import re
import subprocess
import time
from pathlib import Path
from typing import Any

import httpx
import pytest
from tusclient.client import TusClient

from golive.platform.logs import configure_logging
from golive.platform.settings import Settings
from tests.live_server import LiveServer, run_server

# starts servers of its own, but nothing here has a deadline (tests/conftest.py)
pytestmark = pytest.mark.no_deadlines

PASSWORD = "a long enough password"


def _log_records(server: LiveServer) -> list[dict[str, Any]]:
    records = []
    for line in (server.data_dir / "server.log").read_text().splitlines():
        if line.startswith("{"):
            records.append(json.loads(line))
    return records


def _wait_for_record(server: LiveServer, logger: str, needle: str, timeout: float = 20.0) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while True:
        found = [r for r in _log_records(server) if r.get("logger") == logger and needle in r.get("message", "")]
        if found:
            return found[-1]
        assert time.monotonic() < deadline, f"no {logger} line with {needle!r} in:\n{server.data_dir / 'server.log'}"
        time.sleep(0.2)


def test_serve_logs_json_lines_for_transitions_outbox_emails_and_refused_webhooks(
    fresh_database_url: str, tmp_path: Path
) -> None:
    with run_server(fresh_database_url, tmp_path / "srv", GOLIVE_LOG_FORMAT="json", GOLIVE_LOG_LEVEL="INFO") as server:
        server.cli("admin", "create", "--email", "ops@example.com", "--password", PASSWORD, "--name", "Ops")
        base = server.base_url
        login = httpx.post(f"{base}/api/auth/login", json={"email": "ops@example.com", "password": PASSWORD})
        headers = {"Authorization": f"Bearer {login.json()['token']}"}
        event = httpx.post(f"{base}/api/events", json={"title": "Board", "accessType": "email"}, headers=headers).json()
        event_id = event["eventId"]
        for target in ("scheduled", "live"):
            moved = httpx.post(f"{base}/api/events/{event_id}/transitions", json={"to": target}, headers=headers)
            assert moved.status_code == 200, moved.text
        body = {"eventId": event_id, "clientViewerId": "cv-log-test-0001", "email": "viewer@example.com"}
        assert httpx.post(f"{base}/api/registrations", json=body).json()["codeSent"] is True
        forged = httpx.post(f"{base}/api/webhooks/local", content=b"{}", headers={"Stripe-Signature": "t=1,v1=00"})
        assert forged.status_code == 400

        went_live = _wait_for_record(server, "golive.events", f"event {event_id}: scheduled -> live")
        assert went_live["level"] == "INFO" and went_live["time"]
        outbox = _wait_for_record(server, "golive.email", "outbox")
        assert outbox["recipient"] == "viewer@example.com" and outbox["emailType"] == "access_code"
        assert outbox["subject"] == "Your code to watch Board"
        code = re.search(r"\b(\d{6})\b", outbox["message"])
        assert code is not None and f"code={code.group(1)}" in outbox["message"]  # the code and the link
        _wait_for_record(server, "golive.email", "queued")
        refused = _wait_for_record(server, "golive.commerce", "webhook from local refused")
        assert refused["level"] == "WARNING"
        started = [r for r in _log_records(server) if r.get("logger", "").startswith("uvicorn")]
        assert started, "uvicorn's own lines go through the same JSON formatter"


def test_serve_logs_the_upload_and_the_transcode_with_its_duration(fresh_database_url: str, tmp_path: Path) -> None:
    source = tmp_path / "clip.mp4"
    subprocess.run(
        [
            "ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", "testsrc2=size=320x180:rate=25:duration=2",
            "-f", "lavfi", "-i", "sine=duration=2", "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p",
            "-c:a", "aac", "-shortest", str(source),
        ],
        check=True,
        timeout=60,
    )  # fmt: skip
    ladder = json.dumps([{"name": "180p", "height": 180, "video_kbps": 300, "audio_kbps": 64}])
    env = {"GOLIVE_LOG_FORMAT": "json", "GOLIVE_EMBEDDED_WORKER": "true", "GOLIVE_LADDER": ladder}
    with run_server(fresh_database_url, tmp_path / "srv", **env) as server:
        server.cli("admin", "create", "--email", "up@example.com", "--password", PASSWORD, "--name", "Up")
        login = httpx.post(f"{server.base_url}/api/auth/login", json={"email": "up@example.com", "password": PASSWORD})
        headers = {"Authorization": f"Bearer {login.json()['token']}"}
        created = httpx.post(f"{server.base_url}/api/events", json={"title": "Talk"}, headers=headers)
        event_id = created.json()["eventId"]
        uploads = f"{server.base_url}/api/events/{event_id}/uploads"
        TusClient(uploads, headers=headers).uploader(
            file_path=str(source), chunk_size=1 << 20, metadata={"filename": "clip.mp4", "filetype": "video/mp4"}
        ).upload()

        received = _wait_for_record(server, "golive.media", f"upload received for event {event_id}")
        assert "'clip.mp4'" in received["message"] and f"{source.stat().st_size} bytes" in received["message"]
        _wait_for_record(server, "golive.media", "started, attempt 1")
        finished = _wait_for_record(server, "golive.media", "finished in", timeout=120)
        assert re.search(r"finished in \d+\.\d s: 180p", finished["message"]), finished


def test_the_text_format_is_the_default_and_the_level_filters(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    root = logging.getLogger()
    saved_handlers, saved_level = list(root.handlers), root.level
    configure_logging(Settings(data_dir=tmp_path, log_level="warning"))
    try:
        logging.getLogger("golive.email").info("email queued: not shown")
        logging.getLogger("golive.email").warning("email failed: shown")
        err = capsys.readouterr().err
    finally:
        root.handlers[:] = saved_handlers
        root.setLevel(saved_level)
    assert "email failed: shown" in err and "WARNING" in err and "golive.email" in err
    assert "not shown" not in err and not err.lstrip().startswith("{")
