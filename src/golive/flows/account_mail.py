"""The accounts domain's messages, rendered by the email domain and delivered (and logged) by it; and the log's
copies of a deleted account's messages erased."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from golive.email import account_templates
from golive.email.service import OutgoingEmail, erase_recipient, send_email
from golive.email.templates import RenderedEmail
from golive.identity.accounts.hooks import AccountMail, AccountMailKind
from golive.platform.context import AppContext


def _render(mail: AccountMail) -> RenderedEmail:
    if mail.kind == AccountMailKind.SIGNUP_ATTEMPT:
        return account_templates.signup_attempt_email(link=mail.link or "")
    if mail.kind == AccountMailKind.NO_ACCOUNT:
        return account_templates.no_account_email(link=mail.link or "")
    return account_templates.code_email(
        mail.kind.value, code=mail.code or "", link=mail.link or "", minutes=mail.minutes
    )


async def send_account_mail(ctx: AppContext, mail: AccountMail) -> None:
    await send_email(ctx, OutgoingEmail(to=mail.to, email_type=mail.kind.value, content=_render(mail)))


async def erase_account_mail(session: AsyncSession, email: str) -> None:
    await erase_recipient(session, email)
