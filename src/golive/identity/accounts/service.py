"""Sign-up, address verification, sign-in (password or emailed code) and password reset.

No answer says whether an address has an account: a sign-up with a taken address answers as a first one and
mails the owner instead; a code asked for an unknown address answers as for a known one and mails "no account
here"; a wrong code for either is the same refusal. Every credential call is throttled per address (from one
source network) and per source network, counted before the secret is checked.
"""

from __future__ import annotations

import asyncio
from urllib.parse import urlencode

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from zxcvbn import zxcvbn

from golive import audit
from golive.identity.accounts import codes, profiles, sessions
from golive.identity.accounts.hooks import AccountMail, AccountMailKind, send_account_mail
from golive.identity.accounts.models import Account, AccountStatus, CodePurpose
from golive.identity.accounts.sessions import SignIn
from golive.platform.context import AppContext
from golive.platform.db import utcnow
from golive.platform.errors import Forbidden, NotFound, Unauthorized, ValidationFailed
from golive.platform.passwords import hash_password, verify_password
from golive.platform.ratelimit import network_key

SIGNUP_SCOPE = "account-signup"
LOGIN_SCOPE = "account-login"
CODE_REQUEST_SCOPE = "account-code-request"
CODE_GUESS_SCOPE = "account-code-guess"
# zxcvbn's score: 0-2 are guessable within about 10^8 tries (common passwords, words, dates, keyboard runs)
MIN_PASSWORD_SCORE = 3
ZXCVBN_MAX_LENGTH = 72  # it refuses (ValueError) anything longer
# where each emailed code's link opens (the viewer site's account pages)
CODE_PAGES = {
    CodePurpose.VERIFY: "/account/verify",
    CodePurpose.LOGIN: "/account/login",
    CodePurpose.RESET: "/account/reset",
}
CODE_MAIL = {
    CodePurpose.VERIFY: AccountMailKind.VERIFY,
    CodePurpose.LOGIN: AccountMailKind.LOGIN_CODE,
    CodePurpose.RESET: AccountMailKind.PASSWORD_RESET,
}


def normalize_email(email: str) -> str:
    return email.strip().lower()


def check_password(password: str, *, email: str, name: str) -> None:
    """Refuses common and guessable passwords (zxcvbn's dictionaries of leaked passwords, names, words,
    keyboard patterns), and ones built from the account's own address or name. zxcvbn reads at most 72
    characters; a longer password is judged by its first 72."""
    verdict = zxcvbn(password[:ZXCVBN_MAX_LENGTH], user_inputs=[email, email.partition("@")[0], name])
    if verdict["score"] < MIN_PASSWORD_SCORE:
        feedback = verdict["feedback"]
        sentences = [feedback["warning"] or "This password is too easy to guess.", *feedback["suggestions"]]
        message = " ".join(text if text.endswith(".") else f"{text}." for text in sentences)
        raise ValidationFailed("Choose a stronger password", fields={"password": message}, code="weak_password")


async def _throttle(ctx: AppContext, scope: str, email: str, ip: str, per_email: int, per_ip: int) -> None:
    settings = ctx.settings
    source = network_key(ip)
    budgets = [(f"email:{email}:from:{source}", per_email), (f"ip:{source}", per_ip)]
    await ctx.limiter.acquire(scope, budgets, settings.login_window_seconds, "Too many attempts; try again later")


async def _by_email(session: AsyncSession, email: str) -> Account | None:
    return await session.scalar(select(Account).where(Account.email == email))


async def _mail_code(ctx: AppContext, email: str, purpose: CodePurpose, code: str) -> None:
    link = f"{ctx.settings.base_url}{CODE_PAGES[purpose]}?{urlencode({'email': email, 'code': code})}"
    mail = AccountMail(CODE_MAIL[purpose], email, code, link, ctx.settings.email_code_minutes)
    await send_account_mail.call(ctx, mail)


def _first_profile_name(name: str, email: str) -> str:
    return (name.strip() or email.split("@")[0])[:40].strip() or "Me"


async def signup(ctx: AppContext, session: AsyncSession, *, email: str, password: str, name: str, ip: str) -> None:
    """A new unverified account and its verification code; for a taken address, a note to its owner."""
    settings = ctx.settings
    email = normalize_email(email)
    await _throttle(ctx, SIGNUP_SCOPE, email, ip, settings.email_code_max_requests, settings.login_max_attempts_per_ip)
    check_password(password, email=email, name=name)
    password_hash = await asyncio.to_thread(hash_password, password)  # both paths pay for it: same timing
    if await _by_email(session, email) is None:
        account = Account(email=email, name=name, password_hash=password_hash)
        session.add(account)
        try:
            await session.flush()
        except IntegrityError:  # signed up in parallel: the other request made it
            await session.rollback()
        else:
            # every account starts with one profile, named after its holder
            await profiles.add_profile(session, account.account_id, name=_first_profile_name(name, email))
            audit.record(
                session,
                actor_type="account",
                actor_id=account.account_id,
                action="account.signup",
                entity_type="account",
                entity_id=account.account_id,
                after={"email": email, "name": name},
                ip_address=ip,
            )
            code = await codes.issue(ctx, session, email, CodePurpose.VERIFY, decoy=False)
            await session.commit()
            await _mail_code(ctx, email, CodePurpose.VERIFY, code)
            return
    await send_account_mail.call(ctx, AccountMail(AccountMailKind.SIGNUP_ATTEMPT, email, link=settings.base_url))


async def request_code(ctx: AppContext, session: AsyncSession, *, email: str, purpose: CodePurpose, ip: str) -> None:
    """Mails a code for passwordless sign-in, a password reset, or a new verification code; an address
    without an account gets a decoy code and a "no account here" note instead."""
    settings = ctx.settings
    email = normalize_email(email)
    await _throttle(
        ctx, CODE_REQUEST_SCOPE, email, ip, settings.email_code_max_requests, settings.email_code_max_requests_per_ip
    )
    account = await _by_email(session, email)
    usable = account is not None and account.status == AccountStatus.ACTIVE
    code = await codes.issue(ctx, session, email, purpose, decoy=not usable)
    await session.commit()
    if usable:
        await _mail_code(ctx, email, purpose, code)
    elif account is None:
        await send_account_mail.call(ctx, AccountMail(AccountMailKind.NO_ACCOUNT, email, link=settings.base_url))


async def _spend(
    ctx: AppContext, session: AsyncSession, email: str, purpose: CodePurpose, code: str, ip: str
) -> Account:
    settings = ctx.settings
    await ctx.limiter.acquire(
        CODE_GUESS_SCOPE,
        [(f"ip:{network_key(ip)}", settings.login_max_attempts_per_ip)],
        settings.login_window_seconds,
        "Too many attempts; try again later",
    )
    await codes.spend(ctx, session, email, purpose, code)
    account = await _by_email(session, email)
    if account is None:  # a decoy never matches; an account deleted since its code was sent
        raise codes.invalid_code()
    _refuse_disabled(account)
    if account.email_verified_at is None:  # any emailed code proves the address
        account.email_verified_at = utcnow()
    return account


def _refuse_disabled(account: Account) -> None:
    if account.status != AccountStatus.ACTIVE:
        raise Forbidden("This account is disabled; contact the organiser", code="account_disabled")


async def verify(ctx: AppContext, session: AsyncSession, *, email: str, code: str, ip: str, user_agent: str) -> SignIn:
    """Proves the address with the emailed code, and signs in."""
    account = await _spend(ctx, session, normalize_email(email), CodePurpose.VERIFY, code, ip)
    return await sessions.start(ctx, session, account, ip=ip, user_agent=user_agent)


async def login_with_code(
    ctx: AppContext, session: AsyncSession, *, email: str, code: str, ip: str, user_agent: str
) -> SignIn:
    account = await _spend(ctx, session, normalize_email(email), CodePurpose.LOGIN, code, ip)
    return await sessions.start(ctx, session, account, ip=ip, user_agent=user_agent)


async def login(
    ctx: AppContext, session: AsyncSession, *, email: str, password: str, ip: str, user_agent: str
) -> SignIn:
    """Password sign-in. The attempt is counted first; every failure costs one argon2 verification, off the
    event loop, whether or not the address has an account."""
    settings = ctx.settings
    email = normalize_email(email)
    await _throttle(ctx, LOGIN_SCOPE, email, ip, settings.login_max_failures, settings.login_max_attempts_per_ip)
    account = await _by_email(session, email)
    stored = account.password_hash if account is not None else None
    if account is None or not await asyncio.to_thread(verify_password, stored, password):
        raise Unauthorized("Email or password is wrong", code="invalid_credentials")
    _refuse_disabled(account)
    if account.email_verified_at is None:
        raise Forbidden(
            "Confirm your email address first: use the code we sent you, or ask for a new one",
            code="email_not_verified",
        )
    await ctx.limiter.reset(
        LOGIN_SCOPE, f"email:{email}:from:{network_key(ip)}", settings.login_max_failures, settings.login_window_seconds
    )
    return await sessions.start(ctx, session, account, ip=ip, user_agent=user_agent)


async def reset_password(
    ctx: AppContext, session: AsyncSession, *, email: str, code: str, password: str, ip: str, user_agent: str
) -> SignIn:
    """A new password from the emailed reset code: every other session ends, and this device is signed in."""
    email = normalize_email(email)
    account = await _by_email(session, email)
    check_password(password, email=email, name=account.name if account else "")
    account = await _spend(ctx, session, email, CodePurpose.RESET, code, ip)
    account.password_hash = await asyncio.to_thread(hash_password, password)
    await sessions.end_all(session, account.account_id)
    audit.record(
        session,
        actor_type="account",
        actor_id=account.account_id,
        action="account.password_reset",
        entity_type="account",
        entity_id=account.account_id,
        ip_address=ip,
    )
    return await sessions.start(ctx, session, account, ip=ip, user_agent=user_agent)


async def logout(session: AsyncSession, account_id: str, session_id: str, *, everywhere: bool) -> None:
    if everywhere:
        await sessions.end_all(session, account_id)
    else:
        await sessions.end(session, account_id, session_id)
    await session.commit()


async def rename(session: AsyncSession, account_id: str, name: str) -> Account:
    account = await session.get(Account, account_id)
    if account is None:
        raise NotFound("No such account", code="account_not_found")
    account.name = name.strip()
    await session.flush()
    return account
