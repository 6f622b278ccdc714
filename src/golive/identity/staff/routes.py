"""Admin login, logout, and (owners only) managing the admin team."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Request, Response, status

from golive.identity.staff import service
from golive.identity.staff.auth import ADMIN_COOKIES, Editor, Owner
from golive.identity.staff.schemas import AdminCreate, AdminOut, AdminUpdate, LoginRequest, LoginResponse
from golive.platform.deps import ClientIp, Ctx, Session
from golive.platform.schemas import ItemList

router = APIRouter(tags=["auth"])


@router.post("/api/auth/login", response_model=LoginResponse)
async def login(
    body: LoginRequest, request: Request, response: Response, ctx: Ctx, session: Session, ip: ClientIp
) -> LoginResponse:
    result = await service.login(
        ctx,
        session,
        email=body.email,
        password=body.password,
        ip=ip,
        user_agent=request.headers.get("user-agent", ""),
    )
    ADMIN_COOKIES.set(
        response,
        token=result.token,
        csrf_token=result.csrf_token,
        max_age=ctx.settings.admin_session_hours * 3600,
        secure=ctx.settings.secure_cookies,
    )
    return LoginResponse(admin=AdminOut.model_validate(result.admin), token=result.token, expires_at=result.expires_at)


@router.post("/api/auth/logout", status_code=status.HTTP_204_NO_CONTENT)
async def logout(caller: Editor, session: Session) -> Response:
    await service.logout(session, caller.session_id)
    response = Response(status_code=status.HTTP_204_NO_CONTENT)
    ADMIN_COOKIES.clear(response)
    return response


@router.get("/api/auth/me", response_model=AdminOut)
async def me(caller: Editor) -> AdminOut:
    return AdminOut.model_validate(caller.admin)


admins_router = APIRouter(prefix="/api/admins", tags=["admins"])


@admins_router.get("", response_model=ItemList[AdminOut])
async def list_admins(_: Owner, session: Session) -> ItemList[AdminOut]:
    admins = await service.list_admins(session)
    return ItemList[AdminOut](items=[AdminOut.model_validate(a) for a in admins])


@admins_router.post("", response_model=AdminOut, status_code=status.HTTP_201_CREATED)
async def create_admin(body: AdminCreate, caller: Owner, session: Session) -> AdminOut:
    admin = await service.create_admin(
        session,
        email=str(body.email),
        password=body.password,
        name=body.name,
        role=body.role,
        actor_id=caller.admin.admin_id,
    )
    return AdminOut.model_validate(admin)


@admins_router.patch("/{adminId}", response_model=AdminOut)
async def update_admin(
    admin_id: Annotated[str, Path(alias="adminId", max_length=64)], body: AdminUpdate, caller: Owner, session: Session
) -> AdminOut:
    admin = await service.get_admin(session, admin_id)
    updated = await service.update_admin(
        session,
        admin,
        actor=caller.admin,
        name=body.name,
        role=body.role,
        status=body.status,
        password=body.password,
        keep_session_id=caller.session_id,
    )
    return AdminOut.model_validate(updated)
