"""Provider webhooks: only signed, fresh events count; each event id and each payment moves once, whatever
the number of deliveries, their concurrency or their order."""

from __future__ import annotations

import asyncio
import json
import time

import httpx
import stripe
from sqlalchemy import func, select

from golive.commerce.local.provider import local_webhook_secret
from golive.commerce.models import ProviderEvent
from golive.platform.context import AppContext
from tests.commerce.support import (
    checkout,
    checkout_session,
    failed_intent,
    only_payment,
    opened_payment,
    paid_event,
    payments_of,
    provider_event,
    receipts_to,
    send_local,
    signed,
    viewer,
)
from tests.support import AdminLogin, Factory, assert_error


async def provider_events(ctx: AppContext) -> int:
    async with ctx.db.sessionmaker() as session:
        return int(await session.scalar(select(func.count()).select_from(ProviderEvent)) or 0)


async def test_admission_opens_a_pending_payment_at_the_events_price(
    factory: Factory, owner: AdminLogin, app_ctx: AppContext
) -> None:
    _event, answer, payment = await opened_payment(factory, owner, app_ctx)
    assert payment.status == "pending" and payment.amount == 1200 and payment.currency == "USD"
    assert payment.provider == "local" and payment.provider_checkout_session_id
    assert answer["checkoutUrl"].endswith(f"/pay/local/{payment.provider_checkout_session_id}")


def tampered(event: dict[str, object], secret: str, tampering: str) -> tuple[bytes, dict[str, str]]:
    body, headers = signed(event, secret)
    if tampering == "unsigned":
        headers.pop("Stripe-Signature")
    elif tampering == "tampered":
        body = body.replace(b'"amount_total": 1200', b'"amount_total": 1')
    elif tampering == "wrong-secret":
        body, headers = signed(event, "whsec_" + "x" * 40)
    elif tampering == "stale":
        body, headers = signed(event, secret, timestamp=int(time.time()) - 301)
    elif tampering == "future":  # signed now, dated an hour ahead: replayable for an hour and more
        body, headers = signed(event, secret, timestamp=int(time.time()) + 3600)
    elif tampering == "garbled-header":
        headers["Stripe-Signature"] = "t=soon,v1=abc"
    elif tampering == "other-scheme":
        headers["Stripe-Signature"] = headers["Stripe-Signature"].replace("v1=", "v0=")
    return body, headers


async def test_an_unsigned_tampered_or_stale_webhook_is_refused_and_changes_nothing(
    factory: Factory, owner: AdminLogin, app_ctx: AppContext, client: httpx.AsyncClient
) -> None:
    _event, answer, payment = await opened_payment(factory, owner, app_ctx)
    success = provider_event("checkout.session.completed", checkout_session(payment))
    secret = local_webhook_secret(app_ctx)

    for tampering in ("unsigned", "tampered", "wrong-secret", "stale", "future", "garbled-header", "other-scheme"):
        body, headers = tampered(success, secret, tampering)
        response = await client.post("/api/webhooks/local", content=body, headers=headers)
        assert_error(response, 400, "invalid_signature")

    assert (await only_payment(app_ctx, answer["viewerId"])).status == "pending"
    row = await viewer(app_ctx, answer["viewerId"])
    assert row.is_paid_viewer is False and row.payment_status == "none"
    assert await provider_events(app_ctx) == 0
    # the same event, signed and fresh, is accepted: the refusals above were about the signature alone
    assert (await send_local(client, app_ctx, success)).json()["outcome"] == "applied"


async def test_a_sender_whose_clock_runs_a_little_ahead_is_accepted(
    factory: Factory, owner: AdminLogin, app_ctx: AppContext, client: httpx.AsyncClient
) -> None:
    _event, _answer, payment = await opened_payment(factory, owner, app_ctx)
    success = provider_event("checkout.session.completed", checkout_session(payment))
    body, headers = signed(success, local_webhook_secret(app_ctx), timestamp=int(time.time()) + 30)
    response = await client.post("/api/webhooks/local", content=body, headers=headers)
    assert response.status_code == 200 and response.json()["outcome"] == "applied", response.text


async def test_a_signed_body_that_is_not_an_event_is_a_clear_400(
    app_ctx: AppContext, client: httpx.AsyncClient
) -> None:
    secret = local_webhook_secret(app_ctx)
    for payload in ("not json", "[1, 2]", json.dumps({"object": "event", "type": "checkout.session.completed"})):
        header = stripe.WebhookSignature.generate_signature_header(payload, secret)
        response = await client.post("/api/webhooks/local", content=payload, headers={"Stripe-Signature": header})
        assert_error(response, 400, "malformed_event")


async def test_one_webhook_replayed_a_hundred_times_at_once_moves_the_payment_once_and_sends_one_receipt(
    factory: Factory, owner: AdminLogin, app_ctx: AppContext, client: httpx.AsyncClient
) -> None:
    _event, answer, payment = await opened_payment(factory, owner, app_ctx)
    body, headers = signed(
        provider_event("checkout.session.completed", checkout_session(payment)), local_webhook_secret(app_ctx)
    )

    responses = await asyncio.gather(
        *(client.post("/api/webhooks/local", content=body, headers=headers) for _ in range(100))
    )

    assert all(r.status_code == 200 for r in responses), {r.status_code for r in responses}
    outcomes = sorted(r.json()["outcome"] for r in responses)
    assert outcomes.count("applied") == 1 and outcomes.count("duplicate") == 99
    paid = await only_payment(app_ctx, answer["viewerId"])
    assert paid.status == "succeeded" and paid.confirmed_at is not None
    assert (await viewer(app_ctx, answer["viewerId"])).is_paid_viewer is True
    assert await receipts_to(app_ctx, "payer@example.com") == 1
    assert await provider_events(app_ctx) == 1


async def test_the_same_success_under_another_event_id_moves_the_payment_once(
    factory: Factory, owner: AdminLogin, app_ctx: AppContext, client: httpx.AsyncClient
) -> None:
    _event, _answer, payment = await opened_payment(factory, owner, app_ctx)
    completed = provider_event("checkout.session.completed", checkout_session(payment))
    settled = provider_event("checkout.session.async_payment_succeeded", checkout_session(payment))

    first = await send_local(client, app_ctx, completed)
    second = await send_local(client, app_ctx, settled)

    assert first.json()["outcome"] == "applied" and second.json()["outcome"] == "unchanged"
    assert await receipts_to(app_ctx, "payer@example.com") == 1


async def test_a_late_pending_or_failure_never_overwrites_a_success(
    factory: Factory, owner: AdminLogin, app_ctx: AppContext, client: httpx.AsyncClient
) -> None:
    _event, answer, payment = await opened_payment(factory, owner, app_ctx)
    # Delivered out of order: the settlement first, then the older "processing" and a stale failure.
    late = [
        provider_event("checkout.session.async_payment_succeeded", checkout_session(payment)),
        provider_event("checkout.session.completed", checkout_session(payment, paid=False)),
        provider_event("payment_intent.payment_failed", failed_intent(payment)),
        provider_event("checkout.session.async_payment_failed", checkout_session(payment, paid=False)),
        provider_event("checkout.session.expired", checkout_session(payment, paid=False, status="expired")),
    ]

    outcomes = [(await send_local(client, app_ctx, e)).json()["outcome"] for e in late]

    assert outcomes == ["applied", "unchanged", "unchanged", "unchanged", "unchanged"]
    assert (await only_payment(app_ctx, answer["viewerId"])).status == "succeeded"
    row = await viewer(app_ctx, answer["viewerId"])
    assert row.is_paid_viewer is True and row.payment_status == "success"


async def test_a_failure_that_overtakes_its_processing_notice_stays_failed(
    factory: Factory, owner: AdminLogin, app_ctx: AppContext, client: httpx.AsyncClient
) -> None:
    event, answer, payment = await opened_payment(factory, owner, app_ctx)

    await send_local(
        client, app_ctx, provider_event("checkout.session.async_payment_failed", checkout_session(payment))
    )
    late = await send_local(
        client, app_ctx, provider_event("checkout.session.completed", checkout_session(payment, paid=False))
    )

    assert late.json()["outcome"] == "unchanged"
    failed = await only_payment(app_ctx, answer["viewerId"])
    assert failed.status == "failed" and failed.failure_reason
    assert (await viewer(app_ctx, answer["viewerId"])).payment_status == "failed"
    # that checkout session is over: trying again opens a new one instead of handing out the dead one
    again = await checkout(factory, event["eventId"], answer["clientViewerId"])
    assert again["checkoutUrl"] != answer["checkoutUrl"]


async def test_processing_then_settled_takes_the_viewer_from_pending_to_paid(
    factory: Factory, owner: AdminLogin, app_ctx: AppContext, client: httpx.AsyncClient
) -> None:
    _event, answer, payment = await opened_payment(factory, owner, app_ctx)

    await send_local(
        client, app_ctx, provider_event("checkout.session.completed", checkout_session(payment, paid=False))
    )
    assert (await viewer(app_ctx, answer["viewerId"])).payment_status == "pending"
    await send_local(
        client, app_ctx, provider_event("checkout.session.async_payment_succeeded", checkout_session(payment))
    )

    row = await viewer(app_ctx, answer["viewerId"])
    assert row.is_paid_viewer is True and row.payment_status == "success"


async def test_a_paid_session_for_less_than_the_price_opens_nothing(
    factory: Factory, owner: AdminLogin, app_ctx: AppContext, client: httpx.AsyncClient
) -> None:
    event, answer, payment = await opened_payment(factory, owner, app_ctx)

    await send_local(
        client, app_ctx, provider_event("checkout.session.completed", checkout_session(payment, amount_total=1))
    )

    assert (await only_payment(app_ctx, answer["viewerId"])).status == "failed"
    assert (await viewer(app_ctx, answer["viewerId"])).is_paid_viewer is False
    again = await checkout(factory, event["eventId"], answer["clientViewerId"])
    assert again["checkoutUrl"] != answer["checkoutUrl"]  # that session was completed: a new one


async def test_an_expired_checkout_closes_its_payment_and_the_viewer_gets_a_new_one(
    factory: Factory, owner: AdminLogin, app_ctx: AppContext, client: httpx.AsyncClient
) -> None:
    event = await paid_event(factory, owner)
    client_id = "cv-expiring-checkout"
    first = await checkout(factory, event["eventId"], client_id)
    payment = await only_payment(app_ctx, first["viewerId"])

    await send_local(client, app_ctx, provider_event("checkout.session.expired", checkout_session(payment, paid=False)))
    second = await checkout(factory, event["eventId"], client_id)

    assert second["checkoutUrl"] != first["checkoutUrl"]
    expired, fresh = await payments_of(app_ctx, first["viewerId"])
    assert expired.status == "expired" and "expired" in (expired.failure_reason or "")
    assert fresh.status == "pending"


async def test_events_we_do_not_act_on_or_for_other_payments_are_acknowledged(
    app_ctx: AppContext, client: httpx.AsyncClient
) -> None:
    ignored = await send_local(
        client, app_ctx, provider_event("customer.created", {"id": "cus_1", "object": "customer"})
    )
    foreign = await send_local(
        client,
        app_ctx,
        provider_event(
            "checkout.session.completed",
            {"id": "cs_elsewhere", "object": "checkout.session", "payment_status": "paid", "metadata": {}},
        ),
    )

    assert ignored.status_code == 200 and ignored.json()["outcome"] == "ignored"
    assert foreign.status_code == 200 and foreign.json()["outcome"] == "unmatched"


async def test_webhooks_of_an_unknown_or_unconfigured_provider_are_404(client: httpx.AsyncClient) -> None:
    assert_error(await client.post("/api/webhooks/paypal", content=b"{}"), 404, "provider_not_found")
    assert_error(await client.post("/api/webhooks/stripe", content=b"{}"), 404, "provider_not_configured")
