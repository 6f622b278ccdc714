"""The accounts API's bodies: `email`, `password`, `name`, `code` on the wire; sign-ins answer with a `token`."""

from __future__ import annotations

from datetime import datetime

from pydantic import EmailStr, Field, model_validator

from golive.identity.accounts.models import Account, AccountSession, AccountStatus
from golive.identity.accounts.profile_schemas import ProfileOut
from golive.identity.accounts.sessions import AuthenticatedAccount
from golive.platform.schemas import CamelModel, InputModel

Password = Field(min_length=10, max_length=256)
Code = Field(min_length=6, max_length=6, pattern=r"^[0-9]{6}$")


class FromDevice(InputModel):
    """A sign-in's body: it may name the browser, whose rights as a guest then become the account's."""

    client_viewer_id: str | None = Field(
        default=None,
        pattern=r"^[A-Za-z0-9_-]{8,128}$",
        description="the viewer site's browser id (clientViewerId): what it cleared or bought becomes the account's",
    )


class AccountSignupRequest(InputModel):
    email: EmailStr = Field(max_length=254)
    password: str = Password
    name: str = Field(default="", max_length=120)


class AccountEmailRequest(InputModel):
    email: EmailStr = Field(max_length=254)


class AccountCodeRequest(FromDevice):
    email: EmailStr = Field(max_length=254)
    code: str = Code


class AccountLoginRequest(FromDevice):
    """A password sign-in, or a passwordless one with the code from POST /api/account/login-code."""

    email: EmailStr = Field(max_length=254)
    password: str | None = Field(default=None, min_length=1, max_length=256)
    code: str | None = Field(default=None, min_length=6, max_length=6, pattern=r"^[0-9]{6}$")

    @model_validator(mode="after")
    def _one_secret(self) -> AccountLoginRequest:
        if (self.password is None) == (self.code is None):
            raise ValueError("send either a password or the emailed code")
        return self


class AccountResetRequest(FromDevice):
    email: EmailStr = Field(max_length=254)
    code: str = Code
    password: str = Password


class AccountDeleteRequest(InputModel):
    """The account's password, when it has one."""

    password: str | None = Field(default=None, min_length=1, max_length=256)


class AccountUpdate(InputModel):
    name: str = Field(max_length=120)


class AccountLogoutRequest(InputModel):
    everywhere: bool = False


class AccountMailAccepted(CamelModel):
    """What every call that may mail a code answers, whether or not the address has an account."""

    status: str = "sent"
    message: str = "If the address can receive it, an email is on its way"


class AccountOut(CamelModel):
    account_id: str
    email: str
    name: str
    email_verified: bool
    has_password: bool
    status: AccountStatus
    last_login_at: datetime | None
    created_at: datetime
    # who is watching on this device (GET /api/account; null until a profile is chosen)
    profile_id: str | None = None
    kids: bool = False


class AccountSignInOut(CamelModel):
    account: AccountOut
    token: str
    expires_at: datetime


class AccountSessionOut(CamelModel):
    session_id: str
    current: bool
    created_at: datetime
    last_used_at: datetime
    expires_at: datetime
    ip_address: str | None
    user_agent: str | None


class AdminAccountUpdate(InputModel):
    status: AccountStatus


class AdminAccountOut(AccountOut):
    """An account as the organiser sees it, with the sessions it is signed in with and its profiles (what it
    holds: GET /api/admin/accounts/{accountId}/library)."""

    sessions: list[AccountSessionOut]
    profiles: list[ProfileOut]


def account_out(account: Account, signed: AuthenticatedAccount | None = None) -> AccountOut:
    return AccountOut(
        profile_id=signed.profile_id if signed is not None else None,
        kids=signed.kids if signed is not None else False,
        account_id=account.account_id,
        email=account.email,
        name=account.name,
        email_verified=account.email_verified_at is not None,
        has_password=account.password_hash is not None,
        status=account.status,
        last_login_at=account.last_login_at,
        created_at=account.created_at,
    )


def session_out(row: AccountSession, current_session_id: str | None) -> AccountSessionOut:
    return AccountSessionOut(
        session_id=row.session_id,
        current=row.session_id == current_session_id,
        created_at=row.created_at,
        last_used_at=row.last_used_at,
        expires_at=row.expires_at,
        ip_address=row.ip_address,
        user_agent=row.user_agent,
    )
