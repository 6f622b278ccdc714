"""The account's profiles: list, add (at most five), change, remove, the avatar, and choosing who is watching."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Request, Response, status

from golive.identity.accounts import avatars, profiles
from golive.identity.accounts.auth import AccountHolder, SignedIn
from golive.identity.accounts.profile_schemas import (
    ProfileCreate,
    ProfileOut,
    ProfileSelect,
    ProfileUpdate,
    profile_out,
)
from golive.identity.accounts.profiles import ProfileChanges
from golive.platform.deps import Ctx, Session
from golive.platform.errors import NotFound
from golive.platform.schemas import ErrorResponse, ItemList

router = APIRouter(prefix="/api/account/profiles", tags=["account"])
ProfileId = Annotated[str, Path(alias="profileId", min_length=1, max_length=64)]

AVATAR_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {kind: {"schema": {"type": "string", "format": "binary"}} for kind in avatars.AVATAR_CONTENT_TYPES},
    }
}


@router.get("", response_model=ItemList[ProfileOut])
async def list_profiles(caller: SignedIn, session: Session) -> ItemList[ProfileOut]:
    """Who may watch under the account (`current`: the one watching on this device)."""
    rows = await profiles.list_profiles(session, caller.account.account_id)
    return ItemList[ProfileOut](items=[profile_out(row, caller.profile_id) for row in rows])


@router.post("", response_model=ProfileOut, status_code=status.HTTP_201_CREATED)
async def add_profile(body: ProfileCreate, caller: AccountHolder, session: Session) -> ProfileOut:
    profile = await profiles.add_profile(
        session,
        caller.account.account_id,
        name=body.name,
        is_kids=body.is_kids,
        max_rating=body.max_rating,
        language=body.language,
        preferences=body.preferences.model_dump(by_alias=True),
        pin=body.pin,
    )
    await session.commit()
    return profile_out(profile, caller.profile_id)


@router.patch("/{profileId}", response_model=ProfileOut)
async def change_profile(
    profile_id: ProfileId, body: ProfileUpdate, caller: AccountHolder, session: Session
) -> ProfileOut:
    """Only the fields sent change; `pin` sets the PIN, or with null clears it."""
    changes = ProfileChanges(
        fields=frozenset(body.model_fields_set),
        name=body.name,
        is_kids=body.is_kids,
        max_rating=body.max_rating,
        language=body.language,
        preferences=body.preferences.model_dump(by_alias=True) if body.preferences is not None else None,
        pin=body.pin,
    )
    profile = await profiles.change_profile(session, caller.account.account_id, profile_id, changes)
    await session.commit()
    return profile_out(profile, caller.profile_id)


@router.delete("/{profileId}", status_code=status.HTTP_204_NO_CONTENT)
async def remove_profile(profile_id: ProfileId, caller: AccountHolder, session: Session) -> Response:
    await profiles.remove_profile(session, caller.account.account_id, profile_id)
    await session.commit()
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post(
    "/{profileId}/select",
    response_model=ProfileOut,
    responses={429: {"model": ErrorResponse, "description": "Too many wrong PINs for this profile"}},
)
async def select_profile(
    profile_id: ProfileId, caller: SignedIn, ctx: Ctx, session: Session, body: ProfileSelect | None = None
) -> ProfileOut:
    """Makes the profile the one watching on this device; a profile with a PIN needs it."""
    profile = await profiles.select_profile(
        ctx,
        session,
        caller.account.account_id,
        caller.session_id,
        profile_id,
        pin=body.pin if body is not None else None,
        from_kids=caller.kids,
    )
    await session.commit()
    return profile_out(profile, profile.profile_id)


@router.put(
    "/{profileId}/avatar",
    response_model=ProfileOut,
    responses={415: {"model": ErrorResponse, "description": "Not a JPEG, PNG, WebP or GIF image"}},
    openapi_extra=AVATAR_BODY,
)
async def set_avatar(profile_id: ProfileId, request: Request, caller: AccountHolder, session: Session) -> ProfileOut:
    """The image (the raw body) becomes the profile's 256x256 avatar."""
    profile = await profiles.set_avatar(session, caller.account.account_id, profile_id, await request.body())
    await session.commit()
    return profile_out(profile, caller.profile_id)


@router.get(
    "/{profileId}/avatar",
    response_class=Response,
    responses={200: {"content": {"image/webp": {"schema": {"type": "string", "format": "binary"}}}}},
)
async def get_avatar(profile_id: ProfileId, caller: SignedIn, session: Session) -> Response:
    profile = await profiles.get_profile(session, caller.account.account_id, profile_id)
    if profile.avatar is None:
        raise NotFound("This profile has no avatar", code="avatar_not_found")
    headers = {"Cache-Control": "private, max-age=86400"}
    return Response(profile.avatar, media_type="image/webp", headers=headers)
