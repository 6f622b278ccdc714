"""Sending email: every message is logged (EmailMessage) before delivery and marked sent or failed after.

Delivery is inline and async: the viewer is waiting for the code, a local relay answers in
milliseconds, and the caller learns at once whether the message left (see docs/decisions.md).
Without GOLIVE_SMTP_HOST the "outbox" provider only logs the message; the table row is the outbox.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from email.headerregistry import Address
from email.message import EmailMessage as MimeMessage
from email.utils import formatdate, make_msgid, parseaddr

from sqlalchemy import update

from golive.context import AppContext
from golive.db import utcnow
from golive.email.models import EmailMessage, EmailStatus
from golive.email.smtp import DELIVERY_ERRORS, send_via_smtp
from golive.email.templates import RenderedEmail
from golive.settings import Settings

log = logging.getLogger("golive.email")

OUTBOX = "outbox"
SMTP = "smtp"


@dataclass(frozen=True)
class OutgoingEmail:
    to: str
    email_type: str
    content: RenderedEmail
    event_id: str | None = None
    viewer_id: str | None = None


def provider_for(settings: Settings) -> str:
    return SMTP if settings.smtp_host else OUTBOX


def build_mime(settings: Settings, outgoing: OutgoingEmail) -> MimeMessage:
    message = MimeMessage()
    message["From"] = settings.mail_from
    message["To"] = Address(addr_spec=outgoing.to)
    message["Subject"] = outgoing.content.subject
    message["Date"] = formatdate(localtime=False)
    sender_domain = parseaddr(settings.mail_from)[1].rpartition("@")[2] or "golive.local"
    message["Message-ID"] = make_msgid(domain=sender_domain)
    message.set_content(outgoing.content.text)
    message.add_alternative(outgoing.content.html, subtype="html")
    return message


async def send_email(ctx: AppContext, outgoing: OutgoingEmail) -> EmailMessage:
    """Logs the message as pending, delivers it, and records the outcome; never raises for delivery errors."""
    settings = ctx.settings
    provider = provider_for(settings)
    mime = build_mime(settings, outgoing)
    row = EmailMessage(
        recipient_email=outgoing.to,
        event_id=outgoing.event_id,
        viewer_id=outgoing.viewer_id,
        email_type=outgoing.email_type,
        subject=outgoing.content.subject,
        body_text=outgoing.content.text,
        body_html=outgoing.content.html,
        status=EmailStatus.PENDING,
        provider=provider,
        provider_message_id=str(mime["Message-ID"]),
    )
    async with ctx.db.session() as session:
        session.add(row)

    error: str | None = None
    if provider == OUTBOX:
        log.info("outbox: email to %s, subject %r\n%s", outgoing.to, outgoing.content.subject, outgoing.content.text)
    else:
        try:
            await send_via_smtp(settings, mime)
        except DELIVERY_ERRORS as exc:
            error = f"{type(exc).__name__}: {exc}"[:2000]
            log.warning("email %s to %s failed: %s", row.email_id, outgoing.to, error)

    row.status = EmailStatus.FAILED if error else EmailStatus.SENT
    row.error_message = error
    row.sent_at = None if error else utcnow()
    async with ctx.db.session() as session:
        await session.execute(
            update(EmailMessage)
            .where(EmailMessage.email_id == row.email_id)
            .values(status=row.status, error_message=row.error_message, sent_at=row.sent_at)
        )
    return row
