"""A person's account: exported as JSON, then deleted with what it kept erased (and the address free again)."""

from __future__ import annotations

from sqlalchemy import func, select

from golive.audit.models import AuditLog
from golive.email.models import EmailMessage
from golive.identity.accounts.models import Account, AccountCode, AccountSession
from golive.platform.context import AppContext
from tests.identity.accounts.conftest import PASSWORD, Accounts
from tests.support import assert_error


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def test_the_export_holds_the_account_its_devices_and_its_activity(accounts: Accounts) -> None:
    token = await accounts.signed_up("ada@example.com")
    await accounts.login("ada@example.com")
    accounts.client.cookies.clear()
    exported = await accounts.client.get("/api/account/export", headers=bearer(token))
    assert exported.status_code == 200
    assert "attachment" in exported.headers["content-disposition"]
    data = exported.json()
    assert data["account"]["email"] == "ada@example.com" and data["account"]["name"] == "Ada"
    assert len(data["sessions"]) == 2 and all(s["userAgent"] is not None for s in data["sessions"])
    assert [entry["action"] for entry in data["activity"]] == ["account.signup"]
    assert "password" not in exported.text.lower().replace("haspassword", "")  # never the hash


async def test_deleting_an_account_needs_its_password_and_erases_what_it_kept(
    accounts: Accounts, app_ctx: AppContext
) -> None:
    token = await accounts.signed_up("grace@example.com")
    other = (await accounts.login("grace@example.com")).json()["token"]
    accounts.client.cookies.clear()
    await accounts.client.post("/api/account/login-code", json={"email": "grace@example.com"})

    wrong = await accounts.client.request(
        "DELETE", "/api/account", json={"password": "not my password at all"}, headers=bearer(token)
    )
    assert_error(wrong, 401, "invalid_credentials")
    assert_error(await accounts.client.delete("/api/account", headers=bearer(token)), 401, "invalid_credentials")
    assert (await accounts.me(token)).status_code == 200  # nothing changed

    deleted = await accounts.client.request(
        "DELETE", "/api/account", json={"password": PASSWORD}, headers=bearer(token)
    )
    assert deleted.status_code == 204, deleted.text
    for session_token in (token, other):
        assert_error(await accounts.me(session_token), 401, "session_expired")
    assert_error(await accounts.login("grace@example.com"), 401, "invalid_credentials")
    async with app_ctx.db.sessionmaker() as session:
        for table in (Account, AccountSession, AccountCode):
            assert await session.scalar(select(func.count()).select_from(table)) == 0
        mail = list(await session.scalars(select(EmailMessage)))
        assert mail and all("grace" not in (m.recipient_email + m.body_text) for m in mail)
        trail = list(await session.scalars(select(AuditLog).where(AuditLog.entity_type == "account")))
        assert sorted(entry.action for entry in trail) == ["account.delete", "account.signup"]
        assert "grace" not in str([(entry.before, entry.after, entry.ip_address) for entry in trail])

    # the address is free: a new sign-up makes a new account
    assert (await accounts.signup("grace@example.com")).status_code == 202
    assert accounts.mails_to("grace@example.com")[-1] == "Confirm your email address"
