"""The email log (admins and owners): every message the platform sent, filtered, exported, resent."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Response, status
from fastapi.responses import StreamingResponse

from golive.audit.actor import Actor
from golive.email import repository, service
from golive.email.export import emails_csv
from golive.email.models import EmailStatus
from golive.email.repository import EmailFilter, EmailView
from golive.email.schemas import EmailOut, EmailTypes, email_out
from golive.identity.staff.auth import AdminUser
from golive.platform.csv_export import ExportFormat
from golive.platform.deps import ClientIp, Ctx, Session
from golive.platform.schemas import Page, json_response

router = APIRouter(tags=["email"])

EmailId = Annotated[str, Path(alias="emailId", min_length=1, max_length=26)]
CSV_RESPONSE: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "JSON page, or with ?format=csv every matching email as a CSV file",
        "content": {"text/csv": {"schema": {"type": "string"}}},
    }
}


@router.get("/api/emails", response_model=Page[EmailOut], responses=CSV_RESPONSE)
async def list_emails(
    _: AdminUser,
    ctx: Ctx,
    session: Session,
    email_type: Annotated[str | None, Query(alias="type", min_length=1, max_length=100)] = None,
    email_status: Annotated[EmailStatus | None, Query(alias="status")] = None,
    recipient: Annotated[str | None, Query(max_length=254, description="part of the recipient's address")] = None,
    event_id: Annotated[str | None, Query(alias="eventId", min_length=1, max_length=64)] = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
    format_: Annotated[ExportFormat, Query(alias="format")] = ExportFormat.JSON,
) -> Response:
    """Newest first: access codes, receipts and refund notices, with their delivery status."""
    filters = EmailFilter(
        email_type=email_type,
        status=email_status,
        recipient=(recipient or "").strip() or None,
        event_id=event_id,
        limit=limit,
        offset=offset,
    )
    if format_ == ExportFormat.CSV:
        return StreamingResponse(
            emails_csv(ctx, filters),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": 'attachment; filename="emails.csv"'},
        )
    views, total = await repository.list_emails(session, filters)
    page = Page[EmailOut](items=[email_out(view) for view in views], total=total, limit=limit, offset=offset)
    return json_response(page)


@router.get("/api/emails/types", response_model=EmailTypes)
async def list_email_types(_: AdminUser, session: Session) -> Response:
    """The email types in the log, for a filter."""
    return json_response(EmailTypes(items=await repository.email_types(session)))


@router.post("/api/emails/{emailId}/resend", response_model=EmailOut, status_code=status.HTTP_201_CREATED)
async def resend_email(email_id: EmailId, caller: AdminUser, ctx: Ctx, session: Session, ip: ClientIp) -> Response:
    """Sends a copy now; the answer is the copy, `failed` with the relay's error when it did not leave."""
    actor = Actor(kind="admin", id=caller.admin.admin_id, ip=ip)
    row = await service.resend_email(ctx, email_id, actor)
    view = await repository.get_email_view(session, row.email_id) or EmailView(row, None)
    return json_response(email_out(view), status_code=status.HTTP_201_CREATED)
