"""Hands a message to the configured SMTP relay (aiosmtplib: async, so a slow relay blocks no request)."""

from __future__ import annotations

from email.message import EmailMessage as MimeMessage

import aiosmtplib

from golive.platform.settings import Settings

DELIVERY_ERRORS = (aiosmtplib.SMTPException, OSError, TimeoutError)


async def send_via_smtp(settings: Settings, message: MimeMessage) -> None:
    """Raises one of DELIVERY_ERRORS when the relay is unreachable or refuses the message."""
    await aiosmtplib.send(
        message,
        hostname=settings.smtp_host,
        port=settings.smtp_port,
        username=settings.smtp_username or None,
        password=settings.smtp_password or None,
        start_tls=settings.smtp_starttls,
        timeout=settings.smtp_timeout_seconds,
    )
