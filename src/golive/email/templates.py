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


_COMPLIMENTARY_SUBJECT = Template("You are invited to watch $title")

_COMPLIMENTARY_TEXT = Template(
    """Hello,

You have been given free access to "$title".

Open the event page:
$link

On any device, choose to continue with your email and enter $email:
prove your address with the code we send you, and watch. You will not be
asked for a password or a payment.

$until
"""
)

_COMPLIMENTARY_HTML = Template(
    """<!doctype html>
<html><body style="font-family: sans-serif; line-height: 1.5; color: #1b1b1f">
<p>Hello,</p>
<p>You have been given free access to <strong>$title</strong>.</p>
<p><a href="$link">Open the event page</a></p>
<p>On any device, choose to continue with your email and enter <strong>$email</strong>:
prove your address with the code we send you, and watch. You will not be asked for a password or a payment.</p>
<p style="color: #5f6368">$until</p>
</body></html>
"""
)


def complimentary_access_email(*, title: str, link: str, email: str, valid_until: str | None) -> RenderedEmail:
    """An admin's free access: where to go, and how to prove the address on any device."""
    until = f"Your access is valid until {valid_until}." if valid_until else "Your access does not expire."
    values = {"title": _one_line(title), "link": link, "email": email, "until": until}
    escaped = {name: html.escape(value, quote=True) for name, value in values.items()}
    return RenderedEmail(
        subject=_COMPLIMENTARY_SUBJECT.substitute(values),
        text=_COMPLIMENTARY_TEXT.substitute(values),
        html=_COMPLIMENTARY_HTML.substitute(escaped),
    )


_RECEIPT_SUBJECT = Template("Your receipt for $title")

_RECEIPT_TEXT = Template(
    """Hello,

Thank you for your payment. You now have access to "$title".

    Amount paid:  $amount
    Paid with:    $method
    Date:         $date
    Payment ID:   $payment_id

Watch here:
$link
$reentry
Receipt from the payment provider: $receipt_url

Keep this email: the payment ID identifies your purchase if you contact the organizer.
"""
)

_RECEIPT_HTML = Template(
    """<!doctype html>
<html><body style="font-family: sans-serif; line-height: 1.5; color: #1b1b1f">
<p>Hello,</p>
<p>Thank you for your payment. You now have access to <strong>$title</strong>.</p>
<table style="border-collapse: collapse" cellpadding="4">
<tr><td style="color: #5f6368">Amount paid</td><td><strong>$amount</strong></td></tr>
<tr><td style="color: #5f6368">Paid with</td><td>$method</td></tr>
<tr><td style="color: #5f6368">Date</td><td>$date</td></tr>
<tr><td style="color: #5f6368">Payment ID</td><td><code>$payment_id</code></td></tr>
</table>
<p><a href="$link">Open the event and watch</a></p>
<p style="color: #5f6368">$reentry</p>
<p style="color: #5f6368"><a href="$receipt_url">Receipt from the payment provider</a></p>
</body></html>
"""
)


def payment_receipt_email(
    *,
    title: str,
    amount: str,
    method: str,
    date: str,
    payment_id: str,
    link: str,
    receipt_url: str,
    reentry: str,
) -> RenderedEmail:
    values = {
        "title": _one_line(title),
        "amount": amount,
        "method": method,
        "date": date,
        "payment_id": payment_id,
        "link": link,
        "receipt_url": receipt_url,
        "reentry": reentry,
    }
    escaped = {name: html.escape(value, quote=True) for name, value in values.items()}
    return RenderedEmail(
        subject=_RECEIPT_SUBJECT.substitute(values),
        text=_RECEIPT_TEXT.substitute({**values, "reentry": f"\n{reentry}\n" if reentry else ""}),
        html=_RECEIPT_HTML.substitute(escaped),
    )


_REFUND_SUBJECT = Template("Your refund for $title")

_REFUND_TEXT = Template(
    """Hello,

$headline

    Refunded now:       $amount
    Refunded in total:  $total of $paid
    Date:               $date
    Payment ID:         $payment_id

The money goes back to the card or account you paid with; your bank may take
5 to 10 business days to show it.

$access
"""
)

_REFUND_HTML = Template(
    """<!doctype html>
<html><body style="font-family: sans-serif; line-height: 1.5; color: #1b1b1f">
<p>Hello,</p>
<p>$headline</p>
<table style="border-collapse: collapse" cellpadding="4">
<tr><td style="color: #5f6368">Refunded now</td><td><strong>$amount</strong></td></tr>
<tr><td style="color: #5f6368">Refunded in total</td><td>$total of $paid</td></tr>
<tr><td style="color: #5f6368">Date</td><td>$date</td></tr>
<tr><td style="color: #5f6368">Payment ID</td><td><code>$payment_id</code></td></tr>
</table>
<p style="color: #5f6368">The money goes back to the card or account you paid with; your bank may take
5 to 10 business days to show it.</p>
<p>$access_html</p>
</body></html>
"""
)


def refund_email(
    *, title: str, amount: str, total: str, paid: str, full: bool, date: str, payment_id: str, link: str
) -> RenderedEmail:
    """A full refund ends the viewer's access; a partial one keeps it (and says how much came back)."""
    one_line_title = _one_line(title)
    if full:
        headline = f'Your payment for "{one_line_title}" has been refunded in full.'
        access = "Your access to the event has ended with the refund."
    else:
        headline = f'We refunded {amount} of your payment for "{one_line_title}".'
        access = f"You keep your access to the event:\n{link}"
    values = {
        "title": one_line_title,
        "headline": headline,
        "amount": amount,
        "total": total,
        "paid": paid,
        "date": date,
        "payment_id": payment_id,
        "access": access,
    }
    escaped = {name: html.escape(value, quote=True) for name, value in values.items()}
    access_html = (
        escaped["access"]
        if full
        else f'You keep your access to the event: <a href="{html.escape(link, quote=True)}">watch here</a>'
    )
    return RenderedEmail(
        subject=_REFUND_SUBJECT.substitute(values),
        text=_REFUND_TEXT.substitute(values),
        html=_REFUND_HTML.substitute({**escaped, "access_html": access_html}),
    )
