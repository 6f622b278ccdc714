"""`golive demo` on a fresh install: the login, the demo events, and a welcome video that plays."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import httpx
import m3u8
import pytest

from golive.media.ffmpeg import find_tools
from tests.live_server import GOLIVE, run_server, server_env

# starts servers of its own, but nothing here has a deadline (tests/conftest.py)
pytestmark = pytest.mark.no_deadlines

# one small rung: the demo's 720p source still goes through the whole import and transcode
SMALL_LADDER = [{"name": "360p", "height": 360, "video_kbps": 500, "audio_kbps": 64}]


def golive(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([GOLIVE, *args], env=env, capture_output=True, text=True, timeout=600)


def printed(output: str, label: str) -> str:
    return next(line.split(":", 1)[1].strip() for line in output.splitlines() if line.startswith(label))


def test_the_demo_makes_a_welcome_video_that_plays_and_a_rerun_changes_nothing(tmp_path: Path) -> None:
    data_dir = tmp_path / "var"
    env = server_env("", data_dir, GOLIVE_LADDER=json.dumps(SMALL_LADDER))
    assert golive(env, "migrate").returncode == 0
    first = golive(env, "demo")
    assert first.returncode == 0, first.stdout + first.stderr
    assert "Transcoding" in first.stdout and "No demo video" not in first.stdout
    welcome_url, password = printed(first.stdout, "Welcome video"), printed(first.stdout, "Password")
    event_id = welcome_url.rsplit("/e/", 1)[1]

    second = golive(env, "demo")
    assert second.returncode == 0, second.stdout + second.stderr
    assert "Transcoding" not in second.stdout  # the video is there: nothing is made again
    assert printed(second.stdout, "Password") == password
    assert printed(second.stdout, "Welcome video") == welcome_url

    with (
        run_server("", data_dir, GOLIVE_EMBEDDED_WORKER="false") as server,
        httpx.Client(base_url=server.base_url, timeout=30) as http,
    ):
        login = http.post("/api/auth/login", json={"email": "demo@golive.local", "password": password})
        assert login.status_code == 200
        admin = {"Authorization": f"Bearer {login.json()['token']}"}
        events = http.get("/api/events", headers=admin).json()
        assert sorted(event["title"] for event in events["items"]) == [
            "Masterclass (paid)",
            "Product launch (live)",
            "Welcome to GoLive",
        ]
        # the home page shows it off: the launch upcoming, the videos featured, the welcome video playable
        home = http.get("/api/home").json()
        assert [card["title"] for card in home["upcoming"]] == ["Product launch (live)"]
        assert [card["title"] for card in home["featured"]] == ["Welcome to GoLive", "Masterclass (paid)"]
        assert [card["eventId"] for card in home["replays"]] == [event_id]  # the masterclass has no video yet
        assert http.get("/api/settings").json()["heroCtaLink"] == f"/e/{event_id}"
        media = http.get(f"/api/events/{event_id}/media", headers=admin)
        assert media.status_code == 200 and media.json()["status"] == "ready"

        # a visitor opens the event and plays it, as the player would
        joined = http.post("/api/registrations", json={"eventId": event_id, "clientViewerId": "demo-viewer-0001"})
        assert joined.status_code in (200, 201), joined.text
        playback = http.get(
            f"/api/events/{event_id}/playback", headers={"Authorization": f"Bearer {joined.json()['token']}"}
        )
        assert playback.status_code == 200, playback.text
        master_url = str(httpx.URL(server.base_url).join(playback.json()["playbackUrl"]))
        master = m3u8.loads(http.get(master_url).text, uri=master_url)
        assert master.is_variant and [p.stream_info.resolution for p in master.playlists] == [(640, 360)]
        decoded = subprocess.run(
            [find_tools().ffmpeg, "-v", "error", "-i", master_url, "-t", "3", "-f", "null", "-"],
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert decoded.returncode == 0, decoded.stderr
        assert playback.json()["duration"] > 10
