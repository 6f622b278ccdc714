"""Admin login, sessions, cookies + CSRF, throttling and roles, through the HTTP API."""

from __future__ import annotations

import asyncio

import httpx
import pytest
from sqlalchemy import func, select, update

from golive.identity.staff.models import Admin, AdminRole, AdminStatus
from golive.platform.context import AppContext
from tests.support import ADMIN_PASSWORD, AdminLogin, Factory, assert_error


async def test_login_returns_a_token_and_sets_an_httponly_session_cookie(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    admin = await factory.admin(AdminRole.ADMIN, email="ops@example.com")
    response = await client.post("/api/auth/login", json={"email": "OPS@example.com", "password": ADMIN_PASSWORD})
    assert response.status_code == 200
    body = response.json()
    assert body["admin"]["email"] == "ops@example.com"
    assert body["admin"]["lastLoginAt"] is not None
    assert "passwordHash" not in body["admin"]
    cookies = response.headers.get_list("set-cookie")
    session_cookie = next(c for c in cookies if c.startswith("golive_session="))
    assert "HttpOnly" in session_cookie and "SameSite=lax" in session_cookie
    assert any(c.startswith("golive_csrf=") and "HttpOnly" not in c for c in cookies)
    me = await client.get("/api/auth/me", headers={"Authorization": f"Bearer {body['token']}"})
    assert me.json()["adminId"] == admin.admin_id


async def test_wrong_password_and_unknown_email_fail_the_same_way(client: httpx.AsyncClient, factory: Factory) -> None:
    await factory.admin(email="a@example.com")
    wrong = await client.post("/api/auth/login", json={"email": "a@example.com", "password": "nope-nope"})
    unknown = await client.post("/api/auth/login", json={"email": "b@example.com", "password": "nope-nope"})
    assert (
        assert_error(wrong, 401, "invalid_credentials")["message"]
        == assert_error(unknown, 401, "invalid_credentials")["message"]
    )


async def test_an_inactive_admin_cannot_log_in(
    client: httpx.AsyncClient, factory: Factory, app_ctx: AppContext
) -> None:
    await factory.admin(email="gone@example.com")
    async with app_ctx.db.sessionmaker() as session:
        admin = await session.scalar(select(Admin).where(Admin.email == "gone@example.com"))
        assert admin is not None
        admin.status = AdminStatus.INACTIVE
        await session.commit()
    response = await client.post("/api/auth/login", json={"email": "gone@example.com", "password": ADMIN_PASSWORD})
    assert_error(response, 403, "admin_inactive")


async def test_repeated_failures_for_one_email_are_throttled_with_retry_after(
    client: httpx.AsyncClient, factory: Factory
) -> None:
    await factory.admin(email="target@example.com")
    for _ in range(5):
        response = await client.post("/api/auth/login", json={"email": "target@example.com", "password": "guess-guess"})
        assert response.status_code == 401
    blocked = await client.post("/api/auth/login", json={"email": "target@example.com", "password": ADMIN_PASSWORD})
    error = assert_error(blocked, 429, "too_many_requests")
    assert int(blocked.headers["Retry-After"]) >= 1
    assert error["details"]["retryAfter"] == int(blocked.headers["Retry-After"])  # type: ignore[index]


async def test_failures_from_one_ip_across_many_emails_are_throttled(client: httpx.AsyncClient) -> None:
    for n in range(10):
        await client.post("/api/auth/login", json={"email": f"x{n}@example.com", "password": "guess-guess"})
    blocked = await client.post("/api/auth/login", json={"email": "other@example.com", "password": "guess-guess"})
    assert_error(blocked, 429, "too_many_requests")


async def test_logout_revokes_the_token(client: httpx.AsyncClient, owner: AdminLogin) -> None:
    assert (await client.post("/api/auth/logout", headers=owner.headers)).status_code == 204
    response = await client.get("/api/events", headers=owner.headers)
    assert_error(response, 401, "session_expired")


async def test_a_forged_token_is_refused(client: httpx.AsyncClient, owner: AdminLogin) -> None:
    response = await client.get("/api/events", headers={"Authorization": f"Bearer {owner.token[:-2]}xx"})
    assert response.status_code == 401


async def test_admin_routes_need_a_login(client: httpx.AsyncClient) -> None:
    assert_error(await client.get("/api/events"), 401, "not_authenticated")
    assert_error(await client.post("/api/events", json={"title": "x"}), 401, "not_authenticated")


async def test_cookie_authenticated_writes_need_the_csrf_header(client: httpx.AsyncClient, factory: Factory) -> None:
    await factory.admin(email="cookie@example.com")
    login = await client.post("/api/auth/login", json={"email": "cookie@example.com", "password": ADMIN_PASSWORD})
    csrf = login.cookies["golive_csrf"]
    assert (await client.get("/api/events")).status_code == 200  # reads need no CSRF token
    assert_error(await client.post("/api/events", json={"title": "x"}), 403, "csrf_failed")
    forged = await client.post("/api/events", json={"title": "x"}, headers={"X-CSRF-Token": "0" * 64})
    assert_error(forged, 403, "csrf_failed")
    ok = await client.post("/api/events", json={"title": "x"}, headers={"X-CSRF-Token": csrf})
    assert ok.status_code == 201


async def test_editors_manage_events_but_not_deletion_or_admins(client: httpx.AsyncClient, factory: Factory) -> None:
    editor = await factory.admin(AdminRole.EDITOR)
    event = await factory.event(editor)
    delete = await client.delete(f"/api/events/{event['eventId']}", headers=editor.headers)
    assert_error(delete, 403, "insufficient_role")
    assert_error(await client.get("/api/admins", headers=editor.headers), 403, "insufficient_role")


async def test_admins_delete_events_but_only_owners_manage_admins(client: httpx.AsyncClient, factory: Factory) -> None:
    admin = await factory.admin(AdminRole.ADMIN)
    event = await factory.event(admin)
    assert (await client.delete(f"/api/events/{event['eventId']}", headers=admin.headers)).status_code == 204
    new_admin = {"name": "N", "email": "n@example.com", "password": "long-enough-pw", "role": "editor"}
    assert_error(await client.post("/api/admins", json=new_admin, headers=admin.headers), 403, "insufficient_role")


async def test_owner_creates_demotes_and_deactivates_admins(client: httpx.AsyncClient, owner: AdminLogin) -> None:
    body = {"name": "New", "email": "new@example.com", "password": "long-enough-pw", "role": "admin"}
    created = await client.post("/api/admins", json=body, headers=owner.headers)
    assert created.status_code == 201
    admin_id = created.json()["adminId"]
    duplicate = await client.post("/api/admins", json=body, headers=owner.headers)
    assert_error(duplicate, 409, "admin_exists")
    login = await client.post("/api/auth/login", json={"email": "new@example.com", "password": "long-enough-pw"})
    new_headers = {"Authorization": f"Bearer {login.json()['token']}"}
    client.cookies.clear()
    changed = await client.patch(f"/api/admins/{admin_id}", json={"status": "inactive"}, headers=owner.headers)
    assert changed.json()["status"] == "inactive"
    assert (await client.get("/api/events", headers=new_headers)).status_code == 401


async def test_the_last_owner_cannot_be_demoted(client: httpx.AsyncClient, owner: AdminLogin) -> None:
    response = await client.patch(f"/api/admins/{owner.admin_id}", json={"role": "editor"}, headers=owner.headers)
    assert_error(response, 409, "last_owner")


@pytest.mark.parametrize(
    "change", [{"role": "admin"}, {"status": "inactive"}, {"role": "editor", "status": "inactive"}]
)
async def test_two_owners_removing_each_other_at_once_leave_one_owner(
    app_ctx: AppContext, client: httpx.AsyncClient, factory: Factory, change: dict[str, str]
) -> None:
    """Each sees two owners when it starts; only one of the two changes may win."""
    for _ in range(3):
        first, second = await factory.admin(AdminRole.OWNER), await factory.admin(AdminRole.OWNER)
        async with app_ctx.db.sessionmaker() as session:
            await session.execute(
                update(Admin).where(Admin.admin_id.not_in([first.admin_id, second.admin_id])).values(role="editor")
            )
            await session.commit()

        responses = await asyncio.gather(
            client.patch(f"/api/admins/{second.admin_id}", json=change, headers=first.headers),
            client.patch(f"/api/admins/{first.admin_id}", json=change, headers=second.headers),
        )

        # The loser is refused by the guard (409), or, if it started after the winner, by its lost role.
        statuses = sorted(r.status_code for r in responses)
        assert statuses[0] == 200 and statuses[1] in {401, 403, 409}, [r.text for r in responses]
        async with app_ctx.db.sessionmaker() as session:
            owners = await session.scalar(
                select(func.count())
                .select_from(Admin)
                .where(Admin.role == AdminRole.OWNER, Admin.status == AdminStatus.ACTIVE)
            )
        assert owners == 1


async def test_parallel_guesses_cannot_overrun_the_login_limit(client: httpx.AsyncClient, factory: Factory) -> None:
    await factory.admin(email="burst@example.com")
    guesses = [
        client.post("/api/auth/login", json={"email": "burst@example.com", "password": f"guess-{n}"}) for n in range(20)
    ]
    statuses = [r.status_code for r in await asyncio.gather(*guesses)]
    assert statuses.count(401) <= 5
    assert statuses.count(429) >= 15


async def test_a_password_change_ends_the_admins_other_sessions(
    client: httpx.AsyncClient, owner: AdminLogin, factory: Factory
) -> None:
    other = await factory.admin(AdminRole.EDITOR, email="moved@example.com")
    body = {"password": "a brand new password"}
    changed = await client.patch(f"/api/admins/{other.admin_id}", json=body, headers=owner.headers)
    assert changed.status_code == 200
    assert_error(await client.get("/api/auth/me", headers=other.headers), 401, "session_expired")
    assert (await client.get("/api/auth/me", headers=owner.headers)).status_code == 200
    fresh = await client.post("/api/auth/login", json={"email": "moved@example.com", **body})
    assert fresh.status_code == 200
