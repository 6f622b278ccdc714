"""Sign-up, verification and sign-in (password and passwordless) through real SMTP; no answer reveals whether an
address has an account."""

from __future__ import annotations

import asyncio

from sqlalchemy import func, select

from golive.identity.accounts.models import Account, AccountCode
from golive.platform.context import AppContext
from tests.identity.accounts.conftest import PASSWORD, Accounts
from tests.support import assert_error


async def test_a_new_account_verifies_its_address_with_the_emailed_code_and_signs_in(accounts: Accounts) -> None:
    signed_up = await accounts.signup("Ada@Example.com ")
    assert signed_up.status_code == 202, signed_up.text
    mail = accounts.smtp.wait_for("ada@example.com")
    assert mail.message["Subject"] == "Confirm your email address"
    code = accounts.last_code("ada@example.com")
    assert f"/account/verify?email=ada%40example.com&code={code}" in mail.text

    # not verified yet: the password alone does not sign in
    assert_error(await accounts.login("ada@example.com"), 403, "email_not_verified")
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    refused = await accounts.client.post("/api/account/verify", json={"email": "ada@example.com", "code": wrong})
    assert_error(refused, 403, "invalid_code")
    verified = await accounts.client.post("/api/account/verify", json={"email": "ada@example.com", "code": code})
    assert verified.status_code == 200, verified.text
    body = verified.json()
    assert body["account"]["email"] == "ada@example.com" and body["account"]["emailVerified"] is True
    assert body["account"]["name"] == "Ada" and body["account"]["hasPassword"] is True
    me = await accounts.me(body["token"])
    assert me.status_code == 200 and me.json()["accountId"] == body["account"]["accountId"]

    # the code worked once
    again = await accounts.client.post("/api/account/verify", json={"email": "ada@example.com", "code": code})
    assert_error(again, 403, "invalid_code")
    signed_in = await accounts.login("ADA@example.com")
    assert signed_in.status_code == 200, signed_in.text
    assert_error(await accounts.login("ada@example.com", "a quiet lantern by the harbor"), 401, "invalid_credentials")


async def test_a_second_sign_up_answers_as_the_first_and_mails_the_owner_instead(
    accounts: Accounts, app_ctx: AppContext
) -> None:
    token = await accounts.signed_up("grace@example.com")
    first = await accounts.signup("someone.else@example.com", "the other lantern in the harbour")
    taken = await accounts.signup("grace@example.com", "the other lantern in the harbour")
    assert taken.status_code == first.status_code == 202 and taken.json() == first.json()
    assert accounts.mails_to("grace@example.com") == [
        "Confirm your email address",
        "Someone tried to sign up with your address",
    ]
    async with app_ctx.db.sessionmaker() as session:
        assert await session.scalar(select(func.count()).select_from(Account)) == 2
    # nothing changed for the owner: the first password still signs in, the session still works
    assert (await accounts.login("grace@example.com")).status_code == 200
    assert (await accounts.me(token)).status_code == 200


async def test_common_or_personal_passwords_are_refused_with_a_named_field_and_nothing_is_made(
    accounts: Accounts, app_ctx: AppContext
) -> None:
    for password in ("password123", "qwertyuiop1", "linus.torvalds1", "1234567890", "A" * 256):
        refused = await accounts.client.post(
            "/api/account/signup", json={"email": "linus.torvalds@example.com", "password": password, "name": "Linus"}
        )
        error = assert_error(refused, 422, "weak_password")
        assert error["details"]["fields"]["password"], error
    short = await accounts.signup("linus.torvalds@example.com", "Xk2!pq")
    assert short.status_code == 422 and "password" in short.text
    assert accounts.smtp.received == []
    async with app_ctx.db.sessionmaker() as session:
        assert await session.scalar(select(func.count()).select_from(Account)) == 0
    # as long as the field allows (the strength check reads its first 72 characters)
    long_passphrase = "the tide comes in over seven grey stones " * 6
    assert (await accounts.signup("margaret@example.com", long_passphrase[:256])).status_code == 202


async def test_passwordless_sign_in_with_an_emailed_code_and_an_unknown_address_learns_nothing(
    accounts: Accounts,
) -> None:
    await accounts.signed_up("hedy@example.com")
    known = await accounts.client.post("/api/account/login-code", json={"email": "hedy@example.com"})
    unknown = await accounts.client.post("/api/account/login-code", json={"email": "nobody@example.com"})
    assert known.status_code == unknown.status_code == 202 and known.json() == unknown.json()
    assert accounts.mails_to("nobody@example.com") == ["No account with this address"]
    assert accounts.mails_to("hedy@example.com")[-1] == "Your sign-in code"

    code = accounts.last_code("hedy@example.com")
    signed_in = await accounts.client.post("/api/account/login", json={"email": "hedy@example.com", "code": code})
    assert signed_in.status_code == 200, signed_in.text
    assert (await accounts.me(signed_in.json()["token"])).status_code == 200
    reused = await accounts.client.post("/api/account/login", json={"email": "hedy@example.com", "code": code})
    assert_error(reused, 403, "invalid_code")
    # a guess at the unknown address is refused exactly like a wrong guess at a known one
    guess = await accounts.client.post("/api/account/login", json={"email": "nobody@example.com", "code": "123456"})
    assert_error(guess, 403, "invalid_code")
    both = await accounts.client.post(
        "/api/account/login", json={"email": "hedy@example.com", "code": code, "password": PASSWORD}
    )
    assert both.status_code == 422


async def test_parallel_guesses_at_a_code_never_get_more_tries_than_the_limit(
    accounts: Accounts, app_ctx: AppContext
) -> None:
    await accounts.signed_up("joan@example.com")
    await accounts.client.post("/api/account/login-code", json={"email": "joan@example.com"})
    code = accounts.last_code("joan@example.com")
    wrong = f"{(int(code) + 1) % 10**6:06d}"

    async def guess() -> int:
        answer = await accounts.client.post("/api/account/login", json={"email": "joan@example.com", "code": wrong})
        return answer.status_code

    assert await asyncio.gather(*(guess() for _ in range(8))) == [403] * 8
    async with app_ctx.db.sessionmaker() as session:
        attempts = await session.scalar(select(AccountCode.attempts).where(AccountCode.used_at.is_(None)))
    assert attempts == app_ctx.settings.email_code_max_attempts
    # the limit is spent: even the right code is refused now; a new code works
    right = await accounts.client.post("/api/account/login", json={"email": "joan@example.com", "code": code})
    assert_error(right, 403, "invalid_code")


async def test_wrong_passwords_are_throttled_per_address_with_retry_after(accounts: Accounts) -> None:
    await accounts.signed_up("alan@example.com")
    for _ in range(5):
        assert_error(await accounts.login("alan@example.com", "not the password at all"), 401, "invalid_credentials")
    throttled = await accounts.login("alan@example.com")
    assert_error(throttled, 429, "too_many_requests")
    assert int(throttled.headers["retry-after"]) > 0
