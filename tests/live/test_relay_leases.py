"""The relay's lease in the row, on both databases: one instance wins a lapsed lease, the loser and the old owner
learn why they must stop, and a stop recorded by another instance ends the owner's lease."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import httpx
from sqlalchemy import update

from golive.live.ingest import relay_leases
from golive.live.models import IngestState, LiveInput
from golive.live.publishing import RELAY_TAKEN_OVER, renew_lease
from golive.live.service import lease_seconds
from golive.platform.context import AppContext
from golive.platform.db import utcnow
from tests.support import AdminLogin, Factory

PUBLISHER = "hook:127.0.0.1:7"


async def _relayed_input(app_ctx: AppContext, client: httpx.AsyncClient, factory: Factory, owner: AdminLogin) -> str:
    """A live input pulled by instance "a" whose last renewal is older than the lease (instance "a" died)."""
    event = await factory.event(owner, eventType="live")
    response = await client.get(f"/api/events/{event['eventId']}/live-input", headers=owner.headers)
    assert response.status_code == 200, response.text
    seen = utcnow() - timedelta(seconds=lease_seconds(app_ctx.settings) + 5)
    async with app_ctx.db.sessionmaker() as session:
        live_input_id = await session.scalar(
            update(LiveInput)
            .where(LiveInput.event_id == event["eventId"])
            .values(
                state=IngestState.CONNECTED,
                publisher_id=PUBLISHER,
                publisher_seen_at=seen,
                relay_owner="a",
                relay_url="rtmp://127.0.0.1:1935/live",
            )
            .returning(LiveInput.live_input_id)
        )
        await session.commit()
    assert live_input_id is not None
    return live_input_id


async def test_one_instance_wins_a_lapsed_relay_and_the_old_owner_is_told(
    app_ctx: AppContext, client: httpx.AsyncClient, factory: Factory, owner: AdminLogin
) -> None:
    live_input_id = await _relayed_input(app_ctx, client, factory, owner)
    claims_b, claims_c = await asyncio.gather(
        relay_leases.take_over_relays(app_ctx, "b"), relay_leases.take_over_relays(app_ctx, "c")
    )
    winners = [node for node, claims in (("b", claims_b), ("c", claims_c)) if claims]
    assert len(winners) == 1
    (claim,) = claims_b or claims_c
    assert (claim.publisher_id, claim.grant.live_input_id, claim.grant.fresh) == (PUBLISHER, live_input_id, False)
    async with app_ctx.db.sessionmaker() as session:
        live_input = await session.get(LiveInput, live_input_id)
        assert live_input is not None
        digest = live_input.stream_key_digest
        assert live_input.relay_owner == winners[0] and live_input.state == IngestState.CONNECTED

    # the old owner, back from a long pause, may not renew: another instance pulls the stream now
    assert await renew_lease(app_ctx.db, live_input_id, PUBLISHER, digest, {}, None, relay_owner="a") == (
        RELAY_TAKEN_OVER
    )
    assert await renew_lease(app_ctx.db, live_input_id, PUBLISHER, digest, {}, None, relay_owner=winners[0]) is None
    # nothing left to take over while the winner renews
    assert await relay_leases.take_over_relays(app_ctx, "d") == []

    # on_publish_done reached another instance: the winner's next renewal fails with the reason
    assert await relay_leases.record_publish_done(app_ctx.db, PUBLISHER)
    lost = await renew_lease(app_ctx.db, live_input_id, PUBLISHER, digest, {}, None, relay_owner=winners[0])
    assert lost == "the encoder stopped publishing (nginx-rtmp)"
