"""The messages of audience accounts: the verification and sign-in codes, the password reset, and the two notes
that keep an address's secrets (someone signed up with it; someone asked a code for it and it has no account)."""

from __future__ import annotations

import html
from string import Template

from golive.email.templates import RenderedEmail

_LAYOUT = Template(
    """<!doctype html>
<html><body style="font-family: sans-serif; line-height: 1.5; color: #1b1b1f">
$body
</body></html>
"""
)

_CODE = {
    "account_verify": ("Confirm your email address", "Your code to confirm this address is:", "Confirm my address"),
    "account_login_code": ("Your sign-in code", "Your code to sign in is:", "Sign in"),
    "account_password_reset": (
        "Reset your password",
        "Your code to choose a new password is:",
        "Choose a new password",
    ),
}


def _page(paragraphs: list[str], link: str, label: str) -> str:
    body = "\n".join(f"<p>{html.escape(text)}</p>" for text in paragraphs)
    button = f'<p><a href="{html.escape(link, quote=True)}">{html.escape(label)}</a></p>'
    return _LAYOUT.substitute(body=body + "\n" + button)


def code_email(kind: str, *, code: str, link: str, minutes: int) -> RenderedEmail:
    """The code (and a link that carries it) for one of `_CODE`'s kinds."""
    subject, lead, label = _CODE[kind]
    closing = f"The code works once and expires in {minutes} minutes. If you did not ask for it, ignore this email."
    text = f"Hello,\n\n{lead}\n\n    {code}\n\nEnter it on the page, or open this link:\n{link}\n\n{closing}\n"
    code_html = f'<p style="font-size: 28px; font-weight: bold; letter-spacing: 6px">{html.escape(code)}</p>'
    body = f"<p>Hello,</p>\n<p>{html.escape(lead)}</p>\n{code_html}\n"
    button = f'<p><a href="{html.escape(link, quote=True)}">{html.escape(label)}</a></p>\n'
    return RenderedEmail(subject, text, _LAYOUT.substitute(body=body + button + f"<p>{html.escape(closing)}</p>"))


def signup_attempt_email(*, link: str) -> RenderedEmail:
    paragraphs = [
        "Hello,",
        "Someone tried to create an account with this email address, which already has one. "
        "No new account was made and nothing changed.",
        "If it was you: sign in, or ask for a sign-in code or a password reset on the sign-in page. "
        "If it was not, you can ignore this email.",
    ]
    text = "\n\n".join(paragraphs) + f"\n\n{link}\n"
    return RenderedEmail("Someone tried to sign up with your address", text, _page(paragraphs, link, "Sign in"))


def no_account_email(*, link: str) -> RenderedEmail:
    paragraphs = [
        "Hello,",
        "Someone asked for a sign-in or password code for this email address, but it has no account here.",
        "If it was you, you may have signed up with another address, or you can create an account. "
        "If it was not, you can ignore this email.",
    ]
    text = "\n\n".join(paragraphs) + f"\n\n{link}\n"
    return RenderedEmail("No account with this address", text, _page(paragraphs, link, "Create an account"))


def reminder_email(*, subject: str, lead: str, link: str, label: str, preferences_link: str) -> RenderedEmail:
    """A reminder the account opted in to (an event starting, on air, access ending), with the way to stop them."""
    stop = "You get these reminders because you asked for them; turn them off in your account."
    text = f"Hello,\n\n{lead}\n\n{label}: {link}\n\n{stop}\n{preferences_link}\n"
    paragraphs = [lead]
    body = _page(paragraphs, link, label).replace(
        "</body>",
        f'<p style="color: #5f6368">{html.escape(stop)} '
        f'<a href="{html.escape(preferences_link, quote=True)}">Email preferences</a></p>\n</body>',
    )
    return RenderedEmail(subject=" ".join(subject.split()), text=text, html=body)
