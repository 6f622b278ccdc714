"""Selling an event's offers through Stripe needs a Product per offer and a Price per price there (seed
000's stripeProductId / stripePriceId / stripeSetupStatus pending -> created / failed, now on the offers and
prices). Made by a job, retried, and logged in the event's automation log. Checkouts never wait for it: until
a price's Price exists they send the amount inline."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from golive.automation import service as automation_log
from golive.automation.models import ExecutionStatus, TriggerType
from golive.commerce import registry, sales
from golive.commerce.offer_models import Offer, OfferKind, OfferScope, Price
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


def product_name(event_title: str, offer: Offer) -> str:
    """What Stripe Checkout shows the payer: the event's title (and the offer's name beside the default)."""
    return event_title if offer.is_default else f"{event_title} - {offer.name}"[:250]


def _grouped(choices: Sequence[sales.Choice]) -> list[tuple[Offer, list[Price]]]:
    offers: dict[str, tuple[Offer, list[Price]]] = {}
    for choice in choices:
        offers.setdefault(choice.offer.offer_id, (choice.offer, []))[1].append(choice.price)
    return list(offers.values())


def _unsynced(offer: Offer, prices: list[Price]) -> bool:
    return offer.provider_setup_status != StripeSetupStatus.CREATED or any(p.provider_price_id is None for p in prices)


async def _selling(session: AsyncSession, event_id: str) -> list[tuple[Offer, list[Price]]]:
    return _grouped(await sales.all_prices(session, event_id))


async def prepare_sale(ctx: AppContext, event_id: str, price_changed: bool, renamed: bool = False) -> bool:
    """After an event or its offers are saved: with Stripe, offers with a price that has no Price for its
    current amount go to pending and a job makes them; a new title goes to the Products by another job.
    True when the setup job was queued. (`price_changed` is kept for the hook's callers: a changed amount
    already forgot its Price in the save's commit, so what is missing is read from the prices.)"""
    if ctx.settings.payment_provider != registry.STRIPE:
        return False
    async with ctx.db.session() as session:
        await events_service.get_event(session, event_id)
        selling = await _selling(session, event_id)
        if renamed and any(offer.provider_product_id for offer, _ in selling):
            from golive.commerce.tasks import enqueue_sale_rename

            enqueue_sale_rename(event_id)
        waiting = [(offer, prices) for offer, prices in selling if _unsynced(offer, prices)]
        if not waiting:
            return False
        for offer, _ in waiting:
            offer.provider_setup_status = StripeSetupStatus.PENDING
        automation_log.record(
            session,
            event_id=event_id,
            trigger=TriggerType.PAYMENT_SETUP,
            action=REQUESTED,
            status=ExecutionStatus.PENDING,
            details={"prices": [_price_facts(p) for _, prices in waiting for p in prices if not p.provider_price_id]},
        )
    from golive.commerce.tasks import enqueue_sale_setup

    enqueue_sale_setup(event_id)
    return True


def _price_facts(price: Price) -> dict[str, Any]:
    return {"priceId": price.price_id, "amount": price.amount, "currency": price.currency}


async def provision_sale(ctx: AppContext, event_id: str) -> StripeSetupStatus | None:
    """One attempt: each offer's Product (once) and a Price for each of its prices' current amounts. Logged
    either way. CREATED when every offer is set up, FAILED when Stripe refused, PENDING when a price changed
    meanwhile (the job queued by that save makes its Price)."""
    provider = registry.provider_named(ctx, registry.STRIPE)
    async with ctx.db.sessionmaker() as session:
        try:
            event = await events_service.get_event(session, event_id)
        except NotFound:
            return None
        selling = await _selling(session, event_id)
    if not selling:
        return None
    if not any(_unsynced(offer, prices) for offer, prices in selling):
        return StripeSetupStatus.CREATED
    made: list[dict[str, Any]] = []
    outcome = StripeSetupStatus.CREATED
    for offer, prices in selling:
        if not _unsynced(offer, prices):
            continue
        product_id = offer.provider_product_id
        offer_status = StripeSetupStatus.CREATED
        try:
            for price in prices:
                if price.provider_price_id is not None and product_id is not None:
                    continue
                request = SaleRequest(
                    event_id=event_id,
                    offer_id=offer.offer_id,
                    price_id=price.price_id,
                    title=product_name(event.title, offer),
                    amount=price.amount,
                    currency=price.currency,
                    product_id=product_id,
                )
                setup = await provider.set_up_sale(request)
                if setup is None:
                    return None
                product_id = setup.product_id
                async with ctx.db.session() as session:
                    if await _store_price(session, price, setup.price_id):
                        facts = {"productId": setup.product_id, "stripePriceId": setup.price_id}
                        made.append({**_price_facts(price), **facts})
                    else:
                        offer_status = StripeSetupStatus.PENDING  # the price changed meanwhile
        except ProviderError as exc:
            log.warning("Stripe setup of event %s (offer %s) failed: %s", event_id, offer.offer_id, exc.message)
            async with ctx.db.session() as session:
                await _store_offer(session, offer.offer_id, product_id, StripeSetupStatus.FAILED)
                automation_log.record(
                    session,
                    event_id=event_id,
                    trigger=TriggerType.PAYMENT_SETUP,
                    action=ATTEMPT,
                    status=ExecutionStatus.FAILED,
                    details={"error": exc.message, "code": exc.code, "retryable": exc.retryable, "made": made},
                )
            return StripeSetupStatus.FAILED
        async with ctx.db.session() as session:
            await _store_offer(session, offer.offer_id, product_id, offer_status)
        if offer_status != StripeSetupStatus.CREATED:
            outcome = offer_status
    async with ctx.db.session() as session:
        automation_log.record(
            session,
            event_id=event_id,
            trigger=TriggerType.PAYMENT_SETUP,
            action=ATTEMPT,
            status=ExecutionStatus.SUCCESS,
            details={"made": made},
        )
    return outcome


async def _store_price(session: AsyncSession, price: Price, provider_price_id: str) -> bool:
    """Only while the price still has the amount the Price was made for (and no Price yet)."""
    result = await session.execute(
        update(Price)
        .where(
            Price.price_id == price.price_id,
            Price.amount == price.amount,
            Price.currency == price.currency,
            Price.provider_price_id.is_(None),
        )
        .values(provider_price_id=provider_price_id)
        .execution_options(synchronize_session=False)
    )
    return getattr(result, "rowcount", 0) == 1


async def _store_offer(session: AsyncSession, offer_id: str, product_id: str | None, status: StripeSetupStatus) -> None:
    values: dict[str, Any] = {"provider_setup_status": status}
    if product_id is not None:
        values["provider_product_id"] = product_id
    await session.execute(
        update(Offer).where(Offer.offer_id == offer_id).values(**values).execution_options(synchronize_session=False)
    )


async def rename_sale(ctx: AppContext, event_id: str) -> bool:
    """One attempt at giving the event's Stripe Products its current title (what Checkout shows the payer).
    Logged either way; False asks the job to retry."""
    async with ctx.db.sessionmaker() as session:
        try:
            event = await events_service.get_event(session, event_id)
        except NotFound:
            return True  # deleted since: nothing left to rename
        offers = [offer for offer, _ in await _selling(session, event_id) if offer.provider_product_id]
    if not offers:
        return True
    provider = registry.provider_named(ctx, registry.STRIPE)
    renamed: list[str] = []
    status, details = ExecutionStatus.SUCCESS, dict[str, object]()
    for offer in offers:
        assert offer.provider_product_id is not None
        try:
            await provider.rename_sale(offer.provider_product_id, product_name(event.title, offer))
        except ProviderError as exc:
            log.warning("renaming the Stripe product of event %s failed: %s", event_id, exc.message)
            status, details = ExecutionStatus.FAILED, {"error": exc.message, "code": exc.code}
            break
        renamed.append(offer.provider_product_id)
    details = {**details, "productIds": renamed, "title": event.title}
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


async def awaiting_setup(session: AsyncSession, limit: int = 200) -> list[str]:
    """Events with an active offer whose Stripe setup is still pending or failed (for the retry job)."""
    rows = await session.scalars(
        select(Offer.scope_id)
        .where(
            Offer.scope_kind == OfferScope.EVENT,
            Offer.kind == OfferKind.TICKET,
            Offer.archived_at.is_(None),
            Offer.provider_setup_status.in_([StripeSetupStatus.PENDING, StripeSetupStatus.FAILED]),
        )
        .distinct()
        .order_by(Offer.scope_id)
        .limit(limit)
    )
    return list(rows)


async def retry_setups(ctx: AppContext) -> list[str]:
    """The retry job: every pending or failed setup, until MAX_ATTEMPTS failures since it was asked for."""
    if ctx.settings.payment_provider != registry.STRIPE:
        return []
    async with ctx.db.sessionmaker() as session:
        waiting = await awaiting_setup(session)
    done = []
    for event_id in waiting:
        if await failed_attempts(ctx, event_id) >= MAX_ATTEMPTS:
            continue
        if await provision_sale(ctx, event_id) == StripeSetupStatus.CREATED:
            done.append(event_id)
    return done
