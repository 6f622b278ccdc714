"""The audience's own account: sign-up, verification, sign-in (password or emailed code), password reset,
sign-out here or everywhere, and the sessions (devices) it is signed in on."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Request, Response, status
from fastapi.responses import JSONResponse
from sqlalchemy.ext.asyncio import AsyncSession

from golive.identity.accounts import erasure, service, sessions
from golive.identity.accounts.auth import ACCOUNT_COOKIES, AccountHolder, SignedIn
from golive.identity.accounts.hooks import device_signed_in
from golive.identity.accounts.models import CodePurpose
from golive.identity.accounts.profiles import refuse_kids
from golive.identity.accounts.schemas import (
    AccountCodeRequest,
    AccountDeleteRequest,
    AccountEmailRequest,
    AccountLoginRequest,
    AccountLogoutRequest,
    AccountMailAccepted,
    AccountOut,
    AccountResetRequest,
    AccountSessionOut,
    AccountSignInOut,
    AccountSignupRequest,
    AccountUpdate,
    FromDevice,
    account_out,
    session_out,
)
from golive.identity.accounts.sessions import SignIn
from golive.platform.context import AppContext
from golive.platform.deps import ClientIp, Ctx, Session
from golive.platform.schemas import ItemList

router = APIRouter(prefix="/api/account", tags=["account"])
SessionId = Annotated[str, Path(alias="sessionId", min_length=1, max_length=64)]


async def _signed_in(
    ctx: AppContext, session: AsyncSession, response: Response, signed: SignIn, body: FromDevice
) -> AccountSignInOut:
    """The answer of every sign-in: the token (API clients) and the two cookies (the viewer site); the browser
    it names gives the account what it held as a guest."""
    if body.client_viewer_id is not None:
        await device_signed_in.call(session, signed.account.account_id, body.client_viewer_id)
        await session.commit()
    ACCOUNT_COOKIES.set(
        response,
        token=signed.token,
        csrf_token=signed.csrf_token,
        max_age=int(sessions.session_lifetime(ctx).total_seconds()),
        secure=ctx.settings.secure_cookies,
    )
    return AccountSignInOut(account=account_out(signed.account), token=signed.token, expires_at=signed.expires_at)


def _user_agent(request: Request) -> str:
    return request.headers.get("user-agent", "")


@router.post("/signup", response_model=AccountMailAccepted, status_code=status.HTTP_202_ACCEPTED)
async def signup(body: AccountSignupRequest, ctx: Ctx, session: Session, ip: ClientIp) -> AccountMailAccepted:
    """Mails a verification code; a taken address answers the same and its owner is told instead."""
    await service.signup(ctx, session, email=str(body.email), password=body.password, name=body.name, ip=ip)
    return AccountMailAccepted()


@router.post("/verify", response_model=AccountSignInOut)
async def verify(
    body: AccountCodeRequest, request: Request, response: Response, ctx: Ctx, session: Session, ip: ClientIp
) -> AccountSignInOut:
    signed = await service.verify(
        ctx, session, email=str(body.email), code=body.code, ip=ip, user_agent=_user_agent(request)
    )
    return await _signed_in(ctx, session, response, signed, body)


@router.post("/verify/resend", response_model=AccountMailAccepted, status_code=status.HTTP_202_ACCEPTED)
async def resend_verification(
    body: AccountEmailRequest, ctx: Ctx, session: Session, ip: ClientIp
) -> AccountMailAccepted:
    await service.request_code(ctx, session, email=str(body.email), purpose=CodePurpose.VERIFY, ip=ip)
    return AccountMailAccepted()


@router.post("/login", response_model=AccountSignInOut)
async def login(
    body: AccountLoginRequest, request: Request, response: Response, ctx: Ctx, session: Session, ip: ClientIp
) -> AccountSignInOut:
    email, user_agent = str(body.email), _user_agent(request)
    if body.code is not None:
        signed = await service.login_with_code(ctx, session, email=email, code=body.code, ip=ip, user_agent=user_agent)
    else:
        password = body.password or ""
        signed = await service.login(ctx, session, email=email, password=password, ip=ip, user_agent=user_agent)
    return await _signed_in(ctx, session, response, signed, body)


@router.post("/login-code", response_model=AccountMailAccepted, status_code=status.HTTP_202_ACCEPTED)
async def login_code(body: AccountEmailRequest, ctx: Ctx, session: Session, ip: ClientIp) -> AccountMailAccepted:
    """Mails a one-time sign-in code (passwordless); POST /api/account/login with `code` spends it."""
    await service.request_code(ctx, session, email=str(body.email), purpose=CodePurpose.LOGIN, ip=ip)
    return AccountMailAccepted()


@router.post("/password-reset", response_model=AccountMailAccepted, status_code=status.HTTP_202_ACCEPTED)
async def password_reset(body: AccountEmailRequest, ctx: Ctx, session: Session, ip: ClientIp) -> AccountMailAccepted:
    await service.request_code(ctx, session, email=str(body.email), purpose=CodePurpose.RESET, ip=ip)
    return AccountMailAccepted()


@router.post("/password-reset/confirm", response_model=AccountSignInOut)
async def confirm_password_reset(
    body: AccountResetRequest, request: Request, response: Response, ctx: Ctx, session: Session, ip: ClientIp
) -> AccountSignInOut:
    """Sets the new password, ends every other session and signs this device in."""
    signed = await service.reset_password(
        ctx,
        session,
        email=str(body.email),
        code=body.code,
        password=body.password,
        ip=ip,
        user_agent=_user_agent(request),
    )
    return await _signed_in(ctx, session, response, signed, body)


@router.post("/logout", status_code=status.HTTP_204_NO_CONTENT)
async def logout(caller: SignedIn, session: Session, body: AccountLogoutRequest | None = None) -> Response:
    """Signs this device out, or (not from a kids profile) every device."""
    everywhere = body.everywhere if body is not None else False
    if everywhere:
        refuse_kids(caller.kids, "sign out every device")
    await service.logout(session, caller.account.account_id, caller.session_id, everywhere=everywhere)
    response = Response(status_code=status.HTTP_204_NO_CONTENT)
    ACCOUNT_COOKIES.clear(response)
    return response


@router.get("", response_model=AccountOut)
async def me(caller: SignedIn) -> AccountOut:
    return account_out(caller.account, caller)


@router.patch("", response_model=AccountOut)
async def change_account(body: AccountUpdate, caller: AccountHolder, session: Session) -> AccountOut:
    account = await service.rename(session, caller.account.account_id, body.name)
    await session.commit()
    return account_out(account, caller)


@router.get("/export", response_class=JSONResponse)
async def export_account(caller: AccountHolder, session: Session) -> JSONResponse:
    """Everything kept about the account, as a JSON file to download."""
    data = await erasure.export(session, caller.account)
    headers = {"Content-Disposition": 'attachment; filename="golive-account.json"', "Cache-Control": "no-store"}
    return JSONResponse(data, headers=headers)


@router.delete("", status_code=status.HTTP_204_NO_CONTENT)
async def delete_account(
    caller: AccountHolder, ctx: Ctx, session: Session, ip: ClientIp, body: AccountDeleteRequest | None = None
) -> Response:
    """Deletes the account and erases what it kept (its password again first, when it has one)."""
    password = body.password if body is not None else None
    await erasure.delete_account(ctx, session, caller.account.account_id, password=password, ip=ip)
    response = Response(status_code=status.HTTP_204_NO_CONTENT)
    ACCOUNT_COOKIES.clear(response)
    return response


@router.get("/sessions", response_model=ItemList[AccountSessionOut])
async def list_sessions(caller: AccountHolder, session: Session) -> ItemList[AccountSessionOut]:
    rows = await sessions.live_sessions(session, caller.account.account_id)
    items = [session_out(row, caller.session_id) for row in rows]
    return ItemList[AccountSessionOut](items=items)


@router.delete("/sessions", status_code=status.HTTP_204_NO_CONTENT)
async def end_other_sessions(caller: AccountHolder, session: Session) -> Response:
    """Signs out every other device; this one stays signed in (POST /logout {"everywhere": true} ends it too)."""
    await sessions.end_all(session, caller.account.account_id, keep=caller.session_id)
    await session.commit()
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.delete("/sessions/{sessionId}", status_code=status.HTTP_204_NO_CONTENT)
async def end_session(session_id: SessionId, caller: AccountHolder, session: Session) -> Response:
    await sessions.end(session, caller.account.account_id, session_id)
    await session.commit()
    return Response(status_code=status.HTTP_204_NO_CONTENT)
