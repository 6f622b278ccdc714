"""The seed-004 events endpoints, plus delete, lifecycle transitions and the event's logs."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response, status

from golive.audit import service as audit_service
from golive.audit.actor import Actor
from golive.audit.schemas import AuditEntryOut
from golive.automation import service as automation_service
from golive.automation.schemas import AutomationEntryOut
from golive.events import listing, service
from golive.events.hooks import event_saved
from golive.events.listing import EventFilter
from golive.events.models import EventStatus, EventType
from golive.events.public_cache import public_event_cache
from golive.events.schemas import (
    EventCreate,
    EventOut,
    EventSort,
    EventUpdate,
    PublicEventOut,
    TransitionRequest,
    event_out,
    event_page,
    public_event_out,
)
from golive.events.service import PRICE_FIELDS
from golive.identity.staff.auth import AdminUser, Editor, admin_from_request, presented_admin_token
from golive.platform.deps import ClientIp, Ctx, EventId, ReadConnection, Session, app_context
from golive.platform.schemas import ItemList, Page, json_response

router = APIRouter(prefix="/api/events", tags=["events"])


def _actor(caller: Editor, ip: str) -> Actor:
    return Actor(kind="admin", id=caller.admin.admin_id, ip=ip)


@router.get("", response_model=Page[EventOut], description="The admin console's event list, newest start first.")
async def list_events(
    _: Editor,
    connection: ReadConnection,
    q: Annotated[str | None, Query(max_length=120)] = None,
    status_: Annotated[EventStatus | None, Query(alias="status")] = None,
    event_type: Annotated[EventType | None, Query(alias="eventType")] = None,
    is_paid: Annotated[bool | None, Query(alias="isPaid")] = None,
    sort: EventSort = EventSort.START_DESC,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> Response:
    filters = EventFilter(
        q=q, status=status_, event_type=event_type, is_paid=is_paid, sort=sort, limit=limit, offset=offset
    )
    rows, total = await listing.list_events(connection, filters, priced=True)
    return json_response(event_page(rows, total, limit, offset))


@router.post("", response_model=EventOut, status_code=status.HTTP_201_CREATED)
async def create_event(body: EventCreate, caller: Editor, ctx: Ctx, session: Session, ip: ClientIp) -> EventOut:
    event = await service.create_event(session, body, _actor(caller, ip))
    if await event_saved.call(ctx, event.event_id, price_changed=True):
        await session.refresh(event)
    return event_out(event, await service.price_of(session, event.event_id))


@router.get(
    "/{eventId}",
    response_model=EventOut | PublicEventOut,
    description="Viewer-safe fields for anyone; the full event for an authenticated admin (bearer or cookie).",
)
async def get_event(event_id: EventId, request: Request) -> Response:
    """Anonymous reads (every viewer at an event's start) skip auth entirely and hit the micro-cache."""
    ctx = app_context(request)
    caller = await admin_from_request(request, ctx) if presented_admin_token(request) else None
    max_age = ctx.settings.public_cache_seconds
    body = public_event_cache.get(event_id, max_age) if caller is None and max_age > 0 else None
    if body is not None:
        return Response(body, media_type="application/json")
    async with ctx.db.sessionmaker() as session:
        if caller is not None:
            event = await service.get_event(session, event_id)
            return json_response(event_out(event, await service.price_of(session, event_id)))
        event = await service.get_published_event(session, event_id)
        price = await service.price_of(session, event_id)
    body = public_event_out(event, price).model_dump_json(by_alias=True).encode()
    if max_age > 0:
        public_event_cache.put(event_id, body)
    return Response(body, media_type="application/json")


@router.put("/{eventId}", response_model=EventOut)
async def update_event(
    event_id: EventId, body: EventUpdate, caller: Editor, ctx: Ctx, session: Session, ip: ClientIp
) -> EventOut:
    event = await service.update_event(session, event_id, body, _actor(caller, ip))
    price_changed = bool(body.model_fields_set & PRICE_FIELDS)
    renamed = "title" in body.model_fields_set
    if await event_saved.call(ctx, event_id, price_changed=price_changed, renamed=renamed):
        await session.refresh(event)
    return event_out(event, await service.price_of(session, event_id))


@router.delete("/{eventId}", status_code=status.HTTP_204_NO_CONTENT)
async def delete_event(event_id: EventId, caller: AdminUser, session: Session, ip: ClientIp) -> Response:
    await service.delete_event(session, event_id, _actor(caller, ip))
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post("/{eventId}/transitions", response_model=EventOut)
async def transition_event(
    event_id: EventId, body: TransitionRequest, caller: Editor, session: Session, ip: ClientIp
) -> EventOut:
    event = await service.transition(session, event_id, body.to, _actor(caller, ip))
    return event_out(event, await service.price_of(session, event_id))


@router.get("/{eventId}/automation", response_model=ItemList[AutomationEntryOut])
async def event_automation(event_id: EventId, _: Editor, session: Session) -> ItemList[AutomationEntryOut]:
    await service.get_event(session, event_id)
    entries = await automation_service.list_for_event(session, event_id)
    return ItemList[AutomationEntryOut](items=[AutomationEntryOut.model_validate(e) for e in entries])


@router.get("/{eventId}/audit", response_model=ItemList[AuditEntryOut])
async def event_audit(event_id: EventId, _: Editor, session: Session) -> ItemList[AuditEntryOut]:
    await service.get_event(session, event_id)
    entries = await audit_service.list_for_entity(session, "event", event_id)
    return ItemList[AuditEntryOut](items=[AuditEntryOut.model_validate(e) for e in entries])
