"""An event's offers and prices: admins manage them; a viewer sees the prices on sale now."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Response, status

from golive.audit.actor import Actor
from golive.commerce import offers, provider_sync, sales
from golive.commerce.offer_schemas import OfferIn, OfferOut, PriceOnSale, PricesOnSale
from golive.events import service as events_service
from golive.identity.staff.auth import Editor
from golive.platform.db import utcnow
from golive.platform.deps import ClientIp, Ctx, EventId, Session
from golive.platform.schemas import ErrorResponse, ItemList, json_response

router = APIRouter(tags=["offers"])

OfferId = Annotated[str, Path(alias="offerId", min_length=1, max_length=40)]
ERRORS: dict[int | str, dict[str, object]] = {
    404: {"model": ErrorResponse, "description": "No such event or offer"},
    409: {"model": ErrorResponse, "description": "More units sold meanwhile than the new quantity"},
    422: {"model": ErrorResponse, "description": "Invalid offer; details.fields names each problem"},
}


def _actor(caller: Editor, ip: str) -> Actor:
    return Actor(kind="admin", id=caller.admin.admin_id, ip=ip)


@router.get("/api/events/{eventId}/offers", response_model=ItemList[OfferOut], responses=ERRORS)
async def list_offers(event_id: EventId, _: Editor, session: Session) -> Response:
    """The event's active offers (the default first: the one isPaidEvent/priceAmount/currency stand for)."""
    now = utcnow()
    views = await offers.list_offers(session, event_id)
    return json_response(ItemList[OfferOut](items=[offers.offer_out(v, now) for v in views]))


@router.post(
    "/api/events/{eventId}/offers", response_model=OfferOut, status_code=status.HTTP_201_CREATED, responses=ERRORS
)
async def create_offer(
    event_id: EventId, body: OfferIn, caller: Editor, ctx: Ctx, session: Session, ip: ClientIp
) -> Response:
    view = await offers.create_offer(session, event_id, body, _actor(caller, ip))
    await provider_sync.prepare_sale(ctx, event_id, price_changed=True)
    return await _answer(session, event_id, view.offer.offer_id, status.HTTP_201_CREATED)


@router.put("/api/events/{eventId}/offers/{offerId}", response_model=OfferOut, responses=ERRORS)
async def replace_offer(
    event_id: EventId, offer_id: OfferId, body: OfferIn, caller: Editor, ctx: Ctx, session: Session, ip: ClientIp
) -> Response:
    """The offer's name and its prices, in order; send a price's priceId to keep it (and its sold count)."""
    await offers.replace_offer(session, event_id, offer_id, body, _actor(caller, ip))
    await provider_sync.prepare_sale(ctx, event_id, price_changed=True)
    return await _answer(session, event_id, offer_id)


@router.delete("/api/events/{eventId}/offers/{offerId}", status_code=status.HTTP_204_NO_CONTENT, responses=ERRORS)
async def delete_offer(
    event_id: EventId, offer_id: OfferId, caller: Editor, session: Session, ip: ClientIp
) -> Response:
    """The offer stops selling; payments that name it keep it (it is archived, not erased)."""
    await offers.archive_offer(session, event_id, offer_id, _actor(caller, ip))
    return Response(status_code=status.HTTP_204_NO_CONTENT)


async def _answer(session: Session, event_id: str, offer_id: str, code: int = 200) -> Response:
    session.expire_all()  # the provider sync may have moved the offer to pending
    view = await offers.get_offer(session, event_id, offer_id)
    return json_response(offers.offer_out(view, utcnow()), status_code=code)


@router.get(
    "/api/events/{eventId}/prices",
    response_model=PricesOnSale,
    responses={404: {"model": ErrorResponse, "description": "No such event (or not published)"}},
)
async def prices_on_sale(event_id: EventId, session: Session) -> Response:
    """Public: what a viewer can buy now (within the sale window, units left), in the order the checkout
    picks from; empty for a free event or when nothing is on sale."""
    await events_service.get_published_event(session, event_id)
    items = [
        PriceOnSale(
            price_id=c.price.price_id,
            offer_id=c.offer.offer_id,
            offer_name=c.offer.name,
            name=c.price.name,
            amount=c.price.amount,
            currency=c.price.currency,
            sale_ends=c.price.sale_ends,
            remaining=offers.remaining(c.price),
        )
        for c in await sales.prices_on_sale(session, event_id)
    ]
    return json_response(PricesOnSale(items=items))
