"""Imports every domain's tables so that Base.metadata is complete (Alembic and tests use it)."""

from golive.access.grant_models import Grant
from golive.admins.models import Admin, AdminSession
from golive.analytics.models import (
    AnalyticsDaily,
    AnalyticsDailyBreakdown,
    AnalyticsDailyViewer,
    ConcurrencyDelta,
    PlaybackEvent,
    PlaybackSession,
)
from golive.audit.models import AuditLog
from golive.automation.models import AutomationLog
from golive.db import Base
from golive.email.models import EmailMessage
from golive.events.models import Event
from golive.live.models import LiveInput
from golive.media.models import MediaAsset, Upload
from golive.payments.models import LocalCheckoutSession, Payment, ProviderEvent, Refund
from golive.viewers.models import Viewer

__all__ = [
    "Admin",
    "AdminSession",
    "AnalyticsDaily",
    "AnalyticsDailyBreakdown",
    "AnalyticsDailyViewer",
    "AuditLog",
    "AutomationLog",
    "Base",
    "ConcurrencyDelta",
    "EmailMessage",
    "Event",
    "Grant",
    "LiveInput",
    "LocalCheckoutSession",
    "MediaAsset",
    "Payment",
    "PlaybackEvent",
    "PlaybackSession",
    "ProviderEvent",
    "Refund",
    "Upload",
    "Viewer",
]
