"""The email log on the wire (seed 003 `email_logs`, camelCase)."""

from __future__ import annotations

from datetime import datetime

from golive.email.models import EmailStatus
from golive.email.repository import EmailView
from golive.platform.schemas import CamelModel


class EmailOut(CamelModel):
    email_id: str
    email_type: str
    recipient_email: str
    event_id: str | None
    event_title: str | None
    viewer_id: str | None
    subject: str
    body_text: str
    status: EmailStatus
    provider: str | None
    provider_message_id: str | None
    error_message: str | None
    sent_at: datetime | None
    created_at: datetime
    resent_from_id: str | None


class EmailTypes(CamelModel):
    items: list[str]


def email_out(view: EmailView) -> EmailOut:
    m = view.message
    return EmailOut(
        email_id=m.email_id,
        email_type=m.email_type,
        recipient_email=m.recipient_email,
        event_id=m.event_id,
        event_title=view.event_title,
        viewer_id=m.viewer_id,
        subject=m.subject,
        body_text=m.body_text,
        status=m.status,
        provider=m.provider,
        provider_message_id=m.provider_message_id,
        error_message=m.error_message,
        sent_at=m.sent_at,
        created_at=m.created_at,
        resent_from_id=m.resent_from_id,
    )


CSV_COLUMNS = (
    "emailId",
    "emailType",
    "recipientEmail",
    "eventId",
    "eventTitle",
    "subject",
    "status",
    "provider",
    "providerMessageId",
    "errorMessage",
    "sentAt",
    "createdAt",
    "resentFromId",
)


def csv_values(view: EmailView) -> list[object]:
    """The CSV row: the JSON's fields without the body (a spreadsheet of codes helps nobody)."""
    m = view.message
    return [
        m.email_id,
        m.email_type,
        m.recipient_email,
        m.event_id,
        view.event_title,
        m.subject,
        m.status,
        m.provider,
        m.provider_message_id,
        m.error_message,
        m.sent_at,
        m.created_at,
        m.resent_from_id,
    ]
