"""Admins find accounts, see their sessions, disable and re-enable them and end their sessions; editors may not."""

from __future__ import annotations

from sqlalchemy import select

from golive.audit.models import AuditLog
from golive.identity.staff.models import AdminRole
from golive.platform.context import AppContext
from tests.identity.accounts.conftest import Accounts
from tests.support import AdminLogin, Factory, assert_error


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def test_admins_search_accounts_and_editors_may_not(
    accounts: Accounts, factory: Factory, owner: AdminLogin
) -> None:
    for email in ("ada@example.com", "grace_h@example.com", "gracehopper@example.com"):
        await accounts.signed_up(email)
    listed = await accounts.client.get("/api/admin/accounts", headers=owner.headers)
    assert listed.status_code == 200 and listed.json()["total"] == 3
    found = await accounts.client.get("/api/admin/accounts", params={"q": "GRACE_"}, headers=owner.headers)
    assert [item["email"] for item in found.json()["items"]] == ["grace_h@example.com"]  # "_" taken literally
    editor = await factory.admin(AdminRole.EDITOR)
    assert_error(await accounts.client.get("/api/admin/accounts", headers=editor.headers), 403, "insufficient_role")
    token = await accounts.signed_up("alan@example.com")
    assert (await accounts.client.get("/api/admin/accounts", headers=bearer(token))).status_code == 401
    missing = await accounts.client.get("/api/admin/accounts/01NOSUCHACCOUNT00000000000", headers=owner.headers)
    assert_error(missing, 404, "account_not_found")


async def test_a_disabled_account_is_signed_out_everywhere_until_enabled_again(
    accounts: Accounts, owner: AdminLogin, app_ctx: AppContext
) -> None:
    token = await accounts.signed_up("hedy@example.com")
    me = (await accounts.me(token)).json()
    path = f"/api/admin/accounts/{me['accountId']}"
    detail = await accounts.client.get(path, headers=owner.headers)
    assert len(detail.json()["sessions"]) == 1

    disabled = await accounts.client.patch(path, json={"status": "disabled"}, headers=owner.headers)
    assert disabled.status_code == 200 and disabled.json()["status"] == "disabled" and disabled.json()["sessions"] == []
    assert_error(await accounts.me(token), 401, "session_expired")
    assert_error(await accounts.login("hedy@example.com"), 403, "account_disabled")
    assert_error(
        await accounts.client.patch(path, json={"status": "gone"}, headers=owner.headers), 422, "validation_error"
    )

    enabled = await accounts.client.patch(path, json={"status": "active"}, headers=owner.headers)
    assert enabled.json()["status"] == "active"
    again = (await accounts.login("hedy@example.com")).json()["token"]
    accounts.client.cookies.clear()
    ended = await accounts.client.delete(f"{path}/sessions", headers=owner.headers)
    assert ended.status_code == 204
    assert_error(await accounts.me(again), 401, "session_expired")
    async with app_ctx.db.sessionmaker() as session:
        actions = list(
            await session.scalars(
                select(AuditLog.action).where(AuditLog.actor_type == "admin", AuditLog.entity_type == "account")
            )
        )
    assert sorted(actions) == ["account.disable", "account.enable", "account.sessions_ended"]
