"""A full refund reaches every remembered access check at once, with the default recheck interval (15 s): the
very next telemetry post of each device the payment opened is refused, and a live-stats stream opened with the
viewer's token ends with the refusal. (Across instances: test_refund_across_instances.py.)"""

from __future__ import annotations

from typing import Any, cast

import httpx
import pytest

from golive.engagement.analytics.runtime import AnalyticsRuntime
from golive.platform.context import AppContext
from golive.platform.settings import Settings
from tests.commerce.support import CARD, only_payment, paid_viewer, refund
from tests.commerce.test_purchase_reentry import restore
from tests.engagement.analytics.conftest import Player, heartbeat
from tests.support import AdminLogin, Factory, new_client_viewer_id, sse_events

pytestmark = pytest.mark.usefixtures("loopback")


@pytest.fixture
def settings(settings: Settings) -> Settings:
    default = Settings.model_fields["playback_access_recheck_seconds"].default
    assert default >= 15  # a remembered check would otherwise let posts through for this long
    return settings.model_copy(update={"playback_access_recheck_seconds": default})


async def two_playing_devices(factory: Factory, owner: AdminLogin, client: httpx.AsyncClient) -> list[Player]:
    """Device A paid; device B proved the payer's email. Both play, and each has just been let through (their
    access checks are fresh): the payment, then A and B."""
    bought = await paid_viewer(factory, owner, client)
    event_id = bought["event"]["eventId"]
    phone = new_client_viewer_id()
    await factory.register(event_id, phone)
    b = await restore(factory, event_id, phone, CARD["email"])
    players = [Player(client, event_id, answer["token"], answer["viewerId"]) for answer in (bought, b)]
    for player in players:
        assert (await player.open()).status_code == 201
        assert (await player.send(heartbeat(1, 1))).status_code == 202
    return players


def assert_revoked(response: httpx.Response) -> None:
    assert response.status_code == 403, response.text
    error = response.json()["error"]
    assert error["code"] == "not_admitted" and error["details"]["reason"] == "revoked"


async def test_a_refund_refuses_the_very_next_telemetry_post_of_every_device(
    factory: Factory, owner: AdminLogin, client: httpx.AsyncClient, app_ctx: AppContext
) -> None:
    a, b = await two_playing_devices(factory, owner, client)
    payment = await only_payment(app_ctx, a.viewer_id)

    assert (await refund(client, owner, payment.payment_id)).status_code == 200

    for player in (a, b):  # well inside the 15 s either check would otherwise still be trusted
        assert_revoked(await player.send(heartbeat(2, 2)))


async def test_a_live_stats_stream_opened_with_the_token_ends_at_the_refund_with_the_reason(
    factory: Factory, owner: AdminLogin, client: httpx.AsyncClient, app_ctx: AppContext, settings: Settings
) -> None:
    bought = await paid_viewer(factory, owner, client)
    event_id = bought["event"]["eventId"]
    payment = await only_payment(app_ctx, bought["viewerId"])
    url = f"{settings.base_url}/api/events/{event_id}/live-stats"
    seen: list[str] = []
    # no read may wait for the 15 s recheck (plus the 10 s recount): the refusal must come at the refund
    async with (
        httpx.AsyncClient(timeout=httpx.Timeout(10)) as http,
        http.stream("GET", url, params={"token": bought["token"]}) as stream,
    ):
        assert stream.status_code == 200
        async for name, data in sse_events(stream.aiter_lines()):
            seen.append(name)
            if name == "viewers" and len(seen) == 1:
                assert (await refund(client, owner, payment.payment_id)).status_code == 200
            elif name == "refused":
                assert data["status"] == 403
                assert data["error"]["code"] == "not_admitted"
                assert data["error"]["details"]["reason"] == "revoked"
                assert "refund" in data["error"]["message"]
    assert seen[0] == "viewers" and seen[-1] == "refused"  # ... and the stream ended there


async def test_a_refund_leaves_every_other_viewers_check_remembered(
    factory: Factory, owner: AdminLogin, client: httpx.AsyncClient, app_ctx: AppContext, app: Any
) -> None:
    """Only the refunded payment's devices decide again: the other viewers' heartbeats stay free of reads."""
    a, _ = await two_playing_devices(factory, owner, client)
    other, _ = await two_playing_devices(factory, owner, client)
    checks = cast(AnalyticsRuntime, app.state.analytics).ingest.access
    payment = await only_payment(app_ctx, a.viewer_id)

    assert (await refund(client, owner, payment.payment_id)).status_code == 200

    assert not checks.fresh(a.viewer_id)
    assert checks.fresh(other.viewer_id)
    assert (await other.send(heartbeat(2, 2))).status_code == 202
