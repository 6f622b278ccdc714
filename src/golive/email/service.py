"""Sending email: every message is logged (EmailMessage) before delivery and marked sent or failed after.

Delivery is inline and async: the viewer is waiting for the code, a local relay answers in
milliseconds, and the caller learns at once whether the message left (see docs/decisions.md).
Without GOLIVE_SMTP_HOST the "outbox" provider writes the whole message to the server's log (and the
table row is the outbox), so an operator without SMTP can still read every code and link.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from email.headerregistry import Address
from email.message import EmailMessage as MimeMessage
from email.utils import formatdate, make_msgid, parseaddr

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from golive import audit
from golive.audit.actor import Actor
from golive.email.branding import branded, from_header
from golive.email.models import EmailMessage, EmailStatus
from golive.email.smtp import DELIVERY_ERRORS, send_via_smtp
from golive.email.templates import RenderedEmail
from golive.platform.context import AppContext
from golive.platform.db import utcnow
from golive.platform.errors import NotFound
from golive.platform.settings import Settings
from golive.site import service as site

log = logging.getLogger("golive.email")

OUTBOX = "outbox"
# what a deleted account's address becomes in the email log (a reserved domain: it can never receive mail)
ERASED_RECIPIENT = "erased@erased.invalid"
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


def build_mime(settings: Settings, to: str, content: RenderedEmail, sender: str) -> MimeMessage:
    """`sender`: the From header (branding.from_header: the site's sender name, GOLIVE_MAIL_FROM's address)."""
    message = MimeMessage()
    message["From"] = sender
    message["To"] = Address(addr_spec=to)
    message["Subject"] = content.subject
    message["Date"] = formatdate(localtime=False)
    sender_domain = parseaddr(settings.mail_from)[1].rpartition("@")[2] or "golive.local"
    message["Message-ID"] = make_msgid(domain=sender_domain)
    message.set_content(content.text)
    message.add_alternative(content.html, subtype="html")
    return message


async def send_email(ctx: AppContext, outgoing: OutgoingEmail) -> EmailMessage:
    """Logs the message as pending (in the site's brand), delivers it, and records the outcome; never raises for
    delivery errors."""
    async with ctx.db.sessionmaker() as session:
        brand = await site.brand(session)
        await session.commit()
    content = branded(outgoing.content, brand)
    return await _queue_and_deliver(
        ctx,
        EmailMessage(
            recipient_email=outgoing.to,
            event_id=outgoing.event_id,
            viewer_id=outgoing.viewer_id,
            email_type=outgoing.email_type,
            subject=content.subject,
            body_text=content.text,
            body_html=content.html,
        ),
        from_header(ctx.settings.mail_from, brand),
    )


async def resend_email(ctx: AppContext, email_id: str, actor: Actor) -> EmailMessage:
    """A new copy of a logged message, delivered now (with its own id and status); the original stays as
    it was. A resent code is the same code, valid until it expires or is used, like the first."""
    async with ctx.db.sessionmaker() as session:
        original = await session.get(EmailMessage, email_id)
        if original is None:
            raise NotFound("No such email", code="email_not_found", details={"emailId": email_id})
        copy = EmailMessage(
            recipient_email=original.recipient_email,
            event_id=original.event_id,
            viewer_id=original.viewer_id,
            email_type=original.email_type,
            subject=original.subject,
            body_text=original.body_text,
            body_html=original.body_html,
            resent_from_id=original.email_id,
        )
        brand = await site.brand(session)
    row = await _queue_and_deliver(ctx, copy, from_header(ctx.settings.mail_from, brand))
    async with ctx.db.session() as session:
        audit.record(
            session,
            actor_type=actor.kind,
            actor_id=actor.id,
            action="email.resend",
            entity_type="email",
            entity_id=email_id,
            after={"emailId": row.email_id, "status": row.status.value},
            ip_address=actor.ip,
        )
    return row


async def _queue_and_deliver(ctx: AppContext, row: EmailMessage, sender: str) -> EmailMessage:
    settings = ctx.settings
    provider = provider_for(settings)
    content = RenderedEmail(subject=row.subject, text=row.body_text, html=row.body_html or "")
    mime = build_mime(settings, row.recipient_email, content, sender)
    row.status = EmailStatus.PENDING
    row.provider = provider
    row.provider_message_id = str(mime["Message-ID"])
    async with ctx.db.session() as session:
        session.add(row)
    fields = {"emailId": row.email_id, "emailType": row.email_type, "recipient": row.recipient_email}
    log.info("email %s queued: %s to %s", row.email_id, row.email_type, row.recipient_email, extra=fields)

    error: str | None = None
    if provider == OUTBOX:
        log.info(
            "email %s to %s (outbox, no GOLIVE_SMTP_HOST), subject %r:\n%s",
            row.email_id,
            row.recipient_email,
            row.subject,
            row.body_text,
            extra={**fields, "subject": row.subject},
        )
    else:
        try:
            await send_via_smtp(settings, mime)
        except DELIVERY_ERRORS as exc:
            error = f"{type(exc).__name__}: {exc}"[:2000]
            log.warning("email %s to %s failed: %s", row.email_id, row.recipient_email, error, extra=fields)
        else:
            log.info("email %s sent to %s via %s", row.email_id, row.recipient_email, settings.smtp_host, extra=fields)

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


async def erase_recipient(session: AsyncSession, email: str) -> None:
    """A deleted account's messages stay in the email log as records (type, subject, status, dates), with the
    address and the bodies (codes, names, links) erased."""
    await session.execute(
        update(EmailMessage)
        .where(EmailMessage.recipient_email == email)
        .values(recipient_email=ERASED_RECIPIENT, body_text="[erased]", body_html=None)
        .execution_options(synchronize_session=False)
    )
