"""What the accounts domain asks of others through hooks (golive.platform.hooks), wired by golive.flows.

Identity sits below email in the layers, so it cannot send mail itself: it says what to send, and a flow
renders and delivers it.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Any, Protocol

from sqlalchemy.ext.asyncio import AsyncSession

from golive.platform.context import AppContext
from golive.platform.hooks import Hook


class AccountMailKind(enum.StrEnum):
    VERIFY = "account_verify"  # the code (and link) that proves the address after sign-up
    LOGIN_CODE = "account_login_code"  # a passwordless sign-in code
    PASSWORD_RESET = "account_password_reset"
    SIGNUP_ATTEMPT = "account_signup_attempt"  # someone signed up with an address that has an account
    NO_ACCOUNT = "account_no_account"  # a code was asked for an address without an account


@dataclass(frozen=True)
class AccountMail:
    kind: AccountMailKind
    to: str
    code: str | None = None
    link: str | None = None
    minutes: int = 0


class SendAccountMail(Protocol):
    async def __call__(self, ctx: AppContext, mail: AccountMail) -> None:
        """Renders and delivers the message (logged in the email log); never raises for delivery errors."""
        ...


send_account_mail: Hook[SendAccountMail] = Hook("accounts.send_account_mail")


class AccountErased(Protocol):
    async def __call__(self, session: AsyncSession, email: str) -> None:
        """What other domains keep of the address is erased, in the deletion's unit of work."""
        ...


account_erased: Hook[AccountErased] = Hook("accounts.account_erased")


class DeviceSignedIn(Protocol):
    async def __call__(self, session: AsyncSession, account_id: str, client_viewer_id: str) -> None:
        """What the browser held as a guest becomes the account's too, in the sign-in's unit of work."""
        ...


device_signed_in: Hook[DeviceSignedIn] = Hook("accounts.device_signed_in")


class ExportedElsewhere(Protocol):
    async def __call__(self, session: AsyncSession, account_id: str) -> dict[str, Any]:
        """What other domains keep of the account (its notifications, its email preferences), by export key."""
        ...


exported_elsewhere: Hook[ExportedElsewhere] = Hook("accounts.exported_elsewhere")
