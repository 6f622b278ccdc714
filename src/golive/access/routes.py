"""POST /api/registrations (viewer admission through every gate) and the admins' registrations list."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import StreamingResponse

from golive.access import admission as service
from golive.access import registrations
from golive.access.admission import Admission, Visitor
from golive.access.models import PaymentStatus
from golive.access.registrants import RegistrationFilter
from golive.access.schemas import RegistrationOut, RegistrationRequest, RegistrationResponse
from golive.access.signed_in import SignedInViewer
from golive.events.models import AccessType
from golive.identity.accounts.auth import account_if_signed_in
from golive.identity.staff.auth import Editor
from golive.platform.context import AppContext
from golive.platform.csv_export import ExportFormat
from golive.platform.deps import Ctx, EventId, Session, client_ip_of
from golive.platform.schemas import ErrorResponse, Page, json_response

router = APIRouter(tags=["viewers"])


REGISTRATION_RESPONSES: dict[int | str, dict[str, Any]] = {
    503: {"model": ErrorResponse, "description": "The email with the code could not be sent; retry later"},
}
CSV_RESPONSE: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "JSON page, or with ?format=csv every matching viewer as a CSV file",
        "content": {"text/csv": {"schema": {"type": "string"}}},
    }
}


def registration_response(admission: Admission) -> RegistrationResponse:
    return RegistrationResponse(
        viewer_id=admission.viewer.viewer_id,
        token=admission.token,
        access_verified=admission.access_verified,
        payment_status=admission.payment.payment_status,
        is_paid_viewer=admission.payment.is_paid_viewer,
        requires_payment=admission.overlay.requires_payment,
        checkout_url=admission.overlay.checkout_url,
        code_sent=admission.code_sent,
    )


@router.post(
    "/api/registrations",
    response_model=RegistrationResponse,
    responses=REGISTRATION_RESPONSES,
    description=(
        "Admission through the event's gate. With only eventId and clientViewerId it is the re-entry check; "
        "form events take formData, password events a password, email events an email (sends a code) and "
        "then email + code. Form events also take email (+ code) to re-enter on a new device."
    ),
)
async def register(body: RegistrationRequest, request: Request, ctx: Ctx) -> Response:
    """Declares the endpoint (OpenAPI, the validation errors); AdmissionLane serves the valid calls."""
    return await admit(ctx, body, request)


async def admit(ctx: AppContext, body: RegistrationRequest, request: Request) -> Response:
    signed = await account_if_signed_in(ctx, request)
    visitor = Visitor(
        ip=client_ip_of(request),
        user_agent=request.headers.get("user-agent", ""),
        account=SignedInViewer.of(signed) if signed is not None else None,
    )
    admission = await service.admit(ctx, body, visitor)
    return json_response(registration_response(admission))


@router.get(
    "/api/events/{eventId}/registrations",
    response_model=Page[RegistrationOut],
    responses=CSV_RESPONSE,
)
async def list_registrations(
    event_id: EventId,
    _: Editor,
    ctx: Ctx,
    session: Session,
    access_mode: Annotated[AccessType | None, Query(alias="accessMode")] = None,
    payment_status: Annotated[PaymentStatus | None, Query(alias="paymentStatus")] = None,
    access_verified: Annotated[bool | None, Query(alias="accessVerified")] = None,
    q: Annotated[str | None, Query(max_length=120, description="part of the email or name")] = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
    format_: Annotated[ExportFormat, Query(alias="format")] = ExportFormat.JSON,
) -> Response:
    filters = RegistrationFilter(
        access_mode=access_mode,
        payment_status=payment_status,
        access_verified=access_verified,
        q=q,
        limit=limit,
        offset=offset,
    )
    if format_ == ExportFormat.CSV:
        filename, rows = await registrations.registrations_csv(ctx, event_id, filters)
        return StreamingResponse(
            rows,
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="{filename}"'},
        )
    viewers, total = await registrations.list_registrations(session, event_id, filters)
    page = Page[RegistrationOut](
        items=[RegistrationOut.model_validate(v) for v in viewers], total=total, limit=limit, offset=offset
    )
    return json_response(page)
