"""Selling a paid event through Stripe needs a Product and a Price there (seed 000: stripeProductId,
stripePriceId, stripeSetupStatus pending -> created / failed). Made by a job, retried, and logged in the
automation log. Checkouts never wait for it: until the Price exists they send the amount inline."""

from __future__ import annotations

import logging

from golive.automation import service as automation_log
from golive.automation.models import ExecutionStatus, TriggerType
from golive.commerce import registry
from golive.commerce.providers.base import ProviderError, SaleRequest
from golive.events import service as events_service
from golive.events.models import StripeSetupStatus
from golive.platform.context import AppContext
from golive.platform.errors import NotFound

log = logging.getLogger("golive.commerce")

REQUESTED = "stripe.setup.requested"
ATTEMPT = "stripe.setup"
RENAME = "stripe.product.rename"
MAX_ATTEMPTS = 8  # failed attempts per request before the retry job gives up (saving the event asks again)


async def prepare_sale(ctx: AppContext, event_id: str, price_changed: bool, renamed: bool = False) -> bool:
    """After an event is created or saved: with Stripe, a paid event without a Price for its current amount
    goes to pending and a job makes one; a new title goes to its Product by another job. True when the
    setup job was queued."""
    if ctx.settings.payment_provider != registry.STRIPE:
        return False
    async with ctx.db.session() as session:
        event = await events_service.get_event(session, event_id)
        if renamed and event.stripe_product_id:
            from golive.commerce.tasks import enqueue_sale_rename

            enqueue_sale_rename(event_id)
        if not event.is_paid_event or not event.price_amount or not event.currency:
            return False
        if not price_changed and event.stripe_setup_status == StripeSetupStatus.CREATED and event.stripe_price_id:
            return False
        await events_service.set_stripe_setup(session, event_id, StripeSetupStatus.PENDING, reset_price=price_changed)
        automation_log.record(
            session,
            event_id=event_id,
            trigger=TriggerType.PAYMENT_SETUP,
            action=REQUESTED,
            status=ExecutionStatus.PENDING,
            details={"amount": event.price_amount, "currency": event.currency},
        )
    from golive.commerce.tasks import enqueue_sale_setup

    enqueue_sale_setup(event_id)
    return True


async def provision_sale(ctx: AppContext, event_id: str) -> StripeSetupStatus | None:
    """One attempt: the Product (once) and a Price for the event's current amount. Logged either way."""
    provider = registry.provider_named(ctx, registry.STRIPE)
    async with ctx.db.sessionmaker() as session:
        try:
            event = await events_service.get_event(session, event_id)
        except NotFound:
            return None
    if not event.is_paid_event or not event.price_amount or not event.currency:
        return None
    if event.stripe_setup_status == StripeSetupStatus.CREATED and event.stripe_price_id:
        return StripeSetupStatus.CREATED
    asked = (event.price_amount, event.currency)
    request = SaleRequest(
        event_id=event_id,
        title=event.title,
        amount=event.price_amount,
        currency=event.currency,
        product_id=event.stripe_product_id,
    )
    try:
        setup = await provider.set_up_sale(request)
    except ProviderError as exc:
        log.warning("Stripe setup of event %s failed: %s", event_id, exc.message)
        async with ctx.db.session() as session:
            await events_service.set_stripe_setup(session, event_id, StripeSetupStatus.FAILED)
            automation_log.record(
                session,
                event_id=event_id,
                trigger=TriggerType.PAYMENT_SETUP,
                action=ATTEMPT,
                status=ExecutionStatus.FAILED,
                details={"error": exc.message, "code": exc.code, "retryable": exc.retryable},
            )
        return StripeSetupStatus.FAILED
    if setup is None:
        return None
    async with ctx.db.session() as session:
        current = await events_service.get_event(session, event_id)
        still_current = (current.price_amount, current.currency) == asked
        # A price changed meanwhile: keep the Product, leave the event pending for the job queued by that save.
        await events_service.set_stripe_setup(
            session,
            event_id,
            StripeSetupStatus.CREATED if still_current else StripeSetupStatus.PENDING,
            product_id=setup.product_id,
            price_id=setup.price_id if still_current else None,
        )
        automation_log.record(
            session,
            event_id=event_id,
            trigger=TriggerType.PAYMENT_SETUP,
            action=ATTEMPT,
            status=ExecutionStatus.SUCCESS,
            details={
                "productId": setup.product_id,
                "priceId": setup.price_id,
                "amount": asked[0],
                "currency": asked[1],
            },
        )
    return StripeSetupStatus.CREATED if still_current else StripeSetupStatus.PENDING


async def rename_sale(ctx: AppContext, event_id: str) -> bool:
    """One attempt at giving the event's Stripe Product its current title (what Checkout shows the payer).
    Logged either way; False asks the job to retry."""
    async with ctx.db.sessionmaker() as session:
        try:
            event = await events_service.get_event(session, event_id)
        except NotFound:
            return True  # deleted since: nothing left to rename
    if not event.stripe_product_id:
        return True
    provider = registry.provider_named(ctx, registry.STRIPE)
    try:
        await provider.rename_sale(event.stripe_product_id, event.title)
    except ProviderError as exc:
        log.warning("renaming the Stripe product of event %s failed: %s", event_id, exc.message)
        status, details = ExecutionStatus.FAILED, {"error": exc.message, "code": exc.code}
    else:
        status, details = ExecutionStatus.SUCCESS, {"productId": event.stripe_product_id, "title": event.title}
    async with ctx.db.session() as session:
        automation_log.record(
            session, event_id=event_id, trigger=TriggerType.PAYMENT_SETUP, action=RENAME, status=status, details=details
        )
    return status == ExecutionStatus.SUCCESS


async def failed_attempts(ctx: AppContext, event_id: str) -> int:
    """Failed attempts since the latest request (the log is newest first)."""
    async with ctx.db.sessionmaker() as session:
        entries = await automation_log.list_for_event(session, event_id)
    count = 0
    for entry in entries:
        if entry.action == REQUESTED:
            break
        if entry.action == ATTEMPT and entry.execution_status == ExecutionStatus.FAILED:
            count += 1
    return count


async def retry_setups(ctx: AppContext) -> list[str]:
    """The retry job: every pending or failed setup, until MAX_ATTEMPTS failures since it was asked for."""
    if ctx.settings.payment_provider != registry.STRIPE:
        return []
    async with ctx.db.sessionmaker() as session:
        waiting = await events_service.awaiting_stripe_setup(session)
    done = []
    for event_id in waiting:
        if await failed_attempts(ctx, event_id) >= MAX_ATTEMPTS:
            continue
        if await provision_sale(ctx, event_id) == StripeSetupStatus.CREATED:
            done.append(event_id)
    return done
