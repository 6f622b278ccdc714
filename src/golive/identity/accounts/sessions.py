"""Account sign-in sessions: started by a sign-in, carried as a signed token (cookie or bearer), ended here
or everywhere. Each is a row, so the account can list its devices and end any of them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import bindparam, select, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from golive.identity.accounts.models import Account, AccountProfile, AccountSession, AccountStatus
from golive.platform.context import AppContext
from golive.platform.db import utcnow
from golive.platform.errors import NotFound, Unauthorized
from golive.platform.ratings import ContentRating, profile_limit

SESSION_TOKEN_PURPOSE = "account-session"
# A session's last use is written at most this often (not on every request).
LAST_USED_EVERY = timedelta(minutes=5)


@dataclass
class SignIn:
    account: Account
    session_id: str
    token: str
    csrf_token: str
    expires_at: datetime


@dataclass
class AuthenticatedAccount:
    account: Account
    session_id: str
    via_cookie: bool
    # who is watching on this device (None until a profile is chosen), and whether that is a kids profile
    profile_id: str | None = None
    kids: bool = False
    max_rating: ContentRating | None = None  # the watching profile's limit (platform.ratings.profile_limit)


def csrf_token_for(ctx: AppContext, session_id: str) -> str:
    """Bound to the sign-in session, so a cookie planted by another site cannot forge it."""
    return ctx.tokens.mac("account-csrf", session_id)


def session_lifetime(ctx: AppContext) -> timedelta:
    return timedelta(days=ctx.settings.account_session_days)


async def start(ctx: AppContext, session: AsyncSession, account: Account, *, ip: str, user_agent: str) -> SignIn:
    """A new session for the account, committed with whatever the caller changed."""
    now = utcnow()
    expires_at = now + session_lifetime(ctx)
    row = AccountSession(
        account_id=account.account_id,
        created_at=now,
        last_used_at=now,
        expires_at=expires_at,
        ip_address=ip,
        user_agent=user_agent[:512],
    )
    session.add(row)
    account.last_login_at = now
    await session.flush()
    token = ctx.tokens.dumps(SESSION_TOKEN_PURPOSE, {"sid": row.session_id})
    await session.commit()
    return SignIn(account, row.session_id, token, csrf_token_for(ctx, row.session_id), expires_at)


_ACCOUNT_COLUMNS = list(Account.__table__.c)
_SESSIONS = AccountSession.__table__.c
_PROFILES = AccountProfile.__table__.c
_LOOKUP = (
    select(
        *_ACCOUNT_COLUMNS,
        _SESSIONS.revoked_at,
        _SESSIONS.expires_at,
        _SESSIONS.last_used_at,
        _SESSIONS.profile_id,
        _PROFILES.is_kids,
        _PROFILES.max_rating,
    )
    .join_from(Account.__table__, AccountSession.__table__, _SESSIONS.account_id == Account.__table__.c.account_id)
    .outerjoin(AccountProfile.__table__, _PROFILES.profile_id == _SESSIONS.profile_id)
    .where(_SESSIONS.session_id == bindparam("sid"))
)
_TOUCH = (
    update(AccountSession)
    .where(AccountSession.session_id == bindparam("sid"))
    .values(last_used_at=bindparam("at"))
    .execution_options(synchronize_session=False)
)


async def authenticate(
    ctx: AppContext, connection: AsyncConnection, token: str, via_cookie: bool
) -> AuthenticatedAccount:
    """The account behind a session token, while the session is live and the account active, with the profile
    watching on it (one Core query on an autocommitted connection; the Account it returns is detached, for
    reading)."""
    expired = Unauthorized("Your sign-in has expired; sign in again", code="session_expired")
    payload = ctx.tokens.loads(SESSION_TOKEN_PURPOSE, token, int(session_lifetime(ctx).total_seconds()))
    if payload is None or not isinstance(payload.get("sid"), str):
        raise expired
    row = (await connection.execute(_LOOKUP, {"sid": payload["sid"]})).first()
    now = utcnow()
    if row is None or row.revoked_at is not None or row.expires_at <= now:
        raise expired
    if row.status != AccountStatus.ACTIVE:
        raise Unauthorized("This account is disabled", code="account_disabled")
    if now - row.last_used_at > LAST_USED_EVERY:
        await connection.execute(_TOUCH, {"sid": payload["sid"], "at": now})
        await connection.commit()  # SQLite's read connection is not autocommitted
    fields = row._mapping
    account = Account(**{column.key: fields[column.key] for column in _ACCOUNT_COLUMNS})
    kids = bool(row.is_kids)
    limit = profile_limit(kids, row.max_rating) if row.profile_id is not None else None
    return AuthenticatedAccount(account, payload["sid"], via_cookie, row.profile_id, kids, limit)


_ACCOUNTS = Account.__table__.c
_LIVE_ACCOUNT = (
    select(
        _SESSIONS.account_id,
        _SESSIONS.profile_id,
        _ACCOUNTS.email,
        _ACCOUNTS.email_verified_at,
        _PROFILES.is_kids,
        _PROFILES.max_rating,
        _ACCOUNTS.name.label("account_name"),
        _PROFILES.name.label("profile_name"),
    )
    .join_from(AccountSession.__table__, Account.__table__, _SESSIONS.account_id == _ACCOUNTS.account_id)
    .outerjoin(AccountProfile.__table__, _PROFILES.profile_id == _SESSIONS.profile_id)
    .where(
        _SESSIONS.session_id == bindparam("sid"),
        _SESSIONS.revoked_at.is_(None),
        _SESSIONS.expires_at > bindparam("now"),
        _ACCOUNTS.status == AccountStatus.ACTIVE.value,
    )
)


@dataclass(frozen=True)
class LiveAccount:
    account_id: str
    verified_email: str | None  # the address, once proved (the rights an admin gave it count)
    kids: bool  # a kids profile is watching (it may not pay)
    max_rating: ContentRating | None = None  # the watching profile's limit (platform.ratings.profile_limit)
    name: str = ""  # the watching profile's name, else the account's (how the chat shows them)


async def live_account(session: AsyncSession, session_id: str) -> LiveAccount | None:
    """The account of a session while it is live and its account active: whose rights a browser signed in
    with it holds (signing out, here or everywhere, or a disabled account ends them at once)."""
    row = (await session.execute(_LIVE_ACCOUNT, {"sid": session_id, "now": utcnow()})).first()
    if row is None:
        return None
    kids = bool(row.is_kids)
    limit = profile_limit(kids, row.max_rating) if row.profile_id is not None else None
    email = row.email if row.email_verified_at is not None else None
    return LiveAccount(row.account_id, email, kids, limit, row.profile_name or row.account_name or "")


async def account_of_session(session: AsyncSession, session_id: str) -> str | None:
    """The account a session belongs to, live or ended (who paid in a checkout opened while signed in)."""
    found = await session.scalar(select(AccountSession.account_id).where(AccountSession.session_id == session_id))
    return str(found) if found is not None else None


async def end(session: AsyncSession, account_id: str, session_id: str) -> None:
    """Ends one of the account's sessions (404 for anyone else's)."""
    result = await session.execute(
        update(AccountSession)
        .where(
            AccountSession.session_id == session_id,
            AccountSession.account_id == account_id,
            AccountSession.revoked_at.is_(None),
        )
        .values(revoked_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    if getattr(result, "rowcount", 0) != 1:
        raise NotFound("No such session", code="session_not_found")


async def end_all(session: AsyncSession, account_id: str, *, keep: str | None = None) -> None:
    """Ends every session of the account (but `keep`): sign out everywhere, a new password, a disabled account."""
    await session.execute(
        update(AccountSession)
        .where(
            AccountSession.account_id == account_id,
            AccountSession.revoked_at.is_(None),
            AccountSession.session_id != (keep or ""),
        )
        .values(revoked_at=utcnow())
        .execution_options(synchronize_session=False)
    )


async def live_sessions(session: AsyncSession, account_id: str) -> list[AccountSession]:
    """The account's sessions that still work, most recently used first."""
    rows = await session.scalars(
        select(AccountSession)
        .where(
            AccountSession.account_id == account_id,
            AccountSession.revoked_at.is_(None),
            AccountSession.expires_at > utcnow(),
        )
        .order_by(AccountSession.last_used_at.desc(), AccountSession.session_id.desc())
    )
    return list(rows)
