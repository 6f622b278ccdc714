"""Demo content for `make run`: an owner account and a few events that show each kind of gate."""

from __future__ import annotations

from datetime import timedelta

from golive.admins import service as admins
from golive.admins.models import AdminRole
from golive.context import AppContext
from golive.db import utcnow
from golive.events import service as events
from golive.events.models import AccessType, EventStatus, EventType
from golive.events.schemas import EventCreate, FormField, FormFieldType
from golive.events.service import Actor

DEMO_EMAIL = "demo@golive.local"


async def ensure_demo(ctx: AppContext, password: str) -> tuple[str, str | None, bool]:
    """Returns (email, password if just created, created)."""
    async with ctx.db.sessionmaker() as session:
        if await admins.get_admin_by_email(session, DEMO_EMAIL) is not None:
            return DEMO_EMAIL, None, False
        admin = await admins.create_admin(
            session, email=DEMO_EMAIL, password=password, name="Demo Owner", role=AdminRole.OWNER
        )
        actor = Actor(kind="admin", id=admin.admin_id)
        now = utcnow()
        welcome = await events.create_event(
            session,
            EventCreate(
                title="Welcome to GoLive",
                description="An on-demand video anyone can watch. **Upload a video** in the admin console.",
                event_type=EventType.VOD,
                access_type=AccessType.ANONYMOUS,
            ),
            actor,
        )
        await events.transition(session, welcome.event_id, EventStatus.SCHEDULED, actor)
        await events.transition(session, welcome.event_id, EventStatus.LIVE, actor)
        await events.create_event(
            session,
            EventCreate(
                title="Product launch (live)",
                description="Register to join the live launch.",
                event_type=EventType.LIVE,
                access_type=AccessType.FORM,
                scheduled_start=now + timedelta(days=2),
                scheduled_end=now + timedelta(days=2, hours=1),
                form_fields=[
                    FormField(name="name", label="Full name", type=FormFieldType.TEXT, required=True),
                    FormField(name="email", label="Work email", type=FormFieldType.EMAIL, required=True),
                    FormField(
                        name="role",
                        label="Your role",
                        type=FormFieldType.SELECT,
                        options=["Engineering", "Marketing", "Other"],
                    ),
                ],
            ),
            actor,
        )
        masterclass = await events.create_event(
            session,
            EventCreate(
                title="Masterclass (paid)",
                description=(
                    "A paid masterclass: 12.00 USD. Payments use the built-in **test provider**: on its checkout "
                    "page, card `4242 4242 4242 4242` pays, `4000 0000 0000 0002` is declined, and "
                    "`4000 0000 0000 0077` is confirmed a few seconds later (any future expiry, any CVC)."
                ),
                event_type=EventType.VOD,
                access_type=AccessType.ANONYMOUS,
                is_paid_event=True,
                price_amount=1200,
                currency="USD",
            ),
            actor,
        )
        await events.transition(session, masterclass.event_id, EventStatus.SCHEDULED, actor)
        await events.transition(session, masterclass.event_id, EventStatus.LIVE, actor)
        return DEMO_EMAIL, password, True
