"""The relay's lease: which instance pulls an nginx-rtmp stream, handed over or taken over between instances.

A relay's publisher (nginx's client) holds the live input's lease like an embedded one (`publisher_id`,
renewed in `publisher_seen_at`); `relay_owner` names the instance pulling it and `relay_url` where from.
An instance that dies stops renewing; once the lease lapses (GOLIVE_LIVE_LEASE_SECONDS) one other instance
wins a conditional UPDATE and pulls the stream again, continuing the broadcast. `relay_url` is cleared
when the encoder stopped, so nobody takes over a stream that ended.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update

from golive.automation import service as automation
from golive.automation.models import TriggerType
from golive.events.models import Event
from golive.live.models import IngestState, LiveInput
from golive.live.service import OVER, PublishGrant, lease_seconds, stream_key
from golive.platform.context import AppContext
from golive.platform.db import Database, utcnow
from golive.platform.settings import Settings

log = logging.getLogger("golive.live")


async def hand_over_relay(
    db: Database, settings: Settings, live_input_id: str, publisher_id: str, node: str, reason: str
) -> None:
    """This instance stops pulling a relay whose encoder still publishes (it shuts down): the lease is
    made lapsed now, so another instance takes it over on its next tick instead of after the lease."""
    async with db.sessionmaker() as session:
        now = utcnow()
        result = await session.execute(
            update(LiveInput)
            .where(
                LiveInput.live_input_id == live_input_id,
                LiveInput.publisher_id == publisher_id,
                LiveInput.relay_owner == node,
            )
            .values(publisher_seen_at=now - timedelta(seconds=lease_seconds(settings) + 1), updated_at=now)
            .execution_options(synchronize_session=False)
        )
        live_input = await session.get(LiveInput, live_input_id)
        if getattr(result, "rowcount", 0) == 1 and live_input is not None:
            automation.record(
                session,
                event_id=live_input.event_id,
                trigger=TriggerType.INGEST,
                action="ingest.handed_over",
                details={"reason": reason, "from": node},
            )
        await session.commit()


@dataclass(frozen=True)
class RelayClaim:
    """A relay this instance took over: the same publisher (nginx's client), pulled again from `relay_url`."""

    grant: PublishGrant
    publisher_id: str
    relay_url: str
    stream_key: str
    remote_addr: str


async def take_over_relays(ctx: AppContext, node: str, now: datetime | None = None) -> list[RelayClaim]:
    """nginx-rtmp streams whose puller stopped renewing (its instance died) while the encoder may still be
    publishing into nginx: one instance wins each (a conditional UPDATE) and continues the same broadcast."""
    now = now or utcnow()
    stale = now - timedelta(seconds=lease_seconds(ctx.settings))
    claims = []
    async with ctx.db.sessionmaker() as session:
        lapsed = await session.scalars(
            select(LiveInput)
            .join(Event, Event.event_id == LiveInput.event_id)
            .where(Event.status.not_in(list(OVER)), Event.deleted_at.is_(None))
            .where(
                LiveInput.state == IngestState.CONNECTED,
                LiveInput.relay_url.is_not(None),
                LiveInput.publisher_id.is_not(None),
                LiveInput.publisher_seen_at < stale,
            )
        )
        for live_input in list(lapsed):
            previous, publisher_id, relay_url = live_input.relay_owner, live_input.publisher_id, live_input.relay_url
            assert publisher_id is not None and relay_url is not None
            result = await session.execute(
                update(LiveInput)
                .where(
                    LiveInput.live_input_id == live_input.live_input_id,
                    LiveInput.publisher_id == publisher_id,
                    LiveInput.relay_url.is_not(None),
                    LiveInput.publisher_seen_at < stale,
                )
                .values(relay_owner=node, publisher_seen_at=now, updated_at=now)
                .execution_options(synchronize_session=False)
            )
            if getattr(result, "rowcount", 0) != 1:
                continue
            automation.record(
                session,
                event_id=live_input.event_id,
                trigger=TriggerType.INGEST,
                action="ingest.taken_over",
                details={"reason": "the instance pulling the stream stopped renewing", "from": previous, "to": node},
            )
            await session.commit()
            log.warning("live %s: took over the relay of %s (lease lapsed)", live_input.live_input_id, previous)
            grant = PublishGrant(live_input.live_input_id, live_input.event_id, live_input.stream_key_digest, False)
            claims.append(
                RelayClaim(grant, publisher_id, relay_url, stream_key(ctx, live_input), live_input.remote_addr or "")
            )
    return claims


async def record_publish_done(db: Database, publisher_id: str) -> bool:
    """on_publish_done reached an instance that does not pull the stream: the relay is over (its owner's next
    renewal fails, and nobody takes it over). True when the publisher held a lease."""
    async with db.sessionmaker() as session:
        result = await session.execute(
            update(LiveInput)
            .where(LiveInput.publisher_id == publisher_id, LiveInput.relay_url.is_not(None))
            .values(relay_url=None, updated_at=utcnow())
            .execution_options(synchronize_session=False)
        )
        await session.commit()
        return getattr(result, "rowcount", 0) == 1
