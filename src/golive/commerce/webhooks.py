"""Reading a provider's webhook: the signature (Stripe's scheme, checked by the stripe library), then
what the event says about one of our payments, in provider-neutral terms."""

from __future__ import annotations

import enum
import time
from dataclasses import dataclass, replace
from typing import Any

import stripe

from golive.access.forms import normalize_email
from golive.platform.errors import BadRequest

# A sender's clock may run a little ahead of ours (the same allowance as for our own tokens); no more.
FUTURE_TOLERANCE_SECONDS = 60


class ChangeKind(enum.StrEnum):
    CHECKOUT_PAID = "checkout_paid"  # checkout.session.completed, payment_status paid
    CHECKOUT_PROCESSING = "checkout_processing"  # checkout.session.completed, an async method still settling
    ASYNC_SUCCEEDED = "async_succeeded"  # checkout.session.async_payment_succeeded
    PAYMENT_FAILED = "payment_failed"  # payment_intent.payment_failed, checkout.session.async_payment_failed
    CHECKOUT_EXPIRED = "checkout_expired"  # checkout.session.expired
    REFUNDED = "refunded"  # charge.refunded (amount_refunded is the charge's running total)


HANDLED_TYPES = frozenset(
    {
        "checkout.session.completed",
        "checkout.session.async_payment_succeeded",
        "checkout.session.async_payment_failed",
        "checkout.session.expired",
        "payment_intent.payment_failed",
        "charge.refunded",
    }
)


@dataclass(frozen=True)
class PaymentChange:
    kind: ChangeKind
    payment_id: str | None = None
    session_id: str | None = None
    payment_intent_id: str | None = None
    customer_id: str | None = None
    customer_email: str | None = None
    amount: int | None = None
    currency: str | None = None
    failure_reason: str | None = None
    amount_refunded: int | None = None
    ends_checkout: bool = False  # the checkout session itself is over (not a declined card it may retry)


@dataclass(frozen=True)
class VerifiedEvent:
    event_id: str
    event_type: str
    change: PaymentChange | None  # None: a type we do not act on


def verify_event(payload: bytes, signature: str | None, secret: str | None, tolerance: int) -> VerifiedEvent:
    """400 for an unsigned, tampered, stale or malformed event; nothing is read before the signature holds."""
    try:
        event = stripe.Webhook.construct_event(payload, signature, secret, tolerance)
    except stripe.SignatureVerificationError as exc:
        raise BadRequest(
            "The webhook signature is missing, wrong or too old", code="invalid_signature", details={"reason": str(exc)}
        ) from exc
    except (ValueError, TypeError, AttributeError, UnicodeDecodeError) as exc:
        raise BadRequest("The webhook body is not a provider event", code="malformed_event") from exc
    if _signed_at(signature) > time.time() + FUTURE_TOLERANCE_SECONDS:
        # Stripe's library refuses only old signatures: one dated ahead would stay replayable until then.
        raise BadRequest(
            "The webhook signature is missing, wrong or too old",
            code="invalid_signature",
            details={"reason": f"Timestamp more than {FUTURE_TOLERANCE_SECONDS} s in the future"},
        )
    data = event.to_dict()
    event_id, event_type = data.get("id"), data.get("type")
    obj = (data.get("data") or {}).get("object") if isinstance(data.get("data"), dict) else None
    if not isinstance(event_id, str) or not event_id or len(event_id) > 255 or not isinstance(event_type, str):
        raise BadRequest("The webhook event has no id or type", code="malformed_event")
    if event_type in HANDLED_TYPES and not isinstance(obj, dict):
        raise BadRequest("The webhook event has no data.object", code="malformed_event")
    change = interpret(event_type, obj) if isinstance(obj, dict) else None
    return VerifiedEvent(event_id=event_id, event_type=event_type[:100], change=change)


def _signed_at(signature: str | None) -> int:
    """The `t=` of a signature header the stripe library has already verified (so it is there and numeric)."""
    for item in (signature or "").split(","):
        key, _, value = item.strip().partition("=")
        if key == "t" and value.isdigit():
            return int(value)
    return 0


def _text(value: Any, limit: int = 255) -> str | None:
    return value[:limit] if isinstance(value, str) and value else None


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _ref(value: Any) -> str | None:
    """A reference that may be expanded into an object ({"id": ...}) or left as its id."""
    if isinstance(value, dict):
        value = value.get("id")
    return _text(value)


def _metadata_payment(obj: dict[str, Any]) -> str | None:
    metadata = obj.get("metadata")
    found = metadata.get("paymentId") if isinstance(metadata, dict) else None
    return _text(found, 40) or _text(obj.get("client_reference_id"), 40)


def _email(value: object) -> str | None:
    """Normalized like the addresses viewers give, so a payer is found again by the email they paid with."""
    text = _text(value, 254)
    if text is None:
        return None
    try:
        return normalize_email(text)
    except ValueError:
        return None


def _session_change(kind: ChangeKind, obj: dict[str, Any]) -> PaymentChange:
    details = obj.get("customer_details")
    email = details.get("email") if isinstance(details, dict) else None
    return PaymentChange(
        kind=kind,
        payment_id=_metadata_payment(obj),
        session_id=_text(obj.get("id")),
        payment_intent_id=_ref(obj.get("payment_intent")),
        customer_id=_ref(obj.get("customer")),
        customer_email=_email(email or obj.get("customer_email")),
        amount=_int(obj.get("amount_total")),
        currency=_text(obj.get("currency"), 3),
    )


def _declined_card_email(error: object) -> object:
    """The email on the declined card's billing details (Checkout puts the payer's address there)."""
    method = error.get("payment_method") if isinstance(error, dict) else None
    billing = method.get("billing_details") if isinstance(method, dict) else None
    return billing.get("email") if isinstance(billing, dict) else None


def interpret(event_type: str, obj: dict[str, Any]) -> PaymentChange | None:
    match event_type:
        case "checkout.session.completed":
            paid = obj.get("payment_status") in ("paid", "no_payment_required")
            return _session_change(ChangeKind.CHECKOUT_PAID if paid else ChangeKind.CHECKOUT_PROCESSING, obj)
        case "checkout.session.async_payment_succeeded":
            return _session_change(ChangeKind.ASYNC_SUCCEEDED, obj)
        case "checkout.session.async_payment_failed":
            change = _session_change(ChangeKind.PAYMENT_FAILED, obj)
            return replace(change, failure_reason="The payment did not go through", ends_checkout=True)
        case "checkout.session.expired":
            return _session_change(ChangeKind.CHECKOUT_EXPIRED, obj)
        case "payment_intent.payment_failed":
            error = obj.get("last_payment_error")
            reason = error.get("message") if isinstance(error, dict) else None
            return PaymentChange(
                kind=ChangeKind.PAYMENT_FAILED,
                payment_id=_metadata_payment(obj),
                payment_intent_id=_text(obj.get("id")),
                customer_email=_email(_declined_card_email(error) or obj.get("receipt_email")),
                failure_reason=_text(reason, 500) or "The payment was declined",
            )
        case "charge.refunded":
            return PaymentChange(
                kind=ChangeKind.REFUNDED,
                payment_id=_metadata_payment(obj),
                payment_intent_id=_ref(obj.get("payment_intent")),
                amount=_int(obj.get("amount")),
                currency=_text(obj.get("currency"), 3),
                amount_refunded=_int(obj.get("amount_refunded")),
            )
    return None
