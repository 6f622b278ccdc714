"""The site settings (public read, owner and admin write), its pictures, and the home page's sections."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from fastapi import APIRouter, Request, Response
from pydantic import BaseModel

from golive.audit.actor import Actor
from golive.identity.staff.auth import AdminUser
from golive.platform.context import AppContext
from golive.platform.deps import ClientIp, Ctx, Session
from golive.platform.images import IMAGE_CONTENT_TYPES
from golive.platform.schemas import ErrorResponse
from golive.site import service
from golive.site.home import home_sections
from golive.site.schemas import HomeOut, SiteSettingsAdminOut, SiteSettingsOut, SiteSettingsUpdate
from golive.site.service import Picture

router = APIRouter(tags=["site"])

IMAGE_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {kind: {"schema": {"type": "string", "format": "binary"}} for kind in IMAGE_CONTENT_TYPES},
    }
}
WEBP: dict[int | str, dict[str, Any]] = {
    200: {"content": {"image/webp": {"schema": {"type": "string", "format": "binary"}}}}
}


def _actor(caller: AdminUser, ip: str) -> Actor:
    return Actor(kind="admin", id=caller.admin.admin_id, ip=ip)


SETTINGS_KEY = "site:settings"
HOME_KEY = "site:home"


async def _cached(ctx: AppContext, key: str, build: Callable[[], Awaitable[BaseModel]]) -> Response:
    """Every visitor reads the same answer: built once per GOLIVE_PUBLIC_CACHE_SECONDS (a save here drops it)."""
    body = ctx.public_answers.get(key, ctx.settings.public_cache_seconds)
    if body is None:
        body = (await build()).model_dump_json(by_alias=True).encode()
        ctx.public_answers.put(key, body)
    return Response(body, media_type="application/json", headers={"Cache-Control": "no-cache"})


def _changed(ctx: AppContext) -> None:
    ctx.public_answers.invalidate(SETTINGS_KEY)
    ctx.public_answers.invalidate(HOME_KEY)


@router.get("/api/settings", response_model=SiteSettingsOut)
async def get_settings(ctx: Ctx) -> Response:
    """The site's name, logo, colour, home page and about page: what every page of the viewer site shows."""

    async def build() -> SiteSettingsOut:
        async with ctx.db.sessionmaker() as session:
            row = await service.current(session)
            await session.commit()
        return service.public_out(row)

    return await _cached(ctx, SETTINGS_KEY, build)


@router.get("/api/admin/settings", response_model=SiteSettingsAdminOut)
async def get_admin_settings(_: AdminUser, session: Session) -> SiteSettingsAdminOut:
    """The settings as the console edits them (owners and admins)."""
    row = await service.current(session)
    await session.commit()
    return service.admin_out(row)


@router.put("/api/settings", response_model=SiteSettingsAdminOut)
async def put_settings(
    body: SiteSettingsUpdate, caller: AdminUser, ctx: Ctx, session: Session, ip: ClientIp
) -> SiteSettingsAdminOut:
    """Changes the fields sent (owners and admins); a primary colour white text is unreadable on is refused."""
    row = await service.save(session, body, _actor(caller, ip))
    await session.commit()
    _changed(ctx)
    return service.admin_out(row)


def _picture_routes(picture: Picture, label: str) -> None:
    path = f"/api/settings/{picture.value}"

    @router.put(
        path,
        response_model=SiteSettingsAdminOut,
        responses={415: {"model": ErrorResponse, "description": "Not a JPEG, PNG, WebP or GIF image"}},
        openapi_extra=IMAGE_BODY,
        name=f"set_{picture.name.lower()}",
        summary=f"Set the site's {label}",
    )
    async def set_picture(
        request: Request, caller: AdminUser, ctx: Ctx, session: Session, ip: ClientIp
    ) -> SiteSettingsAdminOut:
        """The image (the raw body), checked and re-encoded as WebP."""
        row = await service.set_picture(session, picture, await request.body(), _actor(caller, ip))
        await session.commit()
        _changed(ctx)
        return service.admin_out(row)

    @router.delete(
        path,
        response_model=SiteSettingsAdminOut,
        name=f"clear_{picture.name.lower()}",
        summary=f"Remove the site's {label}",
    )
    async def clear_picture(caller: AdminUser, ctx: Ctx, session: Session, ip: ClientIp) -> SiteSettingsAdminOut:
        row = await service.clear_picture(session, picture, _actor(caller, ip))
        await session.commit()
        _changed(ctx)
        return service.admin_out(row)

    @router.get(
        path, response_class=Response, responses=WEBP, name=f"get_{picture.name.lower()}", summary=f"The site's {label}"
    )
    async def get_picture(session: Session) -> Response:
        """Its URL carries the settings' version (`?v=`), so a browser may keep it for a day without asking."""
        data = await service.picture(session, picture)
        return Response(data, media_type="image/webp", headers={"Cache-Control": "public, max-age=86400"})


_picture_routes(Picture.LOGO, "logo")
_picture_routes(Picture.HERO_BACKGROUND, "home page background")


@router.get("/api/home", response_model=HomeOut)
async def home(ctx: Ctx) -> Response:
    """The home page's sections: live now, upcoming, featured and replays of the published events (an event's
    change shows within GOLIVE_PUBLIC_CACHE_SECONDS)."""

    async def build() -> HomeOut:
        async with ctx.db.sessionmaker() as session:
            sections = await home_sections(session, await service.current(session))
            await session.commit()
        return sections

    return await _cached(ctx, HOME_KEY, build)
