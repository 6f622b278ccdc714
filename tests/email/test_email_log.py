"""The email log API: what was sent to whom and how it went, filtered, exported as CSV, and resent."""

from __future__ import annotations

import csv
import io

import httpx

from golive.email import service
from golive.email.templates import access_code_email
from golive.identity.staff.models import AdminRole
from golive.platform.context import AppContext
from tests.email.smtp_sink import SmtpSink
from tests.live_server import free_port
from tests.support import AdminLogin, Factory, assert_error, code_in


async def _receipt(app_ctx: AppContext, to: str) -> str:
    content = access_code_email(title="Receipt stand-in", code="000000", link="http://x/e/1", minutes=15)
    sent = await service.send_email(
        app_ctx, service.OutgoingEmail(to=to, email_type="payment_receipt", content=content)
    )
    return sent.email_id


async def _emails(client: httpx.AsyncClient, owner: AdminLogin, **params: str | int) -> dict[str, object]:
    response = await client.get("/api/emails", params=params, headers=owner.headers)
    assert response.status_code == 200, response.text
    body: dict[str, object] = response.json()
    return body


def _recipients(page: dict[str, object]) -> list[str]:
    return [item["recipientEmail"] for item in page["items"]]  # type: ignore[attr-defined, index]


async def test_the_log_lists_every_message_newest_first_with_its_delivery(
    client: httpx.AsyncClient, factory: Factory, owner: AdminLogin, app_ctx: AppContext, smtp: SmtpSink
) -> None:
    event = await factory.open_event(owner, title="Town hall", accessType="email")
    assert (await factory.register(event["eventId"], email="first@example.com")).status_code == 200
    await _receipt(app_ctx, "payer@example.com")

    page = await _emails(client, owner)
    assert page["total"] == 2
    assert _recipients(page) == ["payer@example.com", "first@example.com"]
    code_email = page["items"][1]  # type: ignore[index]
    assert code_email["emailType"] == "access_code" and code_email["status"] == "sent"
    assert code_email["provider"] == "smtp" and code_email["sentAt"] and code_email["errorMessage"] is None
    assert code_email["eventId"] == event["eventId"] and code_email["eventTitle"] == "Town hall"
    assert code_email["providerMessageId"] == smtp.received[0].message["Message-ID"]
    assert code_in(code_email["bodyText"]) == code_in(smtp.received[0].text)


async def test_filters_by_type_status_recipient_and_event_and_pages(
    client: httpx.AsyncClient, factory: Factory, owner: AdminLogin, app_ctx: AppContext
) -> None:
    town_hall = await factory.open_event(owner, accessType="email")
    other = await factory.open_event(owner, accessType="email")
    for n in range(3):
        assert (await factory.register(town_hall["eventId"], email=f"viewer{n}@example.com")).status_code == 200
    assert (await factory.register(other["eventId"], email="Someone.Else@Example.com")).status_code == 200
    await _receipt(app_ctx, "payer@example.com")
    app_ctx.settings.smtp_port = free_port()  # the relay is gone: the next message fails
    assert (await factory.register(other["eventId"], email="unlucky@example.com")).status_code == 503

    assert _recipients(await _emails(client, owner, type="payment_receipt")) == ["payer@example.com"]
    failed = await _emails(client, owner, status="failed")
    assert _recipients(failed) == ["unlucky@example.com"]
    assert "connect" in failed["items"][0]["errorMessage"].lower()  # type: ignore[index]
    assert _recipients(await _emails(client, owner, recipient="someone.else")) == ["someone.else@example.com"]
    by_event = await _emails(client, owner, eventId=town_hall["eventId"])
    assert by_event["total"] == 3 and set(_recipients(by_event)) == {f"viewer{n}@example.com" for n in range(3)}
    both = await _emails(client, owner, eventId=other["eventId"], status="sent")
    assert _recipients(both) == ["someone.else@example.com"]

    first = await _emails(client, owner, limit=2)
    second = await _emails(client, owner, limit=2, offset=2)
    assert first["total"] == second["total"] == 6
    assert len(first["items"]) == len(second["items"]) == 2  # type: ignore[arg-type]
    assert not set(_recipients(first)) & set(_recipients(second))


async def test_the_csv_export_has_every_matching_message_and_no_body(
    client: httpx.AsyncClient, factory: Factory, owner: AdminLogin, app_ctx: AppContext
) -> None:
    event = await factory.open_event(owner, accessType="email")
    for n in range(3):
        assert (await factory.register(event["eventId"], email=f"v{n}@example.com")).status_code == 200
    await _receipt(app_ctx, "=cmd@example.com")

    response = await client.get("/api/emails", params={"format": "csv", "limit": 1}, headers=owner.headers)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert "emails.csv" in response.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert len(rows) == 4  # pagination does not apply to the export
    assert rows[0]["recipientEmail"] == "'=cmd@example.com"  # a spreadsheet never evaluates it
    assert {row["status"] for row in rows} == {"sent"} and all(row["sentAt"].endswith("Z") for row in rows)
    assert "bodyText" not in rows[0] and "Your code" in rows[1]["subject"]

    only = await client.get("/api/emails", params={"format": "csv", "type": "access_code"}, headers=owner.headers)
    assert len(list(csv.DictReader(io.StringIO(only.text)))) == 3


async def test_resend_delivers_a_copy_through_smtp_and_logs_it(
    client: httpx.AsyncClient, factory: Factory, owner: AdminLogin, smtp: SmtpSink
) -> None:
    event = await factory.open_event(owner, accessType="email")
    assert (await factory.register(event["eventId"], email="lost@example.com")).status_code == 200
    original = (await _emails(client, owner))["items"][0]  # type: ignore[index]

    resent = await client.post(f"/api/emails/{original['emailId']}/resend", headers=owner.headers)
    assert resent.status_code == 201, resent.text
    copy = resent.json()
    assert copy["emailId"] != original["emailId"] and copy["resentFromId"] == original["emailId"]
    assert copy["status"] == "sent" and copy["recipientEmail"] == "lost@example.com"
    assert copy["eventId"] == event["eventId"] and copy["eventTitle"] == original["eventTitle"]

    assert len(smtp.received) == 2
    again = smtp.received[1]
    assert again.recipients == ["lost@example.com"] and again.message["Subject"] == original["subject"]
    assert code_in(again.text) == code_in(smtp.received[0].text)
    assert again.message["Message-ID"] == copy["providerMessageId"] != smtp.received[0].message["Message-ID"]
    page = await _emails(client, owner)
    assert page["total"] == 2 and page["items"][1]["status"] == "sent"  # type: ignore[index]


async def test_a_failed_resend_answers_with_the_failed_copy(
    client: httpx.AsyncClient, factory: Factory, owner: AdminLogin, app_ctx: AppContext
) -> None:
    email_id = await _receipt(app_ctx, "payer@example.com")
    app_ctx.settings.smtp_port = free_port()
    resent = await client.post(f"/api/emails/{email_id}/resend", headers=owner.headers)
    assert resent.status_code == 201
    assert resent.json()["status"] == "failed" and resent.json()["errorMessage"]


async def test_only_admins_see_the_log_and_bad_filters_are_refused(
    client: httpx.AsyncClient, factory: Factory, owner: AdminLogin, app_ctx: AppContext
) -> None:
    email_id = await _receipt(app_ctx, "payer@example.com")
    editor = await factory.admin(AdminRole.EDITOR)
    assert_error(await client.get("/api/emails", headers=editor.headers), 403, "insufficient_role")
    assert_error(await client.post(f"/api/emails/{email_id}/resend", headers=editor.headers), 403, "insufficient_role")
    assert_error(await client.get("/api/emails"), 401, "not_authenticated")
    assert_error(await client.get("/api/emails?status=lost", headers=owner.headers), 422, "validation_error")
    assert_error(await client.get("/api/emails?limit=0", headers=owner.headers), 422, "validation_error")
    missing = await client.post("/api/emails/01HZZZZZZZZZZZZZZZZZZZZZZZ/resend", headers=owner.headers)
    assert_error(missing, 404, "email_not_found")
    assert (await _emails(client, owner))["total"] == 1  # nothing was sent by the refused calls
