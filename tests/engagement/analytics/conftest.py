"""Analytics test helpers: a controllable clock, a tiny GeoIP database, and a player that reports telemetry."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from mmdb_writer import MMDBWriter
from netaddr import IPSet

from golive.engagement.analytics.runtime import AnalyticsRuntime
from golive.media.models import AssetStatus, MediaAsset
from golive.platform.context import AppContext
from golive.platform.settings import Settings
from tests.support import AdminLogin, Factory

COUNTRY_HEADER = "CF-IPCountry"


class Clock:
    """Stands in for golive.platform.db.utcnow inside the analytics domain, so sessions can start in the past."""

    def __init__(self) -> None:
        self.now = datetime.now(UTC).replace(microsecond=0)

    def __call__(self) -> datetime:
        return self.now

    def set(self, moment: datetime) -> None:
        self.now = moment

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    fake = Clock()
    for module in ("golive.engagement.analytics.service", "golive.engagement.analytics.ingest"):
        monkeypatch.setattr(f"{module}.utcnow", fake)
    return fake


@pytest.fixture(scope="session")
def geoip_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A MaxMind-format city database knowing one network: the test client's (203.0.113.0/24)."""
    writer = MMDBWriter(ip_version=6, database_type="GeoIP2-City", ipv4_compatible=True)
    writer.insert_network(
        IPSet(["203.0.113.0/24"]), {"country": {"iso_code": "NL"}, "city": {"names": {"en": "Amsterdam"}}}
    )
    path = tmp_path_factory.mktemp("geoip") / "city.mmdb"
    writer.to_db_file(str(path))
    return path


@pytest.fixture
def settings(settings: Settings, geoip_db: Path) -> Settings:
    # the scenario's viewer A plays in two tabs at once: let both sessions stay open (the default, 1, has a
    # newer session supersede the older one; tests/engagement/analytics/test_reading_right.py covers that)
    return settings.model_copy(
        update={
            "geoip_db": str(geoip_db),
            "geoip_country_header": COUNTRY_HEADER,
            "playback_max_open_sessions_per_viewer": 10,
        }
    )


@pytest.fixture
def runtime(app: FastAPI) -> AnalyticsRuntime:
    analytics: AnalyticsRuntime = app.state.analytics
    return analytics


class Player:
    """One admitted viewer's player, talking to the API like the browser module does."""

    def __init__(self, http: httpx.AsyncClient, event_id: str, token: str, viewer_id: str) -> None:
        self.http = http
        self.event_id = event_id
        self.token = token
        self.viewer_id = viewer_id
        self.session_id = ""

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}", "User-Agent": CHROME_ON_WINDOWS}

    async def open(self, **headers: str) -> httpx.Response:
        response = await self.http.post(
            "/api/playback/sessions", json={"eventId": self.event_id}, headers={**self.headers, **headers}
        )
        if response.status_code == 201:
            self.session_id = response.json()["sessionId"]
        return response

    async def send(self, *events: dict[str, Any], session_id: str | None = None) -> httpx.Response:
        return await self.http.post(
            f"/api/playback/sessions/{session_id or self.session_id}/events",
            json={"events": list(events)},
            headers=self.headers,
        )


CHROME_ON_WINDOWS = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36"
)
SAFARI_ON_IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/17.5 Mobile/15E148 Safari/604.1"
)


def heartbeat(position: float, played: float, rendition: str = "720p", **extra: Any) -> dict[str, Any]:
    return {
        "type": "heartbeat",
        "position": position,
        "played": played,
        "rendition": rendition,
        "bitrateKbps": 2800,
        "bufferSeconds": 12.5,
        **extra,
    }


async def admitted_player(factory: Factory, event_id: str) -> Player:
    response = await factory.register(event_id)
    assert response.status_code == 200, response.text
    body = response.json()
    return Player(factory.http, event_id, body["token"], body["viewerId"])


async def ready_video(ctx: AppContext, event_id: str, duration: float) -> None:
    """A transcoded video of this length (the media pipeline itself is tested in tests/media)."""
    async with ctx.db.session() as session:
        session.add(
            MediaAsset(
                event_id=event_id,
                status=AssetStatus.READY,
                source_filename="talk.mp4",
                source_size=1,
                source_path="talk.mp4",
                duration=duration,
            )
        )


async def live_event(factory: Factory, owner: AdminLogin, **fields: Any) -> str:
    event = await factory.open_event(owner, eventType="live", **fields)
    return str(event["eventId"])


async def vod_event(factory: Factory, owner: AdminLogin, ctx: AppContext, duration: float = 600.0) -> str:
    event = await factory.open_event(owner, eventType="vod")
    await ready_video(ctx, event["eventId"], duration)
    return str(event["eventId"])
