"""Who may call what: admin authentication and roles, declared as dependencies on routes."""

from __future__ import annotations

import hmac
from collections.abc import Awaitable, Callable
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from golive.identity.staff import service
from golive.identity.staff.models import AdminRole
from golive.identity.staff.service import AuthenticatedAdmin
from golive.platform.context import AppContext
from golive.platform.deps import Ctx
from golive.platform.errors import Forbidden, Unauthorized
from golive.platform.session_cookies import SessionCookies

SESSION_COOKIE = "golive_session"
CSRF_COOKIE = "golive_csrf"
CSRF_HEADER = "x-csrf-token"
ADMIN_COOKIES = SessionCookies(SESSION_COOKIE, CSRF_COOKIE)
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

bearer_scheme = HTTPBearer(auto_error=False, description="An admin token from POST /api/auth/login")


def presented_admin_token(request: Request) -> tuple[str, bool] | None:
    """The admin token a request carries (bearer first, then the session cookie), and whether it came by cookie."""
    scheme, _, value = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() == "bearer" and value:
        return value, False
    cookie_token = request.cookies.get(SESSION_COOKIE)
    return (cookie_token, True) if cookie_token else None


async def admin_from_request(request: Request, ctx: AppContext) -> AuthenticatedAdmin | None:
    """The calling admin, or None when the request carries no valid admin credentials."""
    presented = presented_admin_token(request)
    if presented is None:
        return None
    token, via_cookie = presented
    try:
        # Its own short autocommitted connection, released at once: anonymous requests (most of them) never
        # open one here, and a route that streams for long does not hold it.
        async with ctx.db.read_engine.connect() as connection:
            admin, session_id = await service.authenticate(ctx, connection, token)
    except Unauthorized as exc:
        # Public routes treat a stale or foreign token as no token; admin routes report why.
        request.state.auth_error = exc
        return None
    if via_cookie and request.method not in SAFE_METHODS:
        sent = request.headers.get(CSRF_HEADER, "")
        if not hmac.compare_digest(sent, service.csrf_token_for(ctx, session_id)):
            raise Forbidden("Missing or wrong CSRF token", code="csrf_failed")
    return AuthenticatedAdmin(admin=admin, session_id=session_id, via_cookie=via_cookie)


async def optional_admin(
    request: Request,
    ctx: Ctx,
    _: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer_scheme)],
) -> AuthenticatedAdmin | None:
    """As a dependency; `bearer_scheme` is declared so /openapi.json shows the security scheme."""
    return await admin_from_request(request, ctx)


def require_role(minimum: AdminRole) -> Callable[..., Awaitable[AuthenticatedAdmin]]:
    async def dependency(
        request: Request,
        caller: Annotated[AuthenticatedAdmin | None, Depends(optional_admin)],
    ) -> AuthenticatedAdmin:
        if caller is None:
            stored = getattr(request.state, "auth_error", None)
            if isinstance(stored, Unauthorized):
                raise stored
            raise Unauthorized("Log in as an admin to do this", code="not_authenticated")
        if not caller.has_role(minimum):
            raise Forbidden(f"This needs the {minimum.value} role or higher", code="insufficient_role")
        return caller

    return dependency


OptionalAdmin = Annotated[AuthenticatedAdmin | None, Depends(optional_admin)]
Editor = Annotated[AuthenticatedAdmin, Depends(require_role(AdminRole.EDITOR))]
AdminUser = Annotated[AuthenticatedAdmin, Depends(require_role(AdminRole.ADMIN))]
Owner = Annotated[AuthenticatedAdmin, Depends(require_role(AdminRole.OWNER))]
