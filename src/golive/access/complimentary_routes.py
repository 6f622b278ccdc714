"""Complimentary access to an event (admins): grant an address, list the grants (JSON or CSV), revoke one."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Response, status
from fastapi.responses import StreamingResponse

from golive.access import complimentary as service
from golive.access.grant_schemas import ComplimentaryGrantCreate, ComplimentaryGrantOut, grant_out
from golive.audit.actor import Actor
from golive.identity.staff.auth import AdminUser, Editor
from golive.platform.csv_export import ExportFormat
from golive.platform.deps import ClientIp, Ctx, EventId, Session
from golive.platform.schemas import ItemList, json_response

router = APIRouter(prefix="/api/events/{eventId}/grants", tags=["complimentary access"])

GrantId = Annotated[str, Path(alias="grantId", min_length=1, max_length=40)]
CSV_RESPONSE: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "The grants, or with ?format=csv every grant as a CSV file",
        "content": {"text/csv": {"schema": {"type": "string"}}},
    }
}


@router.post(
    "",
    response_model=ComplimentaryGrantOut,
    status_code=status.HTTP_201_CREATED,
    description=(
        "Free access to the event for an email address, whatever its gate and price (admins and owners). "
        "The person is emailed; on any device they prove the address with an emailed code and watch. "
        "Granting an address that holds a grant renews it with the new validUntil."
    ),
)
async def grant_access(
    event_id: EventId, body: ComplimentaryGrantCreate, caller: AdminUser, ctx: Ctx, ip: ClientIp
) -> Response:
    actor = Actor(kind="admin", id=caller.admin.admin_id, ip=ip)
    grant = await service.grant_access(ctx, event_id, body.email, body.valid_until, actor)
    return json_response(grant_out(grant), status_code=status.HTTP_201_CREATED)


@router.get("", response_model=ItemList[ComplimentaryGrantOut], responses=CSV_RESPONSE)
async def list_grants(
    event_id: EventId,
    _: Editor,
    ctx: Ctx,
    session: Session,
    format_: Annotated[ExportFormat, Query(alias="format")] = ExportFormat.JSON,
) -> Response:
    if format_ == ExportFormat.CSV:
        filename, rows = await service.grants_csv(ctx, event_id)
        return StreamingResponse(
            rows,
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="{filename}"'},
        )
    grants = await service.list_grants(session, event_id)
    return json_response(ItemList[ComplimentaryGrantOut](items=[grant_out(g) for g in grants]))


@router.delete(
    "/{grantId}",
    response_model=ComplimentaryGrantOut,
    description="Revokes the grant and every device that proved the address, at once (admins and owners).",
)
async def revoke_access(event_id: EventId, grant_id: GrantId, caller: AdminUser, ctx: Ctx, ip: ClientIp) -> Response:
    actor = Actor(kind="admin", id=caller.admin.admin_id, ip=ip)
    return json_response(grant_out(await service.revoke_access(ctx, event_id, grant_id, actor)))
