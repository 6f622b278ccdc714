"""What an admission call may send, checked before anything is written: the event admits viewers now, its
gate takes these inputs (and a paid event an email and code too), the email is an address."""

from __future__ import annotations

from golive.access.forms import normalize_email
from golive.access.gates import Gate
from golive.access.schemas import RegistrationRequest
from golive.events.models import AccessType, EventStatus
from golive.platform.errors import Conflict, NotFound, ValidationFailed

# Viewers may register before the start and watch the replay after the end.
ADMITTING_STATUSES = frozenset({EventStatus.SCHEDULED, EventStatus.LIVE, EventStatus.ENDED})
# The gate inputs each access type takes (wire names); anything else sent is refused.
GATE_INPUTS = {
    AccessType.ANONYMOUS: frozenset[str](),
    AccessType.FORM: frozenset({"formData", "email", "code"}),
    AccessType.PASSWORD: frozenset({"password"}),
    AccessType.EMAIL: frozenset({"email", "code"}),
    AccessType.ACCOUNT: frozenset[str](),  # the sign-in is the proof: an emailed code never stands in for it
}
# A paid event also takes an email and its code on every gate: a payer proves their purchase on a new device.
PURCHASE_REENTRY_INPUTS = frozenset({"email", "code"})


def check_admitting(gate: Gate) -> None:
    if gate.status == EventStatus.ARCHIVED:
        raise Conflict("This event is archived and no longer admits viewers", code="event_archived")
    if gate.status not in ADMITTING_STATUSES:
        raise NotFound("No such event", code="event_not_found", details={"eventId": gate.event_id})


def check_inputs_fit(gate: Gate, body: RegistrationRequest) -> None:
    sent = {"formData": body.form_data, "password": body.password, "email": body.email, "code": body.code}
    allowed = GATE_INPUTS[gate.access_type]
    if gate.access_type != AccessType.ACCOUNT and (gate.is_paid_event or gate.access_type == AccessType.PASSWORD):
        # payers and complimentary guests, on a new device
        allowed |= PURCHASE_REENTRY_INPUTS
    errors = {
        name: f"is not used by this event's gate ({gate.access_type.value})"
        for name, value in sent.items()
        if value is not None and name not in allowed
    }
    if body.code is not None and body.email is None:
        errors["email"] = "is required with a code"
    if body.form_data is not None and body.email is not None and "email" not in errors:
        errors["email"] = "send either formData (register) or email (re-enter on a new device), not both"
    if body.return_path is not None and not body.return_path.endswith(f"/{gate.event_id}"):
        errors["returnPath"] = f"must be /e/{gate.event_id} or /embed/{gate.event_id}"
    if errors:
        raise ValidationFailed("Some fields do not fit this event's gate", fields=errors)


def normalized_email(value: str | None) -> str | None:
    if value is None:
        return None
    try:
        return normalize_email(value)
    except ValueError as exc:
        raise ValidationFailed("The email address is not valid", fields={"email": str(exc)}) from exc
