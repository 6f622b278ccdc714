"""Access codes go out through real SMTP, and every message is logged with how its delivery went."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from sqlalchemy import select

from golive.email import service
from golive.email.models import EmailMessage, EmailStatus
from golive.email.templates import access_code_email
from golive.platform.context import AppContext
from tests.email.smtp_sink import SmtpSink
from tests.live_server import free_port
from tests.support import AdminLogin, Factory, assert_error, code_in, new_client_viewer_id


async def test_the_code_arrives_by_smtp_with_the_title_code_and_link(
    factory: Factory, owner: AdminLogin, app_ctx: AppContext, smtp: SmtpSink
) -> None:
    event = await factory.open_event(owner, title="Quarterly <Town> Hall", accessType="email")
    client_id = new_client_viewer_id()
    response = await factory.register(event["eventId"], client_id, email="guest@example.com")
    assert response.status_code == 200, response.text
    assert response.json()["codeSent"] is True

    assert len(smtp.received) == 1
    received = smtp.received[0]
    assert received.recipients == ["guest@example.com"]
    assert received.message["To"] == "guest@example.com"
    assert received.message["Subject"] == "Your code to watch Quarterly <Town> Hall"
    code = code_in(received.text)
    link = f"{app_ctx.settings.base_url}/e/{event['eventId']}?email={quote('guest@example.com')}&code={code}"
    assert link in received.text
    assert "Quarterly &lt;Town&gt; Hall" in received.html and link.replace("&", "&amp;") in received.html

    row = await factory.last_email("guest@example.com")
    assert row.status == EmailStatus.SENT and row.provider == "smtp" and row.sent_at is not None
    assert row.event_id == event["eventId"] and row.email_type == "access_code" and row.error_message is None
    assert row.provider_message_id == received.message["Message-ID"]

    admitted = await factory.register(event["eventId"], client_id, email="guest@example.com", code=code)
    assert admitted.json()["accessVerified"] is True


async def test_a_failing_relay_marks_the_message_failed_and_asks_to_retry(
    factory: Factory, owner: AdminLogin, app_ctx: AppContext
) -> None:
    app_ctx.settings.smtp_port = free_port()  # nothing listens there
    event = await factory.open_event(owner, accessType="email")
    response = await factory.register(event["eventId"], email="unlucky@example.com")
    error = assert_error(response, 503, "email_not_sent")
    assert "try again" in error["message"]
    row = await factory.last_email("unlucky@example.com")
    assert row.status == EmailStatus.FAILED and row.sent_at is None
    assert row.error_message and "connect" in row.error_message.lower()


async def test_without_a_relay_the_outbox_logs_and_keeps_the_message(
    app_ctx: AppContext, caplog: pytest.LogCaptureFixture
) -> None:
    app_ctx.settings.smtp_host = ""
    content = access_code_email(title="Demo", code="123456", link="http://x/e/1?code=123456", minutes=15)
    with caplog.at_level("INFO", logger="golive.email"):
        sent = await service.send_email(
            app_ctx, service.OutgoingEmail(to="o@example.com", email_type="t", content=content)
        )
    assert sent.status == EmailStatus.SENT and sent.provider == "outbox"
    assert "123456" in caplog.text and "o@example.com" in caplog.text
    async with app_ctx.db.sessionmaker() as session:
        stored = await session.scalar(select(EmailMessage).where(EmailMessage.email_id == sent.email_id))
    assert stored is not None and stored.status == EmailStatus.SENT and "123456" in stored.body_text
