"""Payment jobs: Stripe setup of paid events (and its retries), and the local provider's deliveries,
delayed settlements and checkout expiry. Huey keeps them on disk (or in Redis): they survive restarts."""

from __future__ import annotations

import logging
from typing import Any

from huey import crontab

from golive.commerce import checkouts, provider_sync, receipts
from golive.commerce.local import checkout
from golive.commerce.local import provider as local
from golive.platform.context import AppContext
from golive.platform.jobs import huey, run_job
from golive.platform.settings import Settings

log = logging.getLogger("golive.commerce")

# Like a provider's retries: a delivery that fails is tried again for about an hour and a half.
DELIVERY_RETRIES = 12
DELIVERY_RETRY_SECONDS = 30
RENAME_RETRIES = 5
RENAME_RETRY_SECONDS = 120


class WebhookNotDelivered(Exception):
    """Raised so Huey schedules the next retry."""


@huey.task()
def set_up_sale(event_id: str) -> None:
    run_job(lambda ctx: provider_sync.provision_sale(ctx, event_id))


def enqueue_sale_setup(event_id: str) -> None:
    """A queue outage must not fail the save: the retry job picks pending setups up."""
    try:
        set_up_sale(event_id)
    except Exception:
        log.exception("could not enqueue the Stripe setup of %s; the retry job will do it", event_id)


class SaleNotRenamed(Exception):
    """Raised so Huey schedules the next retry."""


@huey.task(retries=RENAME_RETRIES, retry_delay=RENAME_RETRY_SECONDS)
def rename_sale(event_id: str) -> None:
    if not run_job(lambda ctx: provider_sync.rename_sale(ctx, event_id)):
        raise SaleNotRenamed(event_id)


def enqueue_sale_rename(event_id: str) -> None:
    """A queue outage must not fail the save; the next title change asks again."""
    try:
        rename_sale(event_id)
    except Exception:
        log.exception("could not enqueue the Stripe product rename of %s", event_id)


@huey.periodic_task(crontab(minute="*/5"))
def send_lost_receipts() -> None:
    run_job(receipts.send_lost_receipts)


@huey.periodic_task(crontab(minute="*/5"))
def expire_abandoned_checkouts() -> None:
    run_job(checkouts.expire_abandoned_checkouts)


@huey.periodic_task(crontab(minute="*/10"))
def retry_sale_setups() -> None:
    run_job(provider_sync.retry_setups)


@huey.task(retries=DELIVERY_RETRIES, retry_delay=DELIVERY_RETRY_SECONDS)
def deliver_local_webhook(event: dict[str, Any]) -> None:
    async def work(ctx: AppContext) -> bool:
        return await local.deliver(ctx, event)

    if not run_job(work):
        raise WebhookNotDelivered(f"{event.get('type')} {event.get('id')}")


def enqueue_local_delivery(event: dict[str, Any]) -> None:
    try:
        deliver_local_webhook.schedule(args=(event,), delay=DELIVERY_RETRY_SECONDS)
    except Exception:
        log.exception("could not queue the retry of local payment event %s", event.get("id"))


@huey.task()
def settle_local_payment(session_id: str, succeed: bool) -> None:
    run_job(lambda ctx: checkout.settle_async_payment(ctx, session_id, succeed))


def schedule_local_settlement(session_id: str, succeed: bool, settings: Settings) -> None:
    settle_local_payment.schedule(args=(session_id, succeed), delay=max(0, settings.local_async_payment_seconds))


@huey.periodic_task(crontab(minute="*/5"))
def expire_local_checkouts() -> None:
    run_job(checkout.expire_due_sessions)
