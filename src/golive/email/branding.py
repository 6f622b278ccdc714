"""Every message carries the site's brand (golive.site): the sender's name, a header in the primary colour,
and a signature with the contact address. Applied once, when a message is first sent; a resend is a copy."""

from __future__ import annotations

import html
import re
from email.headerregistry import Address
from email.utils import parseaddr

from golive.email.templates import RenderedEmail
from golive.site.service import Brand

_BODY_OPEN = re.compile(r"<body[^>]*>", re.IGNORECASE)
_BODY_CLOSE = "</body>"


def from_header(mail_from: str, brand: Brand) -> str:
    """GOLIVE_MAIL_FROM's address under the site's sender name (the address stays the operator's: it is the one
    the mail server is allowed to send as)."""
    _, address = parseaddr(mail_from)
    return str(Address(display_name=" ".join(brand.from_name.split()), addr_spec=address))


def branded(content: RenderedEmail, brand: Brand) -> RenderedEmail:
    name = html.escape(brand.platform_name)
    header = (
        f'<div style="border-top: 4px solid {brand.primary_color}; padding: 12px 0 4px; font-size: 18px; '
        f'font-weight: bold; color: {brand.primary_color}">{name}</div>'
    )
    contact = brand.contact_email
    signature_html = f"<p>{name}"
    if contact:
        signature_html += f' · <a href="mailto:{html.escape(contact)}">{html.escape(contact)}</a>'
    footer = (
        f'<hr style="border: 0; border-top: 1px solid #e3e6ee"><div style="color: #5f6368">{signature_html}</p></div>'
    )
    body = content.html
    opening = _BODY_OPEN.search(body)
    if opening and _BODY_CLOSE in body:
        at = opening.end()
        close = body.rindex(_BODY_CLOSE)
        body = body[:at] + "\n" + header + body[at:close] + footer + "\n" + body[close:]
    else:
        body = header + body + footer
    signature_text = f"\n-- \n{brand.platform_name}\n" + (f"{contact}\n" if contact else "")
    return RenderedEmail(subject=content.subject, text=content.text.rstrip("\n") + "\n" + signature_text, html=body)
