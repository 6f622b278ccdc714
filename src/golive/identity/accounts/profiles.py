"""Profiles: up to five people under one account, each with its own name, avatar, language, preferences, an
optional 4-digit PIN and kids mode. Who is watching is chosen per sign-in session (`select`).

The limit holds under parallel requests: `accounts.profile_count` is raised by a conditional UPDATE before the
profile is added, in the same unit of work. A PIN is hashed like a password, and every try is counted before it
is compared, so guesses in parallel never get more tries than the limit.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from golive.identity.accounts import avatars
from golive.identity.accounts.models import Account, AccountProfile, AccountSession
from golive.platform.context import AppContext
from golive.platform.db import utcnow
from golive.platform.errors import Conflict, Forbidden, NotFound
from golive.platform.passwords import hash_password, verify_password
from golive.platform.ratings import ContentRating

MAX_PROFILES = 5
PIN_SCOPE = "profile-pin"
PIN_TRIES = 5
PIN_WINDOW_SECONDS = 15 * 60
# Keys of `preferences` a profile keeps (anything else sent is refused by the schema).
PREFERENCE_KEYS = ("autoplay", "audioLanguage", "subtitleLanguage")


@dataclass(frozen=True)
class ProfileChanges:
    """A PATCH's fields; `fields` names those sent (a `pin` of None clears the PIN)."""

    fields: frozenset[str]
    name: str | None = None
    is_kids: bool | None = None
    max_rating: ContentRating | None = None
    language: str | None = None
    preferences: dict[str, Any] | None = None
    pin: str | None = None


def refuse_kids(kids: bool, what: str) -> None:
    """A kids profile opens no account settings, no checkout and no profile that has a PIN."""
    if kids:
        raise Forbidden(f"A kids profile cannot {what}; switch to another profile", code="kids_profile")


async def list_profiles(session: AsyncSession, account_id: str) -> list[AccountProfile]:
    rows = await session.scalars(
        select(AccountProfile)
        .where(AccountProfile.account_id == account_id)
        .order_by(AccountProfile.created_at, AccountProfile.profile_id)
    )
    return list(rows)


async def get_profile(session: AsyncSession, account_id: str, profile_id: str) -> AccountProfile:
    profile = await session.get(AccountProfile, profile_id)
    if profile is None or profile.account_id != account_id:
        raise NotFound("No such profile", code="profile_not_found")
    return profile


async def add_profile(
    session: AsyncSession,
    account_id: str,
    *,
    name: str,
    is_kids: bool = False,
    max_rating: ContentRating | None = None,
    language: str = "en",
    preferences: dict[str, Any] | None = None,
    pin: str | None = None,
) -> AccountProfile:
    """A new profile, in the caller's unit of work; the sixth is a 409."""
    raised = await session.execute(
        update(Account)
        .where(Account.account_id == account_id, Account.profile_count < MAX_PROFILES)
        .values(profile_count=Account.profile_count + 1)
        .execution_options(synchronize_session=False)
    )
    if getattr(raised, "rowcount", 0) != 1:
        raise Conflict(
            f"An account has at most {MAX_PROFILES} profiles; remove one to add another", code="profile_limit"
        )
    profile = AccountProfile(
        account_id=account_id,
        name=name,
        is_kids=is_kids,
        max_rating=max_rating if is_kids else None,
        language=language,
        preferences=preferences or {},
        pin_hash=await asyncio.to_thread(hash_password, pin) if pin is not None else None,
    )
    session.add(profile)
    await session.flush()
    return profile


async def change_profile(
    session: AsyncSession, account_id: str, profile_id: str, changes: ProfileChanges
) -> AccountProfile:
    profile = await get_profile(session, account_id, profile_id)
    for field in ("name", "is_kids", "language", "preferences"):
        if field in changes.fields and getattr(changes, field) is not None:
            setattr(profile, field, getattr(changes, field))
    if "max_rating" in changes.fields:
        profile.max_rating = changes.max_rating
    if not profile.is_kids:
        profile.max_rating = None
    if "pin" in changes.fields:
        profile.pin_hash = await asyncio.to_thread(hash_password, changes.pin) if changes.pin is not None else None
    profile.updated_at = utcnow()
    await session.flush()
    return profile


async def remove_profile(session: AsyncSession, account_id: str, profile_id: str) -> None:
    profile = await get_profile(session, account_id, profile_id)
    await session.execute(
        update(AccountSession)
        .where(AccountSession.account_id == account_id, AccountSession.profile_id == profile_id)
        .values(profile_id=None)
        .execution_options(synchronize_session=False)
    )
    await session.delete(profile)
    await session.execute(
        update(Account)
        .where(Account.account_id == account_id, Account.profile_count > 0)
        .values(profile_count=Account.profile_count - 1)
        .execution_options(synchronize_session=False)
    )


async def select_profile(
    ctx: AppContext,
    session: AsyncSession,
    account_id: str,
    session_id: str,
    profile_id: str,
    *,
    pin: str | None,
    from_kids: bool,
) -> AccountProfile:
    """Makes the profile the one watching on this sign-in session; a PIN profile asks for its PIN (counted
    tries), and a kids profile may not open one."""
    profile = await get_profile(session, account_id, profile_id)
    if profile.pin_hash is not None:
        refuse_kids(from_kids, "open a profile that has a PIN")
        await ctx.limiter.acquire(
            PIN_SCOPE,
            [(f"profile:{profile.profile_id}", PIN_TRIES)],
            PIN_WINDOW_SECONDS,
            "Too many wrong PINs; wait before trying again",
        )
        if pin is None or not await asyncio.to_thread(verify_password, profile.pin_hash, pin):
            raise Forbidden("That PIN is not right", code="wrong_pin", details={"fields": {"pin": "is not right"}})
        await ctx.limiter.reset(PIN_SCOPE, f"profile:{profile.profile_id}", PIN_TRIES, PIN_WINDOW_SECONDS)
    await session.execute(
        update(AccountSession)
        .where(AccountSession.session_id == session_id, AccountSession.account_id == account_id)
        .values(profile_id=profile.profile_id)
        .execution_options(synchronize_session=False)
    )
    return profile


async def set_avatar(session: AsyncSession, account_id: str, profile_id: str, upload: bytes) -> AccountProfile:
    profile = await get_profile(session, account_id, profile_id)
    profile.avatar = await asyncio.to_thread(avatars.avatar_from_upload, upload)
    profile.avatar_updated_at = profile.updated_at = utcnow()
    await session.flush()
    return profile
