"""Session cookies say Secure whenever the site is served over https (GOLIVE_PUBLIC_URL), so a browser never
sends them over plain http; GOLIVE_COOKIE_SECURE says so either way."""

from __future__ import annotations

import httpx
import pytest

from golive.platform.context import AppContext
from tests.support import ADMIN_PASSWORD, Factory


async def login_cookies(client: httpx.AsyncClient, factory: Factory) -> list[str]:
    admin = await factory.admin()
    response = await client.post("/api/auth/login", json={"email": admin.email, "password": ADMIN_PASSWORD})
    assert response.status_code == 200, response.text
    cookies = response.headers.get_list("set-cookie")
    assert {c.split("=", 1)[0] for c in cookies} >= {"golive_session", "golive_csrf"}
    return [c for c in cookies if c.startswith(("golive_session=", "golive_csrf="))]


@pytest.mark.parametrize(
    ("public_url", "cookie_secure", "secure"),
    [
        ("https://events.example.com", None, True),
        ("http://127.0.0.1:8000", None, False),
        ("", None, False),
        ("http://127.0.0.1:8000", True, True),  # TLS ends at a proxy that forwards plain http
        ("https://events.example.com", False, False),
    ],
)
async def test_session_cookies_are_secure_when_the_site_is_served_over_https(
    client: httpx.AsyncClient,
    factory: Factory,
    app_ctx: AppContext,
    public_url: str,
    cookie_secure: bool | None,
    secure: bool,
) -> None:
    app_ctx.settings.public_url = public_url
    app_ctx.settings.cookie_secure = cookie_secure
    for cookie in await login_cookies(client, factory):
        assert ("; secure" in cookie.lower()) is secure, cookie
