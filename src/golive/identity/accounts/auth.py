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
from golive.identity.accounts.sessions import AuthenticatedAccount
from golive.platform.deps import Ctx
from golive.platform.errors import Forbidden, Unauthorized
from golive.platform.session_cookies import SessionCookies

SESSION_COOKIE = "golive_account"
CSRF_COOKIE = "golive_account_csrf"
CSRF_HEADER = "x-csrf-token"
ACCOUNT_COOKIES = SessionCookies(SESSION_COOKIE, CSRF_COOKIE)
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

bearer_scheme = HTTPBearer(
    auto_error=False, scheme_name="AccountBearer", description="An account token from POST /api/account/login"
)


async def signed_in_account(
    request: Request,
    ctx: Ctx,
    _: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer_scheme)],
) -> AuthenticatedAccount:
    scheme, _sep, value = request.headers.get("authorization", "").partition(" ")
    via_cookie = not (scheme.lower() == "bearer" and value)
    token = request.cookies.get(SESSION_COOKIE, "") if via_cookie else value
    if not token:
        raise Unauthorized("Sign in to do this", code="not_signed_in")
    async with ctx.db.read_engine.connect() as connection:
        account, session_id = await sessions.authenticate(ctx, connection, token)
    if via_cookie and request.method not in SAFE_METHODS:
        sent = request.headers.get(CSRF_HEADER, "")
        if not hmac.compare_digest(sent, sessions.csrf_token_for(ctx, session_id)):
            raise Forbidden("Missing or wrong CSRF token", code="csrf_failed")
    return AuthenticatedAccount(account=account, session_id=session_id, via_cookie=via_cookie)


SignedIn = Annotated[AuthenticatedAccount, Depends(signed_in_account)]
