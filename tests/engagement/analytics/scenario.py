"""One VOD event watched four times, with every figure of its dashboard computed by hand (see EXPECTED)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from golive.commerce.models import LedgerStatus, Payment
from golive.engagement.analytics import service
from golive.engagement.analytics.runtime import AnalyticsRuntime
from golive.platform.context import AppContext
from tests.engagement.analytics.conftest import (
    COUNTRY_HEADER,
    SAFARI_ON_IPHONE,
    Clock,
    admitted_player,
    heartbeat,
    vod_event,
)
from tests.support import AdminLogin, Factory


async def watch_scenario(
    factory: Factory, owner: AdminLogin, ctx: AppContext, runtime: AnalyticsRuntime, clock: Clock, t0: datetime
) -> str:
    """Sessions of a 100 s video, t0 = 10:00:00 of some day:

    S1 viewer A  10:00:00-10:01:45  desktop Chrome NL  startup  400 ms  100 s watched, completed   720p
    S2 viewer A  10:00:30-10:01:30  desktop Chrome NL  startup  800 ms   50 s, 2 s stalled, left   480p
    S3 viewer B  10:01:10-10:01:20  mobile Safari  DE  startup 1200 ms   10 s, fatal error         1080p
    S4 viewer C  10:02:30-10:02:50  desktop Chrome NL  startup 3000 ms   20 s, went silent (job)   720p
    viewer D opened the page and never played. Payments: see below.
    """
    at = lambda seconds: clock.set(t0 + timedelta(seconds=seconds))  # noqa: E731
    at(0)
    event_id = await vod_event(factory, owner, ctx, duration=100)
    a, b, c = [await admitted_player(factory, event_id) for _ in range(3)]
    await admitted_player(factory, event_id)  # viewer D

    s1 = a.session_id = (await a.open()).json()["sessionId"]
    await a.send({"type": "start", "position": 0, "played": 0, "startupMs": 400, "rendition": "720p"})
    at(30)
    s2 = (await a.open()).json()["sessionId"]
    await a.send({"type": "start", "position": 0, "played": 0, "startupMs": 800, "rendition": "480p"}, session_id=s2)
    at(70)
    await b.open(**{"User-Agent": SAFARI_ON_IPHONE, COUNTRY_HEADER: "DE"})
    await b.send({"type": "start", "position": 0, "played": 0, "startupMs": 1200, "rendition": "1080p"})
    at(80)
    await b.send(
        {"type": "error", "position": 10, "played": 10, "code": "bufferStalledError", "message": "", "fatal": True},
        {"type": "end", "position": 10, "played": 10, "reason": "error"},
    )
    at(90)
    await a.send(
        {"type": "rebufferStart", "position": 40, "played": 40},
        {"type": "rebufferEnd", "position": 40, "played": 40, "durationMs": 2000},
        {"type": "end", "position": 50, "played": 50, "reason": "stopped"},
        session_id=s2,
    )
    at(105)
    await a.send(
        heartbeat(60, 60), {"type": "end", "position": 100, "played": 100, "reason": "completed"}, session_id=s1
    )
    at(150)
    await c.open()
    await c.send({"type": "start", "position": 0, "played": 0, "startupMs": 3000, "rendition": "720p"})
    at(170)
    await c.send(heartbeat(20, 20))
    await runtime.ingest.flush()
    at(300)
    assert await service.close_silent_sessions(ctx) == 1  # S4: silent since 10:02:50

    async with ctx.db.session() as session:
        for amount, refunded, currency, status in (
            (1000, 0, "EUR", LedgerStatus.SUCCEEDED),
            (500, 0, "EUR", LedgerStatus.REFUNDED),
            (2000, 300, "EUR", LedgerStatus.SUCCEEDED),
            (900, 0, "EUR", LedgerStatus.FAILED),
            (700, 0, "USD", LedgerStatus.SUCCEEDED),
        ):
            session.add(
                Payment(
                    event_id=event_id,
                    viewer_id=a.viewer_id,
                    provider="local",
                    amount=amount,
                    refunded_amount=refunded,
                    currency=currency,
                    status=status,
                    initiated_at=t0,
                    confirmed_at=t0 + timedelta(minutes=1),
                )
            )
    assert s1 != s2
    return event_id


def row(key: str, sessions: int, watch: int) -> dict[str, Any]:
    return {"key": key, "sessions": sessions, "watchSeconds": watch}


EXPECTED: dict[str, Any] = {
    "views": 4,
    "uniqueViewers": 3,
    "totalWatchSeconds": 180,
    "averageWatchSeconds": 45.0,
    "averagePercentWatched": 45.0,  # (100 + 50 + 10 + 20) / 4
    "finishes": 1,
    "breakdowns": {
        "deviceType": [row("desktop", 3, 170), row("mobile", 1, 10)],
        "browser": [row("Chrome", 3, 170), row("Mobile Safari", 1, 10)],
        "os": [row("Windows", 3, 170), row("iOS", 1, 10)],
        "country": [row("NL", 3, 170), row("DE", 1, 10)],
        "rendition": [row("720p", 2, 120), row("480p", 1, 50), row("1080p", 1, 10)],  # sessions, then watch time
    },
    "qoe": {
        "startupMsP50": 800,  # nearest rank 2 of [400, 800, 1200, 3000]
        "startupMsP95": 3000,  # nearest rank 4
        "rebufferingRatio": 0.011,  # 2000 / (180000 + 2000)
        "playbackFailureRate": 0.25,
    },
    "funnel": {"pageVisits": 4, "gatePassed": 4, "paid": 4, "played": 3},  # paid: the revenue block's payments
    "revenue": [
        {"currency": "EUR", "payments": 3, "gross": 3500, "refunded": 800, "net": 2700},
        {"currency": "USD", "payments": 1, "gross": 700, "refunded": 0, "net": 700},
    ],
}
# viewers per minute from 10:00: S1+S2, S1+S2+S3, S4 (S1 ended 10:01:45), nobody, nobody
EXPECTED_TIMELINE = [2, 3, 1, 0, 0]
