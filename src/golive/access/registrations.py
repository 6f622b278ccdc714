"""The registrations list of an event (admins): people, not rows, as JSON pages or one CSV file."""

from __future__ import annotations

from collections.abc import AsyncIterator

from sqlalchemy.ext.asyncio import AsyncSession

from golive.access import registrants
from golive.access.registrants import Registrant, RegistrationFilter
from golive.events import service as events_service
from golive.events.models import Event
from golive.platform.context import AppContext
from golive.platform.csv_export import stream_csv

CSV_COLUMNS = (
    ("viewerId", "viewer_id"),
    ("clientViewerId", "client_viewer_id"),
    ("email", "email"),
    ("name", "name"),
    ("accessMode", "access_mode"),
    ("accessVerified", "access_verified"),
    ("paymentStatus", "payment_status"),
    ("isPaidViewer", "is_paid_viewer"),
    ("deviceType", "device_type"),
    ("ipAddress", "ip_address"),
    ("firstJoinAt", "first_join_at"),
    ("lastJoinAt", "last_join_at"),
    ("totalSessions", "total_sessions"),
    ("totalWatchTime", "total_watch_time"),
    ("deviceCount", "device_count"),
)
# Spreadsheets run cells that start with these as formulas (CSV injection).


async def list_registrations(
    session: AsyncSession, event_id: str, filters: RegistrationFilter
) -> tuple[list[Registrant], int]:
    """People, not rows: a person's devices are folded into one entry (with how many there are)."""
    await _existing_event(session, event_id)
    return await registrants.list_registrants(session, event_id, filters)


async def _existing_event(session: AsyncSession, event_id: str) -> Event:
    return await events_service.get_event(session, event_id)


async def registrations_csv(
    ctx: AppContext, event_id: str, filters: RegistrationFilter
) -> tuple[str, AsyncIterator[str]]:
    """The file name and the rows of every matching viewer (pagination ignored), one column per form field."""
    async with ctx.db.sessionmaker() as session:
        event = await _existing_event(session, event_id)
    form_names = [str(f["name"]) for f in event.form_fields]

    async def batches() -> AsyncIterator[list[list[object]]]:
        async with ctx.db.sessionmaker() as session:
            async for batch in registrants.iter_registrants(session, event_id, filters):
                yield [
                    [getattr(viewer, attribute) for _, attribute in CSV_COLUMNS]
                    + [viewer.form_data.get(name) for name in form_names]
                    for viewer in batch
                ]

    header = [*(wire for wire, _ in CSV_COLUMNS), *(f"formData.{name}" for name in form_names)]
    return f"registrations-{event_id}.csv", stream_csv(header, batches())
