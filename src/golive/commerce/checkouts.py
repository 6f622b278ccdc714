"""Checkouts of paid events: opened only when the viewer chooses to pay, handed out again while open, and
closed when abandoned.

Admission alone never opens one (a viewer who looks at the paywall and leaves leaves no ledger row); the
viewer's "Pay" asks for one (`open_checkout`), which is the viewer's still-open checkout if there is one.
A checkout nobody paid is closed by the provider's own expiry event, or by `expire_abandoned_checkouts`
when that event never came.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from golive.access import admission as viewers_service
from golive.access import watching
from golive.access.decide import Standing, Target, standing
from golive.access.models import Viewer
from golive.commerce import ledger, registry, sales
from golive.commerce.models import LedgerStatus, Payment, new_payment_id
from golive.commerce.providers.base import CheckoutRequest, ProviderError
from golive.events import service as events_service
from golive.events.models import Event
from golive.platform.context import AppContext
from golive.platform.db import utcnow
from golive.platform.errors import Conflict, Forbidden, NotFound, ServiceUnavailable

log = logging.getLogger("golive.commerce")

# An open checkout is handed out again only if it stays open at least this long.
REUSE_MARGIN = timedelta(minutes=5)
# The provider's expiry event comes first; the sweep closes what it never reported after this long.
EXPIRY_GRACE = timedelta(minutes=10)
# A payment row whose provider call never finished (a crash in between) is closed after this long.
UNOPENED_GRACE = timedelta(minutes=10)
BEFORE_SUCCESS = (LedgerStatus.CREATED, LedgerStatus.PENDING)


@dataclass(frozen=True)
class OpenCheckout:
    payment_id: str
    price_id: str | None
    url: str
    expires_at: datetime | None


async def open_checkout_url(ctx: AppContext, event_id: str, viewer_id: str) -> str | None:
    """The viewer's checkout that is still open at a price on sale now, if any; opens nothing."""
    async with ctx.db.sessionmaker() as session:
        prices = [sales.price_key(c) for c in await sales.prices_on_sale(session, event_id)]
        if not prices:
            return None
        found = await ledger.reusable_checkout(session, viewer_id, event_id, prices, utcnow() + REUSE_MARGIN)
    return found.url if found is not None else None


async def open_checkout(
    ctx: AppContext, event_id: str, viewer_id: str, return_path: str | None, price_id: str | None = None
) -> OpenCheckout:
    """The viewer chose to pay (a price, or the first on sale now): their open checkout at it, or a new one
    (a unit of the price reserved, a Payments row, created then pending, and the provider's Checkout
    Session, whose success and cancel URLs lead back to the viewer's page)."""
    now = utcnow()
    async with ctx.db.sessionmaker() as session:
        event = await events_service.get_event(session, event_id)
        viewer = await viewers_service.get_viewer(session, viewer_id)
        _check_may_pay(event, viewer, await _standing(session, event, viewer))
        choices = await sales.candidates(session, event_id, price_id, now)
        prices = [sales.price_key(c) for c in choices]
        reusable = await ledger.reusable_checkout(session, viewer_id, event_id, prices, now + REUSE_MARGIN)
    if reusable is not None:
        return OpenCheckout(reusable.payment_id, reusable.price_id, reusable.url, reusable.expires_at)
    assert viewer is not None
    try:
        provider = registry.active_provider(ctx)
    except NotFound as exc:  # Stripe chosen without its keys: the viewer can do nothing about it
        log.error("no checkout for %s: %s", event_id, exc.message)
        raise ServiceUnavailable(
            "Payments are not set up yet; please try again later", code="checkout_unavailable"
        ) from exc
    back = return_path or f"/e/{event_id}"
    payment_id = new_payment_id()
    async with ctx.db.session() as session:
        # the first candidate with a unit left: a price that sold out meanwhile hands on to the next one
        chosen = None
        for choice in choices:
            if await sales.reserve_unit(session, choice.price.price_id):
                chosen = choice
                break
        if chosen is None:
            raise Conflict("Sold out: no tickets are left", code="price_sold_out")
        payment = Payment(
            payment_id=payment_id,
            event_id=event_id,
            viewer_id=viewer_id,
            offer_id=chosen.offer.offer_id,
            price_id=chosen.price.price_id,
            unit_held=True,
            provider=provider.name,
            amount=chosen.price.amount,
            currency=chosen.price.currency,
            refunded_amount=0,
            status=LedgerStatus.CREATED,
            customer_email=viewer.email,
            extra={"returnPath": back},
            initiated_at=now,
            updated_at=now,
        )
        session.add(payment)
    page = f"{ctx.settings.base_url}{back}"
    request = CheckoutRequest(
        payment_id=payment.payment_id,
        event_id=event_id,
        viewer_id=viewer_id,
        title=event.title,
        amount=payment.amount,
        currency=payment.currency,
        customer_email=payment.customer_email,
        success_url=f"{page}?checkout=success",
        cancel_url=f"{page}?checkout=cancelled",
        expires_at=now + timedelta(minutes=ctx.settings.checkout_expiry_minutes),
        # the provider's Price exists only for the price's current amount (forgotten when it changes)
        price_id=chosen.price.provider_price_id,
        product_id=chosen.offer.provider_product_id,
    )
    try:
        opened = await provider.create_checkout(request)
    except ProviderError as exc:
        log.warning("checkout for %s with %s failed: %s", payment.payment_id, provider.name, exc.message)
        async with ctx.db.session() as session:
            reason = f"The checkout could not be opened: {exc.message}"[:500]
            await ledger.move(session, payment.payment_id, LedgerStatus.FAILED, BEFORE_SUCCESS, failure_reason=reason)
            await sales.release_units(session, payment.payment_id)
        raise ServiceUnavailable(
            "Payments are unavailable right now; please try again in a minute", code="checkout_unavailable"
        ) from exc
    async with ctx.db.session() as session:
        await ledger.move(
            session,
            payment.payment_id,
            LedgerStatus.PENDING,
            (LedgerStatus.CREATED,),
            provider_checkout_session_id=opened.session_id,
            provider_payment_intent_id=opened.payment_intent_id,
            checkout_url=opened.url,
            checkout_expires_at=opened.expires_at,
        )
    log.info("payment %s pending: checkout opened with %s for event %s", payment.payment_id, provider.name, event_id)
    return OpenCheckout(payment.payment_id, payment.price_id, opened.url, opened.expires_at)


async def _standing(session: AsyncSession, event: Event, viewer: Viewer | None) -> Standing | None:
    """Where the browser (and the account it is signed in with) stands; a kids profile may not pay."""
    if viewer is None or viewer.event_id != event.event_id:
        return None
    account = await watching.viewer_account(session, viewer)
    if account is not None and account.kids:
        raise Forbidden("A kids profile cannot buy; switch to another profile", code="kids_profile")
    return await standing(session, watching.subject_of(viewer, account), Target.event(event))


def _check_may_pay(event: Event, viewer: Viewer | None, held: Standing | None) -> None:
    """Only a viewer who cleared the event's gate pays (access.decide says so), and only once."""
    if viewer is None or held is None or not held.cleared_gate:
        raise Forbidden("Pass the event's gate before paying", code="gate_not_cleared")
    if not viewers_service.admits_viewers(event):
        raise Conflict("This event no longer admits viewers", code="event_not_admitting")
    if event.is_paid_event and not held.owes_payment:
        raise Conflict("You have already paid for this event", code="already_paid")


async def expire_abandoned_checkouts(ctx: AppContext) -> int:
    """The sweep: checkouts past their expiry that the provider never reported closed, and payment rows
    whose checkout was never opened, become `expired`. Returns how many."""
    now = utcnow()
    async with ctx.db.session() as session:
        closed = await ledger.expire_abandoned(
            session, expired_before=now - EXPIRY_GRACE, created_before=now - UNOPENED_GRACE
        )
        await sales.release_units(session)  # these, and failed checkouts past their expiry
    if closed:
        log.info("%d abandoned checkout%s closed as expired", closed, "" if closed == 1 else "s")
    return closed
