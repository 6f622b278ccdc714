"""Complimentary access on the wire: what an admin sends and sees."""

from __future__ import annotations

from datetime import datetime

from pydantic import Field

from golive.access.complimentary import ComplimentaryGrant, GrantStatus
from golive.events.schemas import UtcDatetime
from golive.platform.schemas import CamelModel, InputModel


class ComplimentaryGrantCreate(InputModel):
    email: str = Field(min_length=3, max_length=254, description="the address that may watch (normalized)")
    valid_until: UtcDatetime | None = Field(
        default=None, description="when the access ends (in the future); without it, it does not expire"
    )


class ComplimentaryGrantOut(CamelModel):
    grant_id: str
    email: str
    valid_until: datetime | None
    created_at: datetime
    created_by: str = Field(description='who granted it: "admin:<adminId>"')
    revoked_at: datetime | None
    status: GrantStatus
    claimed: bool = Field(description="a device has proved the address with the emailed code")
    device_count: int = Field(description="the devices that proved the address")


def grant_out(grant: ComplimentaryGrant) -> ComplimentaryGrantOut:
    return ComplimentaryGrantOut(
        grant_id=grant.grant_id,
        email=grant.email,
        valid_until=grant.valid_until,
        created_at=grant.created_at,
        created_by=grant.created_by,
        revoked_at=grant.revoked_at,
        status=grant.status,
        claimed=grant.claimed,
        device_count=grant.device_count,
    )
