"""Returning viewers: same browser skips the gate, a new device re-enters by email, one row per browser."""

from __future__ import annotations

import asyncio

import httpx
from sqlalchemy import func, select

from golive.access.models import Viewer
from golive.flows import on_payment
from golive.platform.context import AppContext
from tests.access.test_gates import FORM_FIELDS, GOOD_FORM, viewer_row
from tests.conftest import CLIENT_IP
from tests.support import DESKTOP_UA, AdminLogin, Factory, code_in, new_client_viewer_id


async def rows_for(ctx: AppContext, event_id: str) -> list[Viewer]:
    async with ctx.db.sessionmaker() as session:
        return list(await session.scalars(select(Viewer).where(Viewer.event_id == event_id)))


async def test_a_returning_viewer_skips_the_gate_and_only_last_join_changes(
    factory: Factory, owner: AdminLogin, app_ctx: AppContext
) -> None:
    event = await factory.open_event(owner, accessType="form", formFields=FORM_FIELDS)
    client_id = new_client_viewer_id()
    first = (await factory.register(event["eventId"], client_id, formData=GOOD_FORM)).json()
    before = await viewer_row(app_ctx, first["viewerId"])
    again = await factory.register(event["eventId"], client_id)
    assert again.status_code == 200
    body = again.json()
    assert body["viewerId"] == first["viewerId"] and body["accessVerified"] is True and body["token"]
    after = await viewer_row(app_ctx, first["viewerId"])
    assert after.last_join_at > before.last_join_at
    for unchanged in ("form_data", "email", "name", "first_join_at", "ip_address", "device_type", "access_mode"):
        assert getattr(after, unchanged) == getattr(before, unchanged), unchanged


async def test_the_first_ip_address_is_kept_forever(
    factory: Factory, owner: AdminLogin, app: object, app_ctx: AppContext
) -> None:
    event = await factory.open_event(owner)
    client_id = new_client_viewer_id()
    first = (await factory.register(event["eventId"], client_id)).json()
    transport = httpx.ASGITransport(app=app, client=("198.51.100.99", 50000))  # type: ignore[arg-type]
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as elsewhere:
        body = {"eventId": event["eventId"], "clientViewerId": client_id}
        response = await elsewhere.post("/api/registrations", json=body, headers={"User-Agent": "Mobile Safari"})
    assert response.json()["viewerId"] == first["viewerId"]
    assert (await viewer_row(app_ctx, first["viewerId"])).ip_address == CLIENT_IP


async def test_a_hundred_concurrent_identical_registrations_leave_one_row(
    factory: Factory, owner: AdminLogin, client: httpx.AsyncClient, app_ctx: AppContext
) -> None:
    event = await factory.open_event(owner)
    body = {"eventId": event["eventId"], "clientViewerId": new_client_viewer_id()}
    responses = await asyncio.gather(
        *(client.post("/api/registrations", json=body, headers={"User-Agent": DESKTOP_UA}) for _ in range(100))
    )
    assert {r.status_code for r in responses} == {200}
    assert len({r.json()["viewerId"] for r in responses}) == 1
    async with app_ctx.db.sessionmaker() as session:
        count = await session.scalar(
            select(func.count()).select_from(Viewer).where(Viewer.event_id == event["eventId"])
        )
    assert count == 1


async def test_a_form_viewer_re_enters_on_a_new_device_with_an_emailed_code(
    factory: Factory, owner: AdminLogin, app_ctx: AppContext
) -> None:
    event = await factory.open_event(owner, accessType="form", formFields=FORM_FIELDS)
    original = (await factory.register(event["eventId"], formData=GOOD_FORM)).json()
    async with app_ctx.db.session() as session:  # as if the payment had gone through (the flow a success runs)
        await on_payment.grant_payment(session, event["eventId"], original["viewerId"], "pay_laptop", None)
    phone = new_client_viewer_id()
    sent = (await factory.register(event["eventId"], phone, email="ADA@example.com")).json()
    assert sent["codeSent"] is True and sent["accessVerified"] is False and sent["token"] is None
    code = code_in((await factory.last_email("ada@example.com")).body_text)
    admitted = (await factory.register(event["eventId"], phone, email="ada@example.com", code=code)).json()
    assert admitted["accessVerified"] is True and admitted["token"]
    assert admitted["viewerId"] != original["viewerId"]
    assert admitted["isPaidViewer"] is True and admitted["paymentStatus"] == "success"
    copy, source = await viewer_row(app_ctx, admitted["viewerId"]), await viewer_row(app_ctx, original["viewerId"])
    assert copy.client_viewer_id == phone and copy.access_mode == "form"
    assert (copy.form_data, copy.email, copy.name) == (source.form_data, source.email, source.name)


async def test_re_entry_by_email_does_not_reveal_who_registered(
    factory: Factory, owner: AdminLogin, app_ctx: AppContext
) -> None:
    event = await factory.open_event(owner, accessType="form", formFields=FORM_FIELDS)
    response = await factory.register(event["eventId"], email="stranger@example.com")
    assert response.status_code == 200 and response.json()["codeSent"] is True
    assert response.json()["accessVerified"] is False
    from golive.email.models import EmailMessage

    async with app_ctx.db.sessionmaker() as session:
        assert await session.scalar(select(func.count()).select_from(EmailMessage)) == 0


async def test_an_email_viewer_on_a_second_device_gets_the_same_paid_posture(
    factory: Factory, owner: AdminLogin, app_ctx: AppContext
) -> None:
    event = await factory.open_event(owner, accessType="email", isPaidEvent=True, priceAmount=500, currency="USD")
    laptop, phone = new_client_viewer_id(), new_client_viewer_id()
    for device in (laptop, phone):
        await factory.register(event["eventId"], device, email="fan@example.com")
        code = code_in((await factory.last_email("fan@example.com")).body_text)
        admitted = (await factory.register(event["eventId"], device, email="fan@example.com", code=code)).json()
        assert admitted["requiresPayment"] is (device == laptop)
        if device == laptop:  # as if the payment had gone through (the flow a succeeded payment runs)
            async with app_ctx.db.session() as session:
                await on_payment.grant_payment(session, event["eventId"], admitted["viewerId"], "pay_laptop", None)
    assert len(await rows_for(app_ctx, event["eventId"])) == 2


async def test_changing_the_gate_sends_cleared_viewers_back_to_it(
    factory: Factory, owner: AdminLogin, client: httpx.AsyncClient
) -> None:
    event = await factory.open_event(owner)
    client_id = new_client_viewer_id()
    assert (await factory.register(event["eventId"], client_id)).json()["accessVerified"] is True
    update_body = {"accessType": "password", "accessPassword": "now locked"}
    assert (await client.put(f"/api/events/{event['eventId']}", json=update_body, headers=owner.headers)).is_success
    assert (await factory.register(event["eventId"], client_id)).json()["accessVerified"] is False
    admitted = await factory.register(event["eventId"], client_id, password="now locked")
    assert admitted.json()["accessVerified"] is True
