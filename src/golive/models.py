"""Imports every domain's tables so that Base.metadata is complete (Alembic and tests use it)."""

from golive.access.grant_models import Grant
from golive.access.models import Viewer
from golive.audit.models import AuditLog
from golive.automation.models import AutomationLog
from golive.commerce.models import LocalCheckoutSession, Payment, ProviderEvent, Refund
from golive.commerce.offer_models import Offer, Price
from golive.email.models import EmailMessage
from golive.engagement.analytics.models import (
    AnalyticsDaily,
    AnalyticsDailyBreakdown,
    AnalyticsDailyViewer,
    ConcurrencyDelta,
    PlaybackEvent,
    PlaybackSession,
)
from golive.engagement.chat.models import (
    ChatMessage,
    ChatModerationEntry,
    ChatPoll,
    ChatPollOption,
    ChatPollVote,
    ChatQuestion,
    ChatQuestionVote,
    ChatReactionCount,
    ChatReport,
    ChatRestriction,
    ChatRoom,
)
from golive.events.models import Event
from golive.identity.accounts.models import Account, AccountCode, AccountSession
from golive.identity.staff.models import Admin, AdminSession
from golive.live.models import LiveInput
from golive.media.models import MediaAsset, Upload
from golive.notify.models import Notification, NotificationPreferences
from golive.platform.db import Base
from golive.site.models import PlatformSettings

__all__ = [
    "Account",
    "AccountCode",
    "AccountSession",
    "Admin",
    "AdminSession",
    "AnalyticsDaily",
    "AnalyticsDailyBreakdown",
    "AnalyticsDailyViewer",
    "AuditLog",
    "AutomationLog",
    "Base",
    "ChatMessage",
    "ChatModerationEntry",
    "ChatPoll",
    "ChatPollOption",
    "ChatPollVote",
    "ChatQuestion",
    "ChatQuestionVote",
    "ChatReactionCount",
    "ChatReport",
    "ChatRestriction",
    "ChatRoom",
    "ConcurrencyDelta",
    "EmailMessage",
    "Event",
    "Grant",
    "LiveInput",
    "LocalCheckoutSession",
    "MediaAsset",
    "Notification",
    "NotificationPreferences",
    "Offer",
    "Payment",
    "PlatformSettings",
    "PlaybackEvent",
    "PlaybackSession",
    "Price",
    "ProviderEvent",
    "Refund",
    "Upload",
    "Viewer",
]
