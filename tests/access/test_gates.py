"""Each gate admits a new viewer through POST /api/registrations and records who they are."""

from __future__ import annotations

from typing import Any

import httpx
from sqlalchemy import select

from golive.access import admission
from golive.access.models import Viewer
from golive.email.models import EmailStatus
from golive.platform.context import AppContext
from tests.conftest import CLIENT_IP
from tests.support import AdminLogin, Factory, code_in, new_client_viewer_id

FORM_FIELDS: list[dict[str, Any]] = [
    {"name": "name", "label": "Name", "type": "text", "required": True},
    {"name": "email", "label": "Email", "type": "email", "required": True},
    {"name": "company", "label": "Company", "type": "text", "maxLength": 20},
    {"name": "phone", "label": "Phone", "type": "tel"},
    {"name": "seats", "label": "Seats", "type": "number"},
    {"name": "plan", "label": "Plan", "type": "select", "options": ["Free", "Pro"], "required": True},
    {"name": "terms", "label": "I agree", "type": "checkbox", "required": True},
    {"name": "notes", "label": "Notes", "type": "textarea"},
]
GOOD_FORM: dict[str, Any] = {
    "name": " Ada Lovelace ",
    "email": "Ada@Example.com",
    "phone": "+44 20 7946 0000",
    "seats": 3,
    "plan": "Pro",
    "terms": True,
}


async def viewer_row(ctx: AppContext, viewer_id: str) -> Viewer:
    async with ctx.db.sessionmaker() as session:
        row = await session.scalar(select(Viewer).where(Viewer.viewer_id == viewer_id))
    assert row is not None
    return row


async def test_an_anonymous_viewer_is_admitted_at_once_with_device_and_ip(
    factory: Factory, owner: AdminLogin, app_ctx: AppContext
) -> None:
    event = await factory.open_event(owner)
    client_id = new_client_viewer_id()
    response = await factory.register(event["eventId"], client_id)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["accessVerified"] is True and body["token"]
    assert body["requiresPayment"] is False and body["codeSent"] is False
    assert body["paymentStatus"] == "none" and body["isPaidViewer"] is False
    identity = admission.read_viewer_token(app_ctx, body["token"])
    assert identity is not None and identity.viewer_id == body["viewerId"] and identity.event_id == event["eventId"]
    row = await viewer_row(app_ctx, body["viewerId"])
    assert row.client_viewer_id == client_id
    assert row.access_mode == "anonymous" and row.access_verified
    assert row.device_type == "desktop" and row.ip_address == CLIENT_IP


async def test_a_form_viewer_is_admitted_with_cleaned_form_data(
    factory: Factory, owner: AdminLogin, app_ctx: AppContext
) -> None:
    event = await factory.open_event(owner, accessType="form", formFields=FORM_FIELDS)
    response = await factory.register(event["eventId"], formData=GOOD_FORM)
    assert response.status_code == 200, response.text
    assert response.json()["accessVerified"] is True and response.json()["token"]
    row = await viewer_row(app_ctx, response.json()["viewerId"])
    assert row.form_data == {
        "name": "Ada Lovelace",
        "email": "ada@example.com",
        "phone": "+44 20 7946 0000",
        "seats": 3,
        "plan": "Pro",
        "terms": True,
    }
    assert row.email == "ada@example.com" and row.name == "Ada Lovelace"


async def test_a_form_viewer_who_has_not_registered_yet_is_not_admitted(factory: Factory, owner: AdminLogin) -> None:
    event = await factory.open_event(owner, accessType="form", formFields=FORM_FIELDS)
    body = (await factory.register(event["eventId"])).json()
    assert body["accessVerified"] is False and body["token"] is None


async def test_the_right_password_admits_and_the_hash_never_leaves(factory: Factory, owner: AdminLogin) -> None:
    event = await factory.open_event(owner, accessType="password", accessPassword="open sesame")
    response = await factory.register(event["eventId"], password="open sesame")
    assert response.status_code == 200, response.text
    assert response.json()["accessVerified"] is True and response.json()["token"]
    assert "argon2" not in response.text


async def test_an_email_viewer_gets_a_code_and_the_code_admits(
    factory: Factory, owner: AdminLogin, app_ctx: AppContext
) -> None:
    event = await factory.open_event(owner, title="Launch night", accessType="email")
    client_id = new_client_viewer_id()
    first = await factory.register(event["eventId"], client_id, email="Viewer@Example.com")
    assert first.status_code == 200, first.text
    assert first.json() | {"viewerId": None} == {
        "viewerId": None,
        "token": None,
        "accessVerified": False,
        "paymentStatus": "none",
        "isPaidViewer": False,
        "requiresPayment": False,
        "checkoutUrl": None,
        "codeSent": True,
    }
    message = await factory.last_email("viewer@example.com")
    assert message.status == EmailStatus.SENT and message.provider == "outbox"
    assert "Launch night" in message.subject
    code = code_in(message.body_text)
    link = f"{app_ctx.settings.base_url}/e/{event['eventId']}?email=viewer%40example.com&code={code}"
    assert link in message.body_text
    assert message.body_html is not None and link.replace("&", "&amp;") in message.body_html

    admitted = await factory.register(event["eventId"], client_id, email="viewer@example.com", code=code)
    assert admitted.status_code == 200, admitted.text
    assert admitted.json()["accessVerified"] is True and admitted.json()["token"]
    row = await viewer_row(app_ctx, admitted.json()["viewerId"])
    assert row.email == "viewer@example.com" and row.access_mode == "email"


async def test_the_embed_can_ask_for_a_link_back_to_itself(factory: Factory, owner: AdminLogin) -> None:
    event = await factory.open_event(owner, accessType="email")
    path = f"/embed/{event['eventId']}"
    response = await factory.register(event["eventId"], email="embed@example.com", returnPath=path)
    assert response.status_code == 200, response.text
    assert f"{path}?email=embed%40example.com&code=" in (await factory.last_email("embed@example.com")).body_text


async def test_a_paid_event_admits_through_the_gate_but_asks_for_payment(
    factory: Factory, owner: AdminLogin, client: httpx.AsyncClient
) -> None:
    event = await factory.open_event(owner, isPaidEvent=True, priceAmount=999, currency="EUR")
    body = (await factory.register(event["eventId"])).json()
    assert body["accessVerified"] is True and body["token"]
    # no checkout until the viewer presses "Pay" (tests/commerce covers what happens then)
    assert body["requiresPayment"] is True and body["checkoutUrl"] is None
    assert body["isPaidViewer"] is False and body["paymentStatus"] == "none"


async def test_a_scheduled_or_ended_event_admits_viewers(
    factory: Factory, owner: AdminLogin, client: httpx.AsyncClient
) -> None:
    event = await factory.event(owner)
    path = f"/api/events/{event['eventId']}/transitions"
    await client.post(path, json={"to": "scheduled"}, headers=owner.headers)
    assert (await factory.register(event["eventId"])).json()["accessVerified"] is True
    for target in ("live", "ended"):
        await client.post(path, json={"to": target}, headers=owner.headers)
    assert (await factory.register(event["eventId"])).json()["accessVerified"] is True
