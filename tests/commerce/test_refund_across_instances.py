"""A refund made on one app instance reaches the access checks another instance remembers (they share Redis):
the very next telemetry post there of each device the payment opened is refused, with the default interval."""

from __future__ import annotations

import asyncio
import time

import pytest

from golive.platform.context import AppContext
from golive.platform.settings import Settings
from tests.commerce.support import only_payment, refund
from tests.commerce.test_refund_reaches_every_cache import assert_revoked, two_playing_devices
from tests.engagement.analytics.conftest import heartbeat
from tests.engagement.analytics.test_live_counters import Instance, redis_url, two_instances
from tests.support import AdminLogin, Factory

__all__ = ["redis_url", "two_instances"]  # the fixtures this module uses

pytestmark = pytest.mark.usefixtures("loopback")


@pytest.fixture
def settings(settings: Settings, redis_url: str) -> Settings:
    """The test's own app (the one the local provider's refund webhook reaches) is an instance on Redis too."""
    default = Settings.model_fields["playback_access_recheck_seconds"].default
    return settings.model_copy(update={"redis_url": redis_url, "playback_access_recheck_seconds": default})


async def test_a_refund_on_one_instance_refuses_the_next_post_on_another(
    factory: Factory, owner: AdminLogin, app_ctx: AppContext, two_instances: tuple[Instance, Instance]
) -> None:
    first, second = two_instances
    a, b = await two_playing_devices(factory, owner, second.http)  # both play through the second instance
    payment = await only_payment(app_ctx, a.viewer_id)
    checks = second.runtime.ingest.access
    assert checks.fresh(a.viewer_id) and checks.fresh(b.viewer_id)

    # the admin's request reaches the first instance; the provider's webhook, the test's own app
    assert (await refund(first.http, owner, payment.payment_id)).status_code == 200

    deadline = time.monotonic() + 5  # Redis's delivery, not the 15 s recheck
    while checks.fresh(a.viewer_id) or checks.fresh(b.viewer_id):
        assert time.monotonic() < deadline, "the second instance never heard of the refund"
        await asyncio.sleep(0.02)
    for player in (a, b):
        assert_revoked(await player.send(heartbeat(2, 2)))
