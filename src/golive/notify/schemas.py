"""Notifications and email preferences on the wire."""

from __future__ import annotations

from datetime import datetime

from pydantic import Field

from golive.notify.models import Notification, NotificationPreferences, NotificationType
from golive.platform.schemas import CamelModel, InputModel, Page


class NotificationOut(CamelModel):
    notification_id: str
    type: NotificationType
    title: str
    body: str
    link: str | None
    event_id: str | None
    created_at: datetime
    read_at: datetime | None
    is_read: bool


class NotificationPageOut(Page[NotificationOut]):
    unread: int = Field(description="The account's unread notifications, all pages")


class MarkRead(InputModel):
    """`notificationIds` to mark those; omitted (or null): all of them."""

    notification_ids: list[str] | None = Field(default=None, max_length=200)


class UnreadOut(CamelModel):
    unread: int


class PreferencesOut(CamelModel):
    """Receipts, codes and security notes are always sent; these are the optional emails."""

    reminder_emails: bool = Field(description="Starting in 15 minutes, live now, access ending")
    announcement_emails: bool = Field(description="News from the organizer")


class PreferencesUpdate(InputModel):
    reminder_emails: bool | None = None
    announcement_emails: bool | None = None


def notification_out(row: Notification) -> NotificationOut:
    return NotificationOut(
        notification_id=row.notification_id,
        type=row.kind,
        title=row.title,
        body=row.body,
        link=row.link,
        event_id=row.event_id,
        created_at=row.created_at,
        read_at=row.read_at,
        is_read=row.read_at is not None,
    )


def preferences_out(row: NotificationPreferences) -> PreferencesOut:
    return PreferencesOut(reminder_emails=row.reminder_emails, announcement_emails=row.announcement_emails)
