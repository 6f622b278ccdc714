"""Refunds by admins: full or partial, through the provider, never more than was paid; a full refund
takes the viewer's access away (on every device that copied the payment)."""

from __future__ import annotations

import asyncio
from urllib.parse import urlsplit

import httpx
import pytest
from sqlalchemy import select

from golive.audit.models import AuditLog
from golive.commerce.models import LocalCheckoutSession, Refund
from golive.identity.staff.models import AdminRole
from golive.platform.context import AppContext
from tests.commerce.support import CARD, checkout, only_payment, paid_event, paid_viewer, pay, refund, viewer
from tests.support import AdminLogin, Factory, assert_error, code_in, new_client_viewer_id

pytestmark = pytest.mark.usefixtures("loopback")


async def test_a_full_refund_goes_through_the_provider_and_takes_access_away(
    factory: Factory, owner: AdminLogin, app_ctx: AppContext, client: httpx.AsyncClient
) -> None:
    bought = await paid_viewer(factory, owner, client)
    payment = await only_payment(app_ctx, bought["viewerId"])
    token = bought["token"]
    assert (
        await client.get(
            f"/api/events/{bought['event']['eventId']}/playback", headers={"Authorization": f"Bearer {token}"}
        )
    ).status_code != 403

    response = await refund(client, owner, payment.payment_id, reason="asked by the customer")

    assert response.status_code == 200, response.text
    body = response.json()
    assert body["status"] == "refunded" and body["refundedAmount"] == 1200 and body["amount"] == 1200
    row = await viewer(app_ctx, bought["viewerId"])
    assert row.is_paid_viewer is False and row.payment_status == "refunded"
    denied = await client.get(
        f"/api/events/{bought['event']['eventId']}/playback", headers={"Authorization": f"Bearer {token}"}
    )
    assert_error(denied, 403, "not_admitted")
    again = (await factory.register(bought["event"]["eventId"], bought["clientId"])).json()
    assert again["requiresPayment"] is True and again["paymentStatus"] == "refunded"
    async with app_ctx.db.sessionmaker() as session:
        local = await session.scalar(
            select(LocalCheckoutSession).where(LocalCheckoutSession.session_id == payment.provider_checkout_session_id)
        )
        refunds = list(await session.scalars(select(Refund)))
        audit = await session.scalar(select(AuditLog).where(AuditLog.entity_id == payment.payment_id))
    assert local is not None and local.amount_refunded == 1200  # the provider really refunded the charge
    assert [(r.amount, r.status, r.reason) for r in refunds] == [(1200, "succeeded", "asked by the customer")]
    assert refunds[0].provider_refund_id and refunds[0].provider_refund_id.startswith("re_local_")
    assert audit is not None and audit.action == "payment.refund" and audit.actor_id == owner.admin_id


async def test_a_refunded_viewer_who_buys_again_shows_how_the_new_checkout_went(
    factory: Factory, owner: AdminLogin, app_ctx: AppContext, client: httpx.AsyncClient
) -> None:
    bought = await paid_viewer(factory, owner, client)
    event_id, client_id = bought["event"]["eventId"], bought["clientId"]
    first = await only_payment(app_ctx, bought["viewerId"])
    assert (await refund(client, owner, first.payment_id)).status_code == 200

    back = (await factory.register(event_id, client_id)).json()
    opened = await pay(factory, event_id, back["token"])
    assert opened.status_code == 200, opened.text
    # an open checkout says nothing yet; a declined card on it does
    assert (await factory.register(event_id, client_id)).json()["paymentStatus"] == "refunded"
    declined = await client.post(
        urlsplit(opened.json()["checkoutUrl"]).path, data={**CARD, "cardNumber": "4000000000000002"}
    )
    assert declined.status_code == 402, declined.text
    again = (await factory.register(event_id, client_id)).json()
    assert again["paymentStatus"] == "failed" and again["requiresPayment"] is True
    listed = await client.get(
        f"/api/events/{event_id}/registrations", params={"paymentStatus": "failed"}, headers=owner.headers
    )
    assert [(i["viewerId"], i["paymentStatus"]) for i in listed.json()["items"]] == [(bought["viewerId"], "failed")]

    assert (await client.post(urlsplit(again["checkoutUrl"]).path, data=CARD)).status_code == 303
    paid = (await factory.register(event_id, client_id)).json()
    assert (paid["paymentStatus"], paid["isPaidViewer"], paid["requiresPayment"]) == ("success", True, False)


async def test_partial_refunds_keep_access_until_the_rest_is_refunded(
    factory: Factory, owner: AdminLogin, app_ctx: AppContext, client: httpx.AsyncClient
) -> None:
    bought = await paid_viewer(factory, owner, client)
    payment_id = (await only_payment(app_ctx, bought["viewerId"])).payment_id

    part = await refund(client, owner, payment_id, amount=500)
    assert part.status_code == 200, part.text
    assert part.json()["status"] == "succeeded" and part.json()["refundedAmount"] == 500
    assert (await viewer(app_ctx, bought["viewerId"])).is_paid_viewer is True

    too_much = await refund(client, owner, payment_id, amount=701)
    error = assert_error(too_much, 422, "refund_exceeds_remaining")
    assert "700" in error["details"]["fields"]["amount"]

    rest = await refund(client, owner, payment_id)
    assert rest.status_code == 200 and rest.json()["status"] == "refunded" and rest.json()["refundedAmount"] == 1200
    assert (await viewer(app_ctx, bought["viewerId"])).is_paid_viewer is False

    assert_error(await refund(client, owner, payment_id), 409, "payment_already_refunded")
    assert_error(await refund(client, owner, payment_id, amount=1), 409, "payment_already_refunded")


async def test_two_refunds_at_once_never_return_more_than_was_paid(
    factory: Factory, owner: AdminLogin, app_ctx: AppContext, client: httpx.AsyncClient
) -> None:
    bought = await paid_viewer(factory, owner, client)
    payment_id = (await only_payment(app_ctx, bought["viewerId"])).payment_id

    answers = await asyncio.gather(*(refund(client, owner, payment_id) for _ in range(4)))

    assert sorted(a.status_code for a in answers) == [200, 409, 409, 409]
    assert (await only_payment(app_ctx, bought["viewerId"])).refunded_amount == 1200


async def test_a_refund_revokes_the_devices_that_copied_the_payment_by_email(
    factory: Factory, owner: AdminLogin, app_ctx: AppContext, client: httpx.AsyncClient
) -> None:
    event = await paid_event(factory, owner, accessType="email")
    devices = []
    for _ in range(2):
        client_id = new_client_viewer_id()
        await factory.register(event["eventId"], client_id, email="grace@example.com")
        code = code_in((await factory.last_email("grace@example.com")).body_text)
        answer = (await factory.register(event["eventId"], client_id, email="grace@example.com", code=code)).json()
        if not devices:
            started = (await pay(factory, event["eventId"], answer["token"])).json()
            paid = await client.post(urlsplit(started["checkoutUrl"]).path, data=CARD)
            assert paid.status_code == 303
        devices.append(answer["viewerId"])
    assert (await viewer(app_ctx, devices[1])).is_paid_viewer is True  # copied from the first device

    payment = await only_payment(app_ctx, devices[0])
    assert (await refund(client, owner, payment.payment_id)).status_code == 200

    assert [(await viewer(app_ctx, device)).is_paid_viewer for device in devices] == [False, False]


FORM_FIELDS = [{"name": "email", "label": "Email", "type": "email", "required": True}]


@pytest.mark.parametrize("who_changes", ["copy", "payer"])
async def test_a_refund_closes_a_copied_payment_even_after_an_email_changed(
    factory: Factory, owner: AdminLogin, app_ctx: AppContext, client: httpx.AsyncClient, who_changes: str
) -> None:
    """Devices are found by the payment they stand on, not by today's email (a new registration may change it)."""
    event = await paid_event(factory, owner, accessType="form", formFields=FORM_FIELDS)
    laptop, phone = new_client_viewer_id(), new_client_viewer_id()
    answer = await checkout(factory, event["eventId"], laptop, formData={"email": CARD["email"]})
    assert (await client.post(urlsplit(answer["checkoutUrl"]).path, data=CARD)).status_code == 303
    await factory.register(event["eventId"], phone, email=CARD["email"])
    code = code_in((await factory.last_email(CARD["email"])).body_text)
    copied = (await factory.register(event["eventId"], phone, email=CARD["email"], code=code)).json()
    assert copied["isPaidViewer"] is True

    # one of the two devices registers again under another address: its payment must not slip out of reach
    changing = phone if who_changes == "copy" else laptop
    again = await factory.register(event["eventId"], changing, formData={"email": "someone.else@example.com"})
    assert again.status_code == 200 and again.json()["isPaidViewer"] is True

    payment = await only_payment(app_ctx, answer["viewerId"])
    assert (await refund(client, owner, payment.payment_id)).status_code == 200

    for device in (answer["viewerId"], copied["viewerId"]):
        assert (await viewer(app_ctx, device)).is_paid_viewer is False
    back = (await factory.register(event["eventId"], phone)).json()
    assert back["requiresPayment"] is True and back["paymentStatus"] == "refunded"


async def test_only_succeeded_payments_of_admins_and_owners_can_be_refunded(
    factory: Factory, owner: AdminLogin, app_ctx: AppContext, client: httpx.AsyncClient
) -> None:
    event = await paid_event(factory, owner)
    unpaid = await checkout(factory, event["eventId"])
    pending = await only_payment(app_ctx, unpaid["viewerId"])
    assert_error(await refund(client, owner, pending.payment_id), 409, "payment_not_refundable")
    assert_error(await refund(client, owner, "pay_nope"), 404, "payment_not_found")

    bought = await paid_viewer(factory, owner, client)
    payment_id = (await only_payment(app_ctx, bought["viewerId"])).payment_id
    editor = await factory.admin(AdminRole.EDITOR)
    assert_error(await refund(client, editor, payment_id), 403, "insufficient_role")
    anonymous = await client.post(f"/api/payments/{payment_id}/refund")
    assert anonymous.status_code == 401
    for bad in (
        {"amount": 0},
        {"amount": -5},
        {"amount": "all"},
        {"amount": 1.5},
        {"reason": ""},
        {"reason": "x" * 501},
        {"extra": 1},
    ):
        response = await refund(client, owner, payment_id, **bad)
        assert response.status_code == 422, (bad, response.text)
    malformed = await client.post(
        f"/api/payments/{payment_id}/refund",
        content=b"{",
        headers={**owner.headers, "Content-Type": "application/json"},
    )
    assert_error(malformed, 400, "malformed_json")
    admin = await factory.admin(AdminRole.ADMIN)
    assert (await refund(client, admin, payment_id, amount=100)).status_code == 200
    assert (await only_payment(app_ctx, bought["viewerId"])).refunded_amount == 100
