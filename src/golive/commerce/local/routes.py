"""The local provider's hosted pages: GET shows the checkout, POST tries the card. Only while `local` is
the configured provider (with Stripe configured, test cards must open nothing)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from golive.commerce.local import checkout, page
from golive.commerce.local.cards import CardForm
from golive.commerce.local.provider import CHECKOUT_PATH, LOCAL
from golive.commerce.models import LocalSessionStatus
from golive.platform.deps import Ctx

router = APIRouter(prefix=CHECKOUT_PATH, include_in_schema=False)

SessionId = Annotated[str, Path(min_length=1, max_length=64)]
NO_STORE = {"Cache-Control": "no-store", "X-Frame-Options": "DENY", "Referrer-Policy": "no-referrer"}
MAX_FIELD = 200


def _html(body: str, status: int = 200) -> HTMLResponse:
    return HTMLResponse(body, status_code=status, headers=NO_STORE)


@router.get("/receipts/{charge_id}", response_model=None)
async def local_receipt(charge_id: SessionId, ctx: Ctx) -> Response:
    found = await checkout.receipt_for(ctx, charge_id)
    return _html(page.receipt(found)) if found is not None else _html(page.not_found(), 404)


@router.get("/{session_id}", response_model=None)
async def local_checkout_page(session_id: SessionId, ctx: Ctx) -> Response:
    session = await checkout.load_session(ctx, session_id) if ctx.settings.payment_provider == LOCAL else None
    if session is None:
        return _html(page.not_found(), 404)
    if session.status != LocalSessionStatus.OPEN:
        return _html(page.checkout_closed(session))
    return _html(
        page.checkout_form(session, action=f"{CHECKOUT_PATH}/{session_id}", email=session.customer_email or "")
    )


@router.post("/{session_id}", response_model=None)
async def local_checkout_pay(session_id: SessionId, request: Request, ctx: Ctx) -> Response:
    session = await checkout.load_session(ctx, session_id) if ctx.settings.payment_provider == LOCAL else None
    if session is None:
        return _html(page.not_found(), 404)
    if session.status != LocalSessionStatus.OPEN:
        return _html(page.checkout_closed(session), 409)
    form = await request.form()

    def field(name: str) -> str:
        value = form.get(name)
        return value.strip()[:MAX_FIELD] if isinstance(value, str) else ""

    card = CardForm(
        number=field("cardNumber"), expiry=field("cardExpiry"), cvc=field("cardCvc"), name=field("cardName")
    )
    result = await checkout.attempt_payment(ctx, session_id, field("email"), card)
    if result.attempt == checkout.Attempt.COMPLETED and result.redirect_url:
        return RedirectResponse(result.redirect_url, status_code=303)
    again = page.checkout_form(
        session,
        action=f"{CHECKOUT_PATH}/{session_id}",
        email=field("email"),
        number=card.number,
        expiry=card.expiry,
        name=card.name,
        errors=result.errors,
        alert=result.message,
    )
    return _html(again, 402 if result.attempt == checkout.Attempt.DECLINED else 422)
