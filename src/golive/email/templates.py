"""The messages we send, as plain text and simple HTML (stdlib string.Template; values are escaped for HTML)."""

from __future__ import annotations

import html
from dataclasses import dataclass
from string import Template


@dataclass(frozen=True)
class RenderedEmail:
    subject: str
    text: str
    html: str


_ACCESS_CODE_SUBJECT = Template("Your code to watch $title")

_ACCESS_CODE_TEXT = Template(
    """Hello,

Your code to watch "$title" is:

    $code

Enter it on the event page, or open this link:
$link

The code works once and expires in $minutes minutes.
If you did not ask for it, you can ignore this email.
"""
)

_ACCESS_CODE_HTML = Template(
    """<!doctype html>
<html><body style="font-family: sans-serif; line-height: 1.5; color: #1b1b1f">
<p>Hello,</p>
<p>Your code to watch <strong>$title</strong> is:</p>
<p style="font-size: 28px; font-weight: bold; letter-spacing: 6px">$code</p>
<p><a href="$link">Open the event and watch</a></p>
<p style="color: #5f6368">The code works once and expires in $minutes minutes.
If you did not ask for it, you can ignore this email.</p>
</body></html>
"""
)


def _one_line(value: str) -> str:
    """Header values must not break lines (header injection); titles are short anyway."""
    return " ".join(value.split())


def access_code_email(*, title: str, code: str, link: str, minutes: int) -> RenderedEmail:
    values = {"title": _one_line(title), "code": code, "link": link, "minutes": str(minutes)}
    escaped = {name: html.escape(value, quote=True) for name, value in values.items()}
    return RenderedEmail(
        subject=_ACCESS_CODE_SUBJECT.substitute(values),
        text=_ACCESS_CODE_TEXT.substitute(values),
        html=_ACCESS_CODE_HTML.substitute(escaped),
    )
