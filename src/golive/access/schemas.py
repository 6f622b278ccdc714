"""Viewer admission and the registrations list on the wire."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import Field

from golive.access.models import DeviceType, PaymentStatus
from golive.events.models import AccessType
from golive.platform.schemas import CamelModel, InputModel

CLIENT_VIEWER_ID_PATTERN = r"^[A-Za-z0-9_-]{8,128}$"
EVENT_ID_PATTERN = r"^[A-Za-z0-9_-]{1,64}$"


class RegistrationRequest(InputModel):
    """One call for every gate: which fields are expected depends on the event's accessType."""

    event_id: str = Field(pattern=EVENT_ID_PATTERN)
    client_viewer_id: str = Field(
        pattern=CLIENT_VIEWER_ID_PATTERN,
        description="This browser's id (localStorage): 8-128 characters of A-Z a-z 0-9 _ -",
    )
    form_data: dict[str, Any] | None = Field(
        default=None,
        max_length=50,
        description="form events: one value per form field (text, number, or true/false for checkboxes)",
    )
    password: str | None = Field(default=None, min_length=1, max_length=128)
    email: str | None = Field(
        default=None,
        min_length=3,
        max_length=254,
        description=(
            "email events (and re-entry on a new device of form events): where the code goes. A deliverable "
            "address: special-use and reserved domains (RFC 2606/6761: localhost, .test, .invalid, .local, "
            ".example, ...) and domains without a dot are refused with 422"
        ),
    )
    code: str | None = Field(default=None, pattern=r"^\d{6}$", description="the 6-digit code from the email")
    return_path: str | None = Field(
        default=None,
        pattern=r"^/(e|embed)/[A-Za-z0-9_-]{1,64}$",
        description="the page the emailed link opens: /e/{eventId} (default) or /embed/{eventId}",
    )


class RegistrationResponse(CamelModel):
    viewer_id: str
    token: str | None = Field(description="the viewer access token, only once accessVerified is true")
    access_verified: bool
    payment_status: PaymentStatus
    is_paid_viewer: bool
    requires_payment: bool
    checkout_url: str | None
    code_sent: bool


class RegistrationOut(CamelModel):
    """A person as admins see them in the registrations list: their devices folded into one entry (the
    identity and answers of their first device; access, payment and counters over all of them)."""

    viewer_id: str
    client_viewer_id: str
    email: str | None
    name: str | None
    access_mode: AccessType
    form_data: dict[str, Any]
    access_verified: bool
    is_paid_viewer: bool
    payment_status: PaymentStatus
    device_type: DeviceType
    ip_address: str | None
    first_join_at: datetime
    last_join_at: datetime
    total_sessions: int
    total_watch_time: int
    device_count: int = Field(description="the browsers this person joined from (one row each)")
