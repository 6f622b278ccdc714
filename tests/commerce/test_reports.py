"""The admins' payment reports, exactly as the admin console reads them: the ledger (JSON and CSV),
revenue per event and currency, and the viewer funnel."""

from __future__ import annotations

import csv
import io

import httpx

from golive.identity.staff.models import AdminRole
from golive.platform.context import AppContext
from tests.commerce.support import checkout, checkout_session, only_payment, paid_event, provider_event, send_local
from tests.support import AdminLogin, Factory, assert_error

PAYMENT_FIELDS = {
    "paymentId",
    "eventId",
    "eventTitle",
    "viewerId",
    "viewerEmail",
    "provider",
    "amount",
    "refundedAmount",
    "currency",
    "status",
    "paymentMethod",
    "receiptUrl",
    "failureReason",
    "initiatedAt",
    "confirmedAt",
    "updatedAt",
}


async def settle(client: httpx.AsyncClient, ctx: AppContext, viewer_id: str, email: str, **extra: object) -> str:
    """Marks the viewer's payment paid the way the provider does (a signed webhook); returns its id."""
    payment = await only_payment(ctx, viewer_id)
    session = checkout_session(payment, customer_details={"email": email}, **extra)
    response = await send_local(client, ctx, provider_event("checkout.session.completed", session))
    assert response.json()["outcome"] == "applied", response.text
    return payment.payment_id


async def test_the_ledger_lists_filters_and_exports_payments(
    factory: Factory, owner: AdminLogin, app_ctx: AppContext, client: httpx.AsyncClient
) -> None:
    talk = await paid_event(factory, owner, title="=Talk")  # a title a spreadsheet would run
    workshop = await paid_event(factory, owner, title="Workshop", priceAmount=5000, currency="EUR")
    ada = await checkout(factory, talk["eventId"])
    bob = await checkout(factory, talk["eventId"])
    eve = await checkout(factory, workshop["eventId"])
    ada_payment = await settle(client, app_ctx, ada["viewerId"], "ada@example.com")
    await settle(client, app_ctx, eve["viewerId"], "eve@example.com")
    editor = await factory.admin(AdminRole.EDITOR)  # editors may read the reports

    async def listed(query: str) -> dict[str, object]:
        response = await client.get(f"/api/payments{query}", headers=editor.headers)
        assert response.status_code == 200, response.text
        return dict(response.json())

    everything = await listed("")
    assert everything["total"] == 3 and set(everything["items"][0]) == PAYMENT_FIELDS  # type: ignore[index]
    first = (await listed(f"?q={ada_payment}"))["items"][0]  # type: ignore[index]
    assert first["paymentId"] == ada_payment and first["viewerEmail"] == "ada@example.com"
    assert first["eventTitle"] == "=Talk" and first["status"] == "succeeded" and first["amount"] == 1200
    assert (await listed("?q=EVE@"))["total"] == 1
    assert (await listed(f"?eventId={talk['eventId']}&status=succeeded"))["total"] == 1
    assert (await listed(f"?eventId={talk['eventId']}&status=pending"))["items"][0]["viewerId"] == bob["viewerId"]  # type: ignore[index]
    assert (await listed("?provider=stripe"))["total"] == 0
    page = await listed("?limit=1&offset=1")
    assert page["total"] == 3 and len(page["items"]) == 1  # type: ignore[arg-type]

    exported = await client.get(f"/api/payments?format=csv&eventId={talk['eventId']}", headers=editor.headers)
    assert exported.status_code == 200 and exported.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(exported.text)))
    assert len(rows) == 2 and set(rows[0]) == PAYMENT_FIELDS
    assert {row["eventTitle"] for row in rows} == {"'=Talk"}  # CSV injection defused
    assert {row["status"] for row in rows} == {"succeeded", "pending"}


async def test_revenue_is_succeeded_minus_refunded_per_event_and_currency(
    factory: Factory, owner: AdminLogin, app_ctx: AppContext, client: httpx.AsyncClient
) -> None:
    talk = await paid_event(factory, owner, title="Talk")
    workshop = await paid_event(factory, owner, title="Workshop", priceAmount=5000, currency="EUR")
    for event in (talk, talk, workshop):
        viewer = await checkout(factory, event["eventId"])
        await settle(client, app_ctx, viewer["viewerId"], "x@example.com")
    await checkout(factory, talk["eventId"])  # pending: not revenue
    refunded = await checkout(factory, talk["eventId"])
    payment_id = await settle(client, app_ctx, refunded["viewerId"], "y@example.com")
    payment = await only_payment(app_ctx, refunded["viewerId"])
    charge = {"id": "ch_x", "object": "charge", "amount": 1200, "amount_refunded": 300, "currency": "usd"}
    charge["payment_intent"] = payment.provider_payment_intent_id  # a partial refund made in the provider's dashboard
    await send_local(client, app_ctx, provider_event("charge.refunded", charge))
    assert (await only_payment(app_ctx, refunded["viewerId"])).refunded_amount == 300 and payment_id

    everything = await client.get("/api/payments/revenue", headers=owner.headers)
    assert everything.status_code == 200, everything.text
    lines = {item["eventTitle"]: item for item in everything.json()["items"]}
    assert lines["Talk"] == {
        "eventId": talk["eventId"],
        "eventTitle": "Talk",
        "currency": "USD",
        "grossAmount": 3600,
        "refundedAmount": 300,
        "netAmount": 3300,
        "succeededPayments": 3,
    }
    assert lines["Workshop"]["currency"] == "EUR" and lines["Workshop"]["netAmount"] == 5000
    one = await client.get(f"/api/payments/revenue?eventId={workshop['eventId']}", headers=owner.headers)
    assert [item["eventTitle"] for item in one.json()["items"]] == ["Workshop"]
    assert_error(await client.get("/api/payments/revenue?eventId=nope", headers=owner.headers), 404, "event_not_found")


async def test_the_funnel_counts_viewers_per_access_mode_and_payment_status(
    factory: Factory, owner: AdminLogin, app_ctx: AppContext, client: httpx.AsyncClient
) -> None:
    event = await paid_event(factory, owner)
    viewers = [await checkout(factory, event["eventId"]) for _ in range(3)]
    await settle(client, app_ctx, viewers[0]["viewerId"], "a@example.com")

    response = await client.get(f"/api/events/{event['eventId']}/funnel", headers=owner.headers)

    assert response.status_code == 200, response.text
    assert response.json() == {
        "items": [
            {"accessMode": "anonymous", "paymentStatus": "none", "viewers": 2},
            {"accessMode": "anonymous", "paymentStatus": "success", "viewers": 1},
        ],
        "total": 3,
    }


async def test_bad_input_to_the_reports_is_a_clear_4xx(
    factory: Factory, owner: AdminLogin, client: httpx.AsyncClient
) -> None:
    headers = owner.headers
    for query in (
        "status=paid",
        "provider=paypal",
        "limit=0",
        "limit=101",
        "offset=-1",
        "format=xml",
        "q=" + "x" * 255,
    ):
        response = await client.get(f"/api/payments?{query}", headers=headers)
        assert response.status_code == 422, (query, response.text)
    assert_error(await client.get("/api/payments/pay_nope", headers=headers), 404, "payment_not_found")
    assert_error(await client.get("/api/events/nope/funnel", headers=headers), 404, "event_not_found")
    for path in ("/api/payments", "/api/payments/revenue", "/api/payments/pay_x", "/api/events/x/funnel"):
        assert (await client.get(path)).status_code == 401, path
