"""Player telemetry and the analytics dashboards on the wire."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Annotated, Literal

from pydantic import Field

from golive.engagement.analytics.models import EndReason
from golive.events.models import EventType
from golive.platform.schemas import CamelModel, InputModel

MAX_BATCH_EVENTS = 100
MAX_POSITION_SECONDS = 7 * 24 * 3600  # live positions have no duration to check against; a week is absurd

Position = Annotated[float, Field(ge=0, le=MAX_POSITION_SECONDS, allow_inf_nan=False)]
Played = Annotated[
    float,
    Field(
        ge=0,
        le=MAX_POSITION_SECONDS,
        allow_inf_nan=False,
        description="seconds this session has spent playing so far (the player's clock; never decreases)",
    ),
]
Rendition = Annotated[str, Field(min_length=1, max_length=32, pattern=r"^[A-Za-z0-9_.@ -]+$")]
Bitrate = Annotated[int, Field(ge=0, le=1_000_000, description="kbit/s")]


class SessionOpenRequest(InputModel):
    event_id: str = Field(pattern=r"^[A-Za-z0-9_-]{1,64}$")


class SessionOpened(CamelModel):
    session_id: str
    playback_type: EventType
    heartbeat_seconds: int = Field(description="how often the player should send a heartbeat")
    max_batch_events: int


class _Event(InputModel):
    position: Position
    played: Played


class StartEvent(_Event):
    """The first frame is on screen."""

    type: Literal["start"]
    startup_ms: int = Field(ge=0, le=600_000, description="from the play request to the first frame")
    rendition: Rendition | None = None
    bitrate_kbps: Bitrate | None = None


class HeartbeatEvent(_Event):
    type: Literal["heartbeat"]
    rendition: Rendition | None = None
    bitrate_kbps: Bitrate | None = None
    buffer_seconds: float = Field(ge=0, le=3600, allow_inf_nan=False, description="media buffered ahead")


class RebufferStartEvent(_Event):
    type: Literal["rebufferStart"]


class RebufferEndEvent(_Event):
    type: Literal["rebufferEnd"]
    duration_ms: int = Field(ge=0, le=3_600_000, description="how long playback stalled")


class RenditionSwitchEvent(_Event):
    type: Literal["renditionSwitch"]
    rendition: Rendition
    bitrate_kbps: Bitrate | None = None


class SeekEvent(_Event):
    """position is where the seek landed."""

    type: Literal["seek"]


class PauseEvent(_Event):
    type: Literal["pause"]


class ErrorEvent(_Event):
    type: Literal["error"]
    code: str = Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.:-]+$")
    message: str = Field(default="", max_length=500)
    fatal: bool


class EndEvent(_Event):
    type: Literal["end"]
    reason: Literal[EndReason.COMPLETED, EndReason.STOPPED, EndReason.ERROR]


TelemetryEvent = Annotated[
    StartEvent
    | HeartbeatEvent
    | RebufferStartEvent
    | RebufferEndEvent
    | RenditionSwitchEvent
    | SeekEvent
    | PauseEvent
    | ErrorEvent
    | EndEvent,
    Field(discriminator="type"),
]


class TelemetryBatch(InputModel):
    """One or more events of one session, oldest first."""

    events: list[TelemetryEvent] = Field(min_length=1, max_length=MAX_BATCH_EVENTS)
    token: str | None = Field(
        default=None,
        max_length=2048,
        description=(
            "the viewer token, for navigator.sendBeacon, which cannot set headers; "
            "the Authorization header wins when both are sent"
        ),
    )


class TelemetryAccepted(CamelModel):
    accepted: int


# --- dashboards --------------------------------------------------------------------------------


class ExportFormat(enum.StrEnum):
    JSON = "json"
    CSV = "csv"


class BreakdownRow(CamelModel):
    key: str
    sessions: int
    watch_seconds: int


class Breakdowns(CamelModel):
    device_type: list[BreakdownRow]
    browser: list[BreakdownRow]
    os: list[BreakdownRow]
    country: list[BreakdownRow]
    rendition: list[BreakdownRow]


class ConcurrencyPoint(CamelModel):
    at: datetime
    viewers: int


class Concurrency(CamelModel):
    current: int = Field(description="viewers with a heartbeat in the last liveViewerWindowSeconds")
    peak: int
    peak_at: datetime | None = Field(description="the minute the peak was first reached")
    step_seconds: int = Field(description="60, or wider for long ranges (each point is then the step's peak)")
    timeline: list[ConcurrencyPoint]


class QualityOfExperience(CamelModel):
    startup_ms_p50: int | None
    startup_ms_p95: int | None
    rebuffering_ratio: float = Field(description="stalled time / (stalled + playing time)")
    playback_failure_rate: float = Field(description="sessions ended by a fatal error / sessions")


class Funnel(CamelModel):
    page_visits: int = Field(description="browsers that opened the event page (viewer rows)")
    gate_passed: int
    paid: int | None = Field(description="the payments the revenue block counts; null for a free event")
    played: int


class RevenueRow(CamelModel):
    currency: str
    payments: int
    gross: int
    refunded: int
    net: int


class EventAnalytics(CamelModel):
    event_id: str
    event_type: EventType
    range_from: datetime | None = Field(
        serialization_alias="from", description="the range shown: without from and to, the event's own span"
    )
    range_to: datetime | None = Field(serialization_alias="to")
    views: int
    unique_viewers: int
    total_watch_seconds: int
    average_watch_seconds: float
    average_percent_watched: float | None = Field(description="VOD sessions only")
    finishes: int | None = Field(description="VOD sessions watched to the end; null for live events")
    concurrency: Concurrency
    breakdowns: Breakdowns
    qoe: QualityOfExperience
    funnel: Funnel
    revenue: list[RevenueRow]


class EventSummary(CamelModel):
    event_id: str
    title: str
    event_type: EventType
    views: int
    unique_viewers: int
    total_watch_seconds: int


class AnalyticsOverview(CamelModel):
    range_from: datetime | None = Field(serialization_alias="from")
    range_to: datetime | None = Field(serialization_alias="to")
    views: int
    unique_viewers: int
    total_watch_seconds: int
    events: list[EventSummary]
    revenue: list[RevenueRow]


class LiveStats(CamelModel):
    event_id: str
    concurrent_viewers: int
    at: datetime
