"""Which provider handles what: new checkouts go to the configured one; refunds and webhooks of a
payment go to the provider that took it (a switch from local to Stripe leaves old payments workable)."""

from __future__ import annotations

import weakref

from golive.commerce.local.provider import LOCAL, LocalProvider
from golive.commerce.providers.base import PaymentProvider, ProviderError
from golive.commerce.providers.stripe import StripeProvider
from golive.platform.context import AppContext
from golive.platform.errors import NotFound

STRIPE = "stripe"
PROVIDERS = (LOCAL, STRIPE)

# One provider object per app context (the Stripe client keeps a connection pool), dropped with it.
_cache: dict[tuple[int, str], tuple[weakref.ref[AppContext], PaymentProvider]] = {}


def provider_named(ctx: AppContext, name: str) -> PaymentProvider:
    """404 for a name we do not know, or Stripe without its keys."""
    key = (id(ctx), name)
    cached = _cache.get(key)
    if cached is not None and cached[0]() is ctx:
        return cached[1]
    provider: PaymentProvider
    if name == LOCAL:
        provider = LocalProvider(ctx)
    elif name == STRIPE:
        try:
            provider = StripeProvider(ctx.settings)
        except ProviderError as exc:
            raise NotFound(exc.message, code="provider_not_configured", details={"provider": name}) from exc
    else:
        raise NotFound("No such payment provider", code="provider_not_found", details={"provider": name[:40]})
    for stale in [k for k, (ref, _) in _cache.items() if ref() is None]:
        _cache.pop(stale, None)
    _cache[key] = (weakref.ref(ctx), provider)
    return provider


def active_provider(ctx: AppContext) -> PaymentProvider:
    """The provider new checkouts use (GOLIVE_PAYMENT_PROVIDER)."""
    return provider_named(ctx, ctx.settings.payment_provider)
