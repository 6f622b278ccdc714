"""Demo content for `make run`: an owner account, a few events that show each kind of gate, and a short
video made on the spot (ffmpeg's test pattern, never stored in git) for "Welcome to GoLive"."""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from sqlalchemy import select

from golive.audit.actor import Actor
from golive.commerce import offers
from golive.commerce.offer_schemas import OfferIn, PriceIn
from golive.events import service as events
from golive.events.models import AccessType, Event, EventStatus, EventType
from golive.events.schemas import EventCreate, FormField, FormFieldType
from golive.identity.staff import service as admins
from golive.identity.staff.models import AdminRole
from golive.media import service as media
from golive.media.ffmpeg import find_tools
from golive.platform.context import AppContext
from golive.platform.db import utcnow
from golive.platform.errors import Conflict
from golive.site import service as site
from golive.site.schemas import SiteSettingsUpdate

DEMO_EMAIL = "demo@golive.local"
WELCOME_TITLE = "Welcome to GoLive"
# 720p makes the default ladder's three lower rungs (720p, 480p, 360p) in seconds
DEMO_VIDEO_SECONDS = 12
DEMO_VIDEO_SIZE = "1280x720"


@dataclass(frozen=True)
class DemoLogin:
    email: str
    password: str | None  # only when just created
    created: bool
    welcome_event_id: str | None  # None once an admin deleted it


async def ensure_demo(ctx: AppContext, password: str) -> DemoLogin:
    """The demo admin and events, created once; on later runs, what they are now."""
    async with ctx.db.sessionmaker() as session:
        existing = await admins.get_admin_by_email(session, DEMO_EMAIL)
        if existing is not None:
            welcome_id = await session.scalar(
                select(Event.event_id)
                .where(Event.created_by == existing.admin_id, Event.title == WELCOME_TITLE, Event.deleted_at.is_(None))
                .order_by(Event.created_at)
                .limit(1)
            )
            return DemoLogin(DEMO_EMAIL, None, False, welcome_id)
        admin = await admins.create_admin(
            session, email=DEMO_EMAIL, password=password, name="Demo Owner", role=AdminRole.OWNER
        )
        actor = Actor(kind="admin", id=admin.admin_id)
        now = utcnow()
        welcome = await events.create_event(
            session,
            EventCreate(
                title=WELCOME_TITLE,
                description="An on-demand video anyone can watch. **Upload your own** in the admin console.",
                event_type=EventType.VOD,
                access_type=AccessType.ANONYMOUS,
            ),
            actor,
        )
        await events.transition(session, welcome.event_id, EventStatus.SCHEDULED, actor)
        await events.transition(session, welcome.event_id, EventStatus.LIVE, actor)
        launch = await events.create_event(
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
            ),
            actor,
        )
        await events.transition(session, launch.event_id, EventStatus.SCHEDULED, actor)
        ticket = OfferIn(name="Ticket", prices=[PriceIn(amount=1200, currency="USD")])
        await offers.create_offer(session, masterclass.event_id, ticket, actor)  # the event's default price
        await events.transition(session, masterclass.event_id, EventStatus.SCHEDULED, actor)
        await events.transition(session, masterclass.event_id, EventStatus.LIVE, actor)
        home = SiteSettingsUpdate(
            hero_title="Live and on-demand video, on your own site",
            hero_subtitle="Watch the welcome video, register for the launch, or buy the masterclass.",
            hero_cta_text="Watch the welcome video",
            hero_cta_link=f"/e/{welcome.event_id}",
            featured_event_ids=[welcome.event_id, masterclass.event_id],
            about_content="This is the demo of **GoLive**: change this page under *Site* in the admin console.",
        )
        await site.save(session, home, actor)
        await session.commit()
        return DemoLogin(DEMO_EMAIL, password, True, welcome.event_id)


async def needs_video(ctx: AppContext, event_id: str) -> bool:
    """No ready video yet (never made, or an earlier run was interrupted or failed)."""
    async with ctx.db.sessionmaker() as session:
        try:
            await media.playable_asset(session, event_id)
        except Conflict:
            return True
    return False


def make_demo_video(target: Path) -> None:
    """A test pattern with a running clock and a tone, H.264/AAC, made by ffmpeg in a few seconds."""
    size, seconds = DEMO_VIDEO_SIZE, DEMO_VIDEO_SECONDS
    subprocess.run(
        [
            find_tools().ffmpeg, "-v", "error", "-y",
            "-f", "lavfi", "-i", f"testsrc2=size={size}:rate=25:duration={seconds}",
            "-f", "lavfi", "-i", f"sine=frequency=440:beep_factor=4:duration={seconds}",
            "-c:v", "libx264", "-preset", "veryfast", "-pix_fmt", "yuv420p",
            "-c:a", "aac", "-b:a", "96k", "-shortest", "-movflags", "+faststart", str(target),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )  # fmt: skip
