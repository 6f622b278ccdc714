"""Who is signed in: the audience account behind a request (bearer token or the account cookie), as a dependency.

The cookies are not the admin console's (an account and an admin session on one browser never mix), and a
request that authenticates by cookie and changes something must carry the CSRF header, as the admin's does.
"""

from __future__ import annotations

import hmac
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from golive.identity.accounts import sessions
from golive.identity.accounts.profiles import refuse_kids
from golive.identity.accounts.sessions import AuthenticatedAccount
from golive.platform.context import AppContext
from golive.platform.deps import Ctx
from golive.platform.errors import AppError, Forbidden, Unauthorized
from golive.platform.session_cookies import SessionCookies

SESSION_COOKIE = "golive_account"
CSRF_COOKIE = "golive_account_csrf"
CSRF_HEADER = "x-csrf-token"
ACCOUNT_COOKIES = SessionCookies(SESSION_COOKIE, CSRF_COOKIE)
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

bearer_scheme = HTTPBearer(
    auto_error=False, scheme_name="AccountBearer", description="An account token from POST /api/account/login"
)


def _credentials(request: Request) -> tuple[str, bool]:
    """The session token a request carries, and whether it came in the cookie (else a bearer header)."""
    scheme, _sep, value = request.headers.get("authorization", "").partition(" ")
    via_cookie = not (scheme.lower() == "bearer" and value)
    return (request.cookies.get(SESSION_COOKIE, "") if via_cookie else value), via_cookie


async def _authenticate(ctx: AppContext, request: Request, token: str, via_cookie: bool) -> AuthenticatedAccount:
    async with ctx.db.read_engine.connect() as connection:
        signed = await sessions.authenticate(ctx, connection, token, via_cookie)
    if via_cookie and request.method not in SAFE_METHODS:
        sent = request.headers.get(CSRF_HEADER, "")
        if not hmac.compare_digest(sent, sessions.csrf_token_for(ctx, signed.session_id)):
            raise Forbidden("Missing or wrong CSRF token", code="csrf_failed")
    return signed


async def signed_in_account(
    request: Request,
    ctx: Ctx,
    _: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer_scheme)],
) -> AuthenticatedAccount:
    token, via_cookie = _credentials(request)
    if not token:
        raise Unauthorized("Sign in to do this", code="not_signed_in")
    return await _authenticate(ctx, request, token, via_cookie)


async def account_if_signed_in(ctx: AppContext, request: Request) -> AuthenticatedAccount | None:
    """For endpoints that serve guests too (the admission): the account when the request proves one, else
    None (no sign-in, an expired or ended one, or a cookie change without its CSRF token: a guest's call)."""
    token, via_cookie = _credentials(request)
    if not token:
        return None
    try:
        return await _authenticate(ctx, request, token, via_cookie)
    except AppError:
        return None


SignedIn = Annotated[AuthenticatedAccount, Depends(signed_in_account)]


async def account_holder(caller: SignedIn) -> AuthenticatedAccount:
    """The account's own settings (profiles, sessions, export, deletion): not from a kids profile."""
    refuse_kids(caller.kids, "open the account settings")
    return caller


AccountHolder = Annotated[AuthenticatedAccount, Depends(account_holder)]
