"""An account's sessions: listed with their device, ended one by one, here or everywhere, and by a new
password; each end takes effect on the very next request. The viewer site's cookies need the CSRF header."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select, update

from golive.audit.models import AuditLog
from golive.identity.accounts.models import AccountSession
from golive.platform.context import AppContext
from golive.platform.db import utcnow
from tests.identity.accounts.conftest import PASSWORD, Accounts
from tests.support import assert_error

NEW_PASSWORD = "seven herons over the marsh"


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def test_sessions_are_listed_and_any_one_ended_takes_effect_on_the_next_request(accounts: Accounts) -> None:
    laptop = await accounts.signed_up("ada@example.com")
    phone_login = await accounts.client.post(
        "/api/account/login",
        json={"email": "ada@example.com", "password": PASSWORD},
        headers={"User-Agent": "Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X)"},
    )
    phone = phone_login.json()["token"]
    accounts.client.cookies.clear()
    listed = await accounts.client.get("/api/account/sessions", headers=bearer(laptop))
    items = listed.json()["items"]
    assert len(items) == 2 and [item["current"] for item in items].count(True) == 1
    phone_session = next(item for item in items if not item["current"])
    assert "iPhone" in phone_session["userAgent"] and phone_session["ipAddress"]

    ended = await accounts.client.delete(f"/api/account/sessions/{phone_session['sessionId']}", headers=bearer(laptop))
    assert ended.status_code == 204
    assert_error(await accounts.me(phone), 401, "session_expired")
    assert (await accounts.me(laptop)).status_code == 200
    # not someone else's, not twice
    again = await accounts.client.delete(f"/api/account/sessions/{phone_session['sessionId']}", headers=bearer(laptop))
    assert_error(again, 404, "session_not_found")


async def test_sign_out_here_and_everywhere(accounts: Accounts) -> None:
    first = await accounts.signed_up("grace@example.com")
    second = (await accounts.login("grace@example.com")).json()["token"]
    third = (await accounts.login("grace@example.com")).json()["token"]
    accounts.client.cookies.clear()
    assert (await accounts.client.post("/api/account/logout", headers=bearer(first))).status_code == 204
    assert_error(await accounts.me(first), 401, "session_expired")
    assert (await accounts.me(second)).status_code == 200
    everywhere = await accounts.client.post("/api/account/logout", json={"everywhere": True}, headers=bearer(second))
    assert everywhere.status_code == 204
    for token in (second, third):
        assert_error(await accounts.me(token), 401, "session_expired")


async def test_ending_the_other_sessions_keeps_this_device_signed_in(accounts: Accounts) -> None:
    here = await accounts.signed_up("ada@example.com")
    phone = (await accounts.login("ada@example.com")).json()["token"]
    tablet = (await accounts.login("ada@example.com")).json()["token"]
    accounts.client.cookies.clear()
    ended = await accounts.client.delete("/api/account/sessions", headers=bearer(here))
    assert ended.status_code == 204
    assert (await accounts.me(here)).status_code == 200
    for token in (phone, tablet):
        assert_error(await accounts.me(token), 401, "session_expired")
    listed = await accounts.client.get("/api/account/sessions", headers=bearer(here))
    assert [s["current"] for s in listed.json()["items"]] == [True]


async def test_a_password_reset_ends_every_other_session_and_the_old_password(
    accounts: Accounts, app_ctx: AppContext
) -> None:
    old = await accounts.signed_up("hedy@example.com")
    asked = await accounts.client.post("/api/account/password-reset", json={"email": "hedy@example.com"})
    assert asked.status_code == 202
    assert accounts.mails_to("hedy@example.com")[-1] == "Reset your password"
    code = accounts.last_code("hedy@example.com")
    weak = await accounts.client.post(
        "/api/account/password-reset/confirm",
        json={"email": "hedy@example.com", "code": code, "password": "hedy12345678"},
    )
    assert_error(weak, 422, "weak_password")
    reset = await accounts.client.post(
        "/api/account/password-reset/confirm",
        json={"email": "hedy@example.com", "code": code, "password": NEW_PASSWORD},
    )
    assert reset.status_code == 200, reset.text
    assert (await accounts.me(reset.json()["token"])).status_code == 200
    assert_error(await accounts.me(old), 401, "session_expired")
    assert_error(await accounts.login("hedy@example.com"), 401, "invalid_credentials")
    assert (await accounts.login("hedy@example.com", NEW_PASSWORD)).status_code == 200
    async with app_ctx.db.sessionmaker() as session:
        actions = list(await session.scalars(select(AuditLog.action).where(AuditLog.entity_type == "account")))
    assert sorted(actions) == ["account.password_reset", "account.signup"]


async def test_the_viewer_sites_cookies_sign_in_and_changes_need_the_csrf_header(accounts: Accounts) -> None:
    await accounts.signed_up("joan@example.com")
    signed_in = await accounts.login("joan@example.com")
    assert signed_in.status_code == 200
    cookie = signed_in.headers.get_list("set-cookie")
    session_cookie = next(c for c in cookie if c.startswith("golive_account="))
    assert "HttpOnly" in session_cookie and "SameSite=lax" in session_cookie
    assert not any(c.startswith("golive_session=") for c in cookie)  # never the admin console's cookie
    assert (await accounts.client.get("/api/account")).status_code == 200  # by cookie
    forged = await accounts.client.post("/api/account/logout")
    assert_error(forged, 403, "csrf_failed")
    csrf = accounts.client.cookies["golive_account_csrf"]
    out = await accounts.client.post("/api/account/logout", headers={"X-CSRF-Token": csrf})
    assert out.status_code == 204
    assert_error(await accounts.client.get("/api/account"), 401, "not_signed_in")


async def test_an_account_token_is_no_admin_token(accounts: Accounts) -> None:
    token = await accounts.signed_up("alan@example.com")
    admin_only = await accounts.client.get("/api/events", headers=bearer(token))
    assert admin_only.status_code == 401


async def test_a_sessions_last_use_is_written_when_it_is_used_after_a_while(
    accounts: Accounts, app_ctx: AppContext
) -> None:
    token = await accounts.signed_up("ada.l@example.com")
    long_ago = utcnow() - timedelta(hours=3)
    async with app_ctx.db.sessionmaker() as session:
        await session.execute(update(AccountSession).values(last_used_at=long_ago))
        await session.commit()
    assert (await accounts.me(token)).status_code == 200
    listed = (await accounts.client.get("/api/account/sessions", headers=bearer(token))).json()["items"]
    assert utcnow() - datetime.fromisoformat(listed[0]["lastUsedAt"]) < timedelta(minutes=1)
