"""The only modules that call several domains. Each implements a hook a domain declares (golive.platform.hooks);
`install` plugs them all in, and app.py calls it when it builds the app."""

from __future__ import annotations

from golive.access import hooks as access_hooks
from golive.commerce import hooks as commerce_hooks
from golive.engagement.chat import hooks as chat_hooks
from golive.events import hooks as events_hooks
from golive.flows import (
    account_claims,
    account_mail,
    checkout,
    event_prices,
    home,
    live_viewers,
    on_event_saved,
    on_payment,
    playback,
)
from golive.identity.accounts import hooks as accounts_hooks
from golive.live import hooks as live_hooks
from golive.live import replay as live_replay
from golive.media import hooks as media_hooks
from golive.notify import service as notify_service
from golive.site import hooks as site_hooks


def install() -> None:
    accounts_hooks.send_account_mail.plug(account_mail.send_account_mail)
    accounts_hooks.account_erased.plug(account_mail.erase_account_mail)
    accounts_hooks.device_signed_in.plug(account_claims.claim_device_rights)
    accounts_hooks.exported_elsewhere.plug(notify_service.export)
    events_hooks.event_saved.plug(on_event_saved.sync_sale)
    events_hooks.event_prices.plug(event_prices.event_prices)
    events_hooks.event_price_columns.plug(event_prices.event_price_columns)
    events_hooks.save_event_price.plug(event_prices.save_event_price)
    access_hooks.open_checkout_url.plug(checkout.open_checkout_url)
    access_hooks.payment_attempts.plug(checkout.payment_attempts)
    media_hooks.live_playback.plug(playback.live_playback)
    live_hooks.viewers_watching.plug(live_viewers.viewers_watching)
    chat_hooks.replay_timeline.plug(live_replay.replay_timeline)
    commerce_hooks.payment_succeeded.plug(on_payment.grant_payment)
    commerce_hooks.payment_refunded.plug(on_payment.revoke_payment)
    site_hooks.with_video.plug(home.with_video)
