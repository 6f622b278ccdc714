"""Complimentary access end to end: an admin grants an address, the person is emailed (a real SMTP server on
loopback), proves the address on a new device with the emailed code and watches whatever the gate and price;
revoking or running out closes every device that proved it."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from golive.access import entitlements
from golive.access.decide import Action, Decision, Reason, Subject, Target, decide
from golive.access.entitlements import GrantSpec
from golive.access.grant_models import GrantSource, ScopeKind, SubjectKind
from golive.events import service as events_service
from golive.identity.staff.models import AdminRole
from golive.platform.context import AppContext
from golive.platform.db import utcnow
from tests.email.conftest import settings, smtp
from tests.email.smtp_sink import SmtpSink
from tests.engagement.analytics.conftest import Player, heartbeat
from tests.support import AdminLogin, Factory, assert_error, code_in, new_client_viewer_id

__all__ = ["settings", "smtp"]  # this module's mail goes through a real SMTP server

GUEST = "grace@example.com"
PASSWORD = "open sesame"


async def grant(
    client: httpx.AsyncClient, admin: AdminLogin, event_id: str, email: str = GUEST, **body: Any
) -> httpx.Response:
    return await client.post(f"/api/events/{event_id}/grants", json={"email": email, **body}, headers=admin.headers)


async def granted(client: httpx.AsyncClient, admin: AdminLogin, event_id: str, **body: Any) -> dict[str, Any]:
    response = await grant(client, admin, event_id, **body)
    assert response.status_code == 201, response.text
    answer: dict[str, Any] = response.json()
    return answer


def mails_to(smtp: SmtpSink, address: str) -> list[Any]:
    return [m for m in smtp.received if address in m.recipients]


async def prove(factory: Factory, smtp: SmtpSink, event_id: str, device: str, email: str = GUEST) -> dict[str, Any]:
    """On `device`: "continue with your email", the code from the mailbox, then the code."""
    before = len(mails_to(smtp, email))
    asked = await factory.register(event_id, device, email=email)
    assert asked.status_code == 200, asked.text
    assert asked.json()["codeSent"] is True
    arrived = mails_to(smtp, email)
    assert len(arrived) == before + 1, "no code arrived"
    admitted = await factory.register(event_id, device, email=email, code=code_in(arrived[-1].text))
    assert admitted.status_code == 200, admitted.text
    answer: dict[str, Any] = admitted.json()
    return answer


async def decision(app_ctx: AppContext, event_id: str, device: str, now: datetime | None = None) -> Decision:
    async with app_ctx.db.sessionmaker() as session:
        event = await events_service.get_event(session, event_id)
        return await decide(session, Subject(guest_id=device), Target.event(event), Action.WATCH, now)


async def listed(client: httpx.AsyncClient, admin: AdminLogin, event_id: str) -> list[dict[str, Any]]:
    response = await client.get(f"/api/events/{event_id}/grants", headers=admin.headers)
    assert response.status_code == 200, response.text
    items: list[dict[str, Any]] = response.json()["items"]
    return items


async def run_out(app_ctx: AppContext, event_id: str, grant_id: str) -> None:
    """Time passes: the address's grant and its devices end a second ago (through the grants' own writer;
    an API call can only set an end in the future)."""
    past = utcnow() - timedelta(seconds=1)
    spec = GrantSpec(SubjectKind.EMAIL, GUEST, ScopeKind.EVENT, event_id, GrantSource.COMPLIMENTARY, None, "test", past)
    async with app_ctx.db.sessionmaker() as session:
        await entitlements.hold(session, spec)
        await entitlements.renew_derived(session, grant_id, past)
        await session.commit()


GATES: dict[str, dict[str, Any]] = {
    "paid anonymous": {"isPaidEvent": True, "priceAmount": 1500, "currency": "EUR"},
    "paid password": {
        "accessType": "password",
        "accessPassword": PASSWORD,
        "isPaidEvent": True,
        "priceAmount": 1500,
        "currency": "EUR",
    },
    "free password": {"accessType": "password", "accessPassword": PASSWORD},
    "paid form": {
        "accessType": "form",
        "formFields": [{"name": "email", "label": "Email", "type": "email", "required": True}],
        "isPaidEvent": True,
        "priceAmount": 900,
        "currency": "USD",
    },
}


@pytest.mark.parametrize("gate", list(GATES))
async def test_an_invited_address_watches_on_a_new_device_without_the_gate_or_a_payment(
    factory: Factory, owner: AdminLogin, client: httpx.AsyncClient, app_ctx: AppContext, smtp: SmtpSink, gate: str
) -> None:
    event = await factory.open_event(owner, title="Board meeting", **GATES[gate])
    event_id = event["eventId"]
    until = (utcnow() + timedelta(days=7)).replace(microsecond=0)
    made = await granted(client, owner, event_id, email="  Grace@Example.COM ", validUntil=until.isoformat())
    assert made["email"] == GUEST and made["status"] == "active" and made["claimed"] is False
    assert made["createdBy"] == f"admin:{owner.admin_id}" and made["revokedAt"] is None
    assert datetime.fromisoformat(made["validUntil"]) == until

    invitation = mails_to(smtp, GUEST)[-1]
    assert "Board meeting" in str(invitation.message["Subject"])
    assert f"/e/{event_id}?invite=grace%40example.com" in invitation.text
    assert "prove your address with the code we send you" in invitation.text
    assert until.strftime("%d %B %Y") in invitation.text

    phone = new_client_viewer_id()
    admitted = await prove(factory, smtp, event_id, phone)
    assert admitted["accessVerified"] is True and admitted["token"]
    assert admitted["requiresPayment"] is False and admitted["checkoutUrl"] is None
    assert admitted["isPaidViewer"] is False  # nobody paid: the ledger says so
    allowed = await decision(app_ctx, event_id, phone)
    assert allowed.allowed and allowed.reason == Reason.ALLOWED and allowed.valid_until == until
    # the phone is now a returning viewer: the plain re-entry check lets it in, still without paying
    back = (await factory.register(event_id, phone)).json()
    assert back["token"] and back["accessVerified"] is True and back["requiresPayment"] is False

    [item] = await listed(client, owner, event_id)
    assert item["grantId"] == made["grantId"] and item["claimed"] is True and item["deviceCount"] == 1
    # another browser that proved nothing is still at the gate (and, on a paid event, the price)
    assert not (await decision(app_ctx, event_id, new_client_viewer_id())).allowed


async def test_an_address_without_a_grant_gets_no_code_on_a_password_event(
    factory: Factory, owner: AdminLogin, client: httpx.AsyncClient, smtp: SmtpSink
) -> None:
    event = await factory.open_event(owner, **GATES["free password"])
    await granted(client, owner, event["eventId"])
    device = new_client_viewer_id()
    asked = await factory.register(event["eventId"], device, email="mallory@example.com")
    assert asked.status_code == 200 and asked.json()["codeSent"] is True  # the same answer: nothing revealed
    assert mails_to(smtp, "mallory@example.com") == []
    guessed = await factory.register(event["eventId"], device, email="mallory@example.com", code="123456")
    assert_error(guessed, 403, "invalid_code")
    # the password still works for everyone else
    assert (await factory.register(event["eventId"], device, password=PASSWORD)).json()["accessVerified"] is True


async def test_revoking_closes_every_device_that_proved_the_address(
    factory: Factory, owner: AdminLogin, client: httpx.AsyncClient, app_ctx: AppContext, smtp: SmtpSink
) -> None:
    event = await factory.open_event(owner, **GATES["paid password"])
    event_id = event["eventId"]
    made = await granted(client, owner, event_id)
    phone, laptop = new_client_viewer_id(), new_client_viewer_id()
    await prove(factory, smtp, event_id, phone)
    await prove(factory, smtp, event_id, laptop)
    assert (await listed(client, owner, event_id))[0]["deviceCount"] == 2

    url = f"/api/events/{event_id}/grants/{made['grantId']}"
    revoked = await client.delete(url, headers=owner.headers)
    assert revoked.status_code == 200, revoked.text
    assert revoked.json()["status"] == "revoked" and revoked.json()["revokedAt"]
    for device in (phone, laptop):
        refused = await decision(app_ctx, event_id, device)
        assert not refused.allowed and refused.reason == Reason.REVOKED
        back = (await factory.register(event_id, device)).json()
        # the invitation was the way in, not the password: the gate is theirs to pass again
        assert back["accessVerified"] is False
    # a new code is not sent to the address any more, and one already in hand admits nobody
    before = len(mails_to(smtp, GUEST))
    await factory.register(event_id, new_client_viewer_id(), email=GUEST)
    assert len(mails_to(smtp, GUEST)) == before
    # revoking again changes nothing; the trail has one grant and one revocation
    again = await client.delete(url, headers=owner.headers)
    assert again.status_code == 200 and again.json()["revokedAt"] == revoked.json()["revokedAt"]
    audit = (await client.get(f"/api/events/{event_id}/audit", headers=owner.headers)).json()["items"]
    actions = [entry["action"] for entry in audit if entry["action"].startswith("access.complimentary")]
    assert actions == ["access.complimentary.revoke", "access.complimentary.grant"]
    assert audit[0]["actorId"] == owner.admin_id and audit[0]["after"]["status"] == "revoked"
    assert [i["status"] for i in await listed(client, owner, event_id)] == ["revoked"]

    # granting the address again is a new grant; the devices must prove the address again
    renewed = await granted(client, owner, event_id)
    assert renewed["grantId"] != made["grantId"] and renewed["claimed"] is False
    assert not (await decision(app_ctx, event_id, phone)).allowed


async def test_a_revoked_grant_refuses_the_very_next_telemetry_post(
    factory: Factory, owner: AdminLogin, client: httpx.AsyncClient, smtp: SmtpSink
) -> None:
    """With the default recheck interval (15 s), not after it: the revocation reaches the remembered check."""
    event = await factory.open_event(owner, **GATES["paid password"])
    event_id = event["eventId"]
    made = await granted(client, owner, event_id)
    answer = await prove(factory, smtp, event_id, new_client_viewer_id())
    player = Player(client, event_id, answer["token"], answer["viewerId"])
    assert (await player.open()).status_code == 201
    assert (await player.send(heartbeat(1, 1))).status_code == 202

    revoked = await client.delete(f"/api/events/{event_id}/grants/{made['grantId']}", headers=owner.headers)
    assert revoked.status_code == 200, revoked.text

    refused = await player.send(heartbeat(2, 2))
    assert_error(refused, 403, "not_admitted")
    assert refused.json()["error"]["details"]["reason"] == "revoked"


async def test_access_that_ran_out_says_expired_and_sends_no_more_codes(
    factory: Factory, owner: AdminLogin, client: httpx.AsyncClient, app_ctx: AppContext, smtp: SmtpSink
) -> None:
    event = await factory.open_event(owner, **GATES["paid anonymous"])
    event_id = event["eventId"]
    until = (utcnow() + timedelta(hours=1)).replace(microsecond=0)
    made = await granted(client, owner, event_id, validUntil=until.isoformat())
    phone = new_client_viewer_id()
    assert (await prove(factory, smtp, event_id, phone))["requiresPayment"] is False
    expired = await decision(app_ctx, event_id, phone, now=until)
    assert not expired.allowed and expired.reason == Reason.EXPIRED and "expired" in expired.message

    await run_out(app_ctx, event_id, made["grantId"])  # the hour has passed
    assert (await decision(app_ctx, event_id, phone)).reason == Reason.EXPIRED
    assert (await factory.register(event_id, phone)).json()["requiresPayment"] is True
    assert [i["status"] for i in await listed(client, owner, event_id)] == ["expired"]
    before = len(mails_to(smtp, GUEST))
    await factory.register(event_id, new_client_viewer_id(), email=GUEST)
    assert len(mails_to(smtp, GUEST)) == before

    # granting the address again renews the same grant, and the phone follows its new end
    later = (utcnow() + timedelta(days=1)).replace(microsecond=0)
    renewed = await granted(client, owner, event_id, validUntil=later.isoformat())
    assert renewed["status"] == "active" and renewed["claimed"] is True
    back = await decision(app_ctx, event_id, phone)
    assert back.allowed and back.valid_until == later


async def test_a_second_grant_for_an_address_renews_the_one_it_holds(
    factory: Factory, owner: AdminLogin, client: httpx.AsyncClient, smtp: SmtpSink
) -> None:
    event = await factory.open_event(owner)
    first = await granted(client, owner, event["eventId"], validUntil=(utcnow() + timedelta(days=1)).isoformat())
    second = await granted(client, owner, event["eventId"], email="GRACE@example.com")
    assert second["grantId"] == first["grantId"] and second["validUntil"] is None  # without an end now
    assert len(await listed(client, owner, event["eventId"])) == 1
    assert len(mails_to(smtp, GUEST)) == 2  # each grant tells the person
    audit = (await client.get(f"/api/events/{event['eventId']}/audit", headers=owner.headers)).json()["items"]
    renewal = next(e for e in audit if e["action"] == "access.complimentary.renew")
    assert renewal["before"]["validUntil"] is not None and renewal["after"]["validUntil"] is None


async def test_the_grants_download_as_csv(factory: Factory, owner: AdminLogin, client: httpx.AsyncClient) -> None:
    event = await factory.open_event(owner)
    event_id = event["eventId"]
    await granted(client, owner, event_id, email="=cmd@example.com")  # a formula-looking address stays text
    kept = await granted(client, owner, event_id, email="bo@example.com")
    gone = await granted(client, owner, event_id, email="cy@example.com")
    await client.delete(f"/api/events/{event_id}/grants/{gone['grantId']}", headers=owner.headers)

    response = await client.get(f"/api/events/{event_id}/grants", params={"format": "csv"}, headers=owner.headers)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert f'filename="complimentary-{event_id}.csv"' in response.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert list(rows[0]) == [
        "grantId",
        "email",
        "status",
        "validUntil",
        "createdAt",
        "createdBy",
        "revokedAt",
        "claimed",
        "deviceCount",
    ]
    by_email = {row["email"]: row for row in rows}
    assert set(by_email) == {"'=cmd@example.com", "bo@example.com", "cy@example.com"}
    assert by_email["bo@example.com"]["grantId"] == kept["grantId"]
    assert by_email["bo@example.com"]["status"] == "active" and by_email["bo@example.com"]["claimed"] == "false"
    assert by_email["cy@example.com"]["status"] == "revoked" and by_email["cy@example.com"]["revokedAt"]
    assert by_email["bo@example.com"]["createdBy"] == f"admin:{owner.admin_id}"


async def test_bad_grants_are_refused_with_the_field_named(
    factory: Factory, owner: AdminLogin, client: httpx.AsyncClient, smtp: SmtpSink
) -> None:
    event = await factory.open_event(owner)
    event_id = event["eventId"]
    for body, field in [
        ({"email": "nobody"}, "email"),
        ({"email": "two@@example.com"}, "email"),
        ({"email": GUEST, "validUntil": (datetime.now(UTC) - timedelta(minutes=1)).isoformat()}, "validUntil"),
        ({"email": GUEST, "validUntil": "next tuesday"}, "validUntil"),
        ({"email": GUEST, "until": "2030-01-01T00:00:00Z"}, "until"),
    ]:
        response = await client.post(f"/api/events/{event_id}/grants", json=body, headers=owner.headers)
        assert response.status_code == 422, response.text
        error = response.json()["error"]
        assert any(field in name for name in error["details"]["fields"]), error
    assert_error(
        await client.post(f"/api/events/{event_id}/grants", json={}, headers=owner.headers), 422, "validation_error"
    )
    assert mails_to(smtp, GUEST) == [] and await listed(client, owner, event_id) == []

    assert_error(await grant(client, owner, "no-such-event"), 404, "event_not_found")
    assert_error(await client.get("/api/events/no-such-event/grants", headers=owner.headers), 404, "event_not_found")
    assert_error(
        await client.delete(f"/api/events/{event_id}/grants/01NOSUCHGRANT", headers=owner.headers),
        404,
        "grant_not_found",
    )
    # a grant is found only under its own event
    other = await factory.open_event(owner)
    made = await granted(client, owner, other["eventId"])
    response = await client.delete(f"/api/events/{event_id}/grants/{made['grantId']}", headers=owner.headers)
    assert_error(response, 404, "grant_not_found")


async def test_only_admins_and_owners_grant_and_revoke(
    factory: Factory, owner: AdminLogin, client: httpx.AsyncClient, smtp: SmtpSink
) -> None:
    event = await factory.open_event(owner)
    event_id = event["eventId"]
    editor = await factory.admin(AdminRole.EDITOR)
    admin = await factory.admin(AdminRole.ADMIN)
    assert_error(await grant(client, editor, event_id), 403, "insufficient_role")
    made = await granted(client, admin, event_id)
    url = f"/api/events/{event_id}/grants/{made['grantId']}"
    assert_error(await client.delete(url, headers=editor.headers), 403, "insufficient_role")
    assert [i["status"] for i in await listed(client, editor, event_id)] == ["active"]  # editors may look
    assert_error(await client.post(f"/api/events/{event_id}/grants", json={"email": GUEST}), 401, "not_authenticated")
    assert_error(await client.get(f"/api/events/{event_id}/grants"), 401, "not_authenticated")
    assert_error(await client.delete(url), 401, "not_authenticated")
    assert (await client.delete(url, headers=admin.headers)).json()["status"] == "revoked"
