"""The local provider's pages (checkout, receipt) as plain HTML: like a provider's hosted page, they work
without the web app or JavaScript. stdlib string.Template, every value HTML-escaped."""

from __future__ import annotations

import html
from string import Template

from golive.commerce.local.cards import CARD_TABLE
from golive.commerce.models import LocalCheckoutSession, LocalSessionStatus
from golive.commerce.money import format_amount

_STYLE = """
body { margin: 0; font-family: system-ui, -apple-system, "Segoe UI", sans-serif; background: #f6f8fa; color: #1b1b1f; }
main { max-width: 440px; margin: 32px auto; background: #fff; border-radius: 12px; padding: 28px 28px 20px;
  box-shadow: 0 1px 3px rgba(0,0,0,.12); }
.badge { display: inline-block; background: #ffe8b3; color: #6b4a00; font-size: 12px; font-weight: 600;
  padding: 2px 8px; border-radius: 10px; letter-spacing: .04em; }
h1 { font-size: 15px; font-weight: 600; color: #5f6368; margin: 12px 0 2px; }
.amount { font-size: 30px; font-weight: 700; margin: 0 0 20px; }
label { display: block; font-size: 13px; font-weight: 600; margin: 12px 0 4px; }
input { box-sizing: border-box; width: 100%; padding: 10px; font-size: 16px; border: 1px solid #c4c7cc;
  border-radius: 6px; }
input[aria-invalid=true] { border-color: #c5221f; }
.row { display: flex; gap: 12px; } .row > div { flex: 1; }
.field-error { color: #c5221f; font-size: 13px; margin-top: 4px; }
.alert { background: #fce8e6; color: #a50e0e; border-radius: 6px; padding: 10px 12px; margin: 0 0 12px; }
button { width: 100%; margin-top: 20px; padding: 12px; font-size: 16px; font-weight: 600; color: #fff;
  background: #1a73e8; border: 0; border-radius: 6px; cursor: pointer; }
a { color: #1a73e8; } .back { display: inline-block; margin-top: 16px; font-size: 14px; }
table { width: 100%; border-collapse: collapse; margin-top: 20px; font-size: 13px; color: #5f6368; }
td { padding: 3px 0; } code { font-size: 13px; color: #1b1b1f; }
"""

_PAGE = Template(
    """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex"><title>$title</title><style>$style</style></head>
<body><main>$body</main></body></html>
"""
)

_FORM = Template(
    """<span class="badge" data-testid="checkout-test-mode">TEST MODE</span>
<h1 data-testid="checkout-description">$description</h1>
<p class="amount" data-testid="checkout-amount">$amount</p>
$alert
<form method="post" action="$action" novalidate data-testid="checkout-form">
<label for="email">Email</label>
<input id="email" name="email" type="email" autocomplete="email" value="$email" data-testid="checkout-email"
 $email_invalid>
$email_error
<label for="cardNumber">Card number</label>
<input id="cardNumber" name="cardNumber" inputmode="numeric" autocomplete="cc-number" placeholder="4242 4242 4242 4242"
 value="$number" data-testid="checkout-card-number" $number_invalid>
$number_error
<div class="row"><div>
<label for="cardExpiry">Expiry</label>
<input id="cardExpiry" name="cardExpiry" autocomplete="cc-exp" placeholder="MM / YY" value="$expiry"
 data-testid="checkout-card-expiry" $expiry_invalid>
$expiry_error
</div><div>
<label for="cardCvc">CVC</label>
<input id="cardCvc" name="cardCvc" inputmode="numeric" autocomplete="cc-csc" placeholder="123" value=""
 data-testid="checkout-card-cvc" $cvc_invalid>
$cvc_error
</div></div>
<label for="cardName">Name on card</label>
<input id="cardName" name="cardName" autocomplete="cc-name" value="$name" data-testid="checkout-card-name">
<button type="submit" data-testid="checkout-submit">Pay $amount</button>
</form>
<a class="back" href="$cancel_url" data-testid="checkout-cancel">&larr; Back to the event</a>
<table aria-label="Test cards"><tr><td colspan="2"><strong>Test cards</strong> (any future expiry, any CVC)</td></tr>
$cards</table>
"""
)

_MESSAGE = Template(
    """<span class="badge">TEST MODE</span>
<h1>$description</h1>
<p class="amount">$amount</p>
<p data-testid="checkout-state" data-state="$state">$message</p>
<a class="back" href="$link" data-testid="checkout-return">$link_label</a>
"""
)

_RECEIPT = Template(
    """<span class="badge">TEST MODE</span>
<h1>Receipt</h1>
<p class="amount" data-testid="receipt-amount">$amount</p>
<table>
<tr><td>For</td><td><code>$description</code></td></tr>
<tr><td>Paid with</td><td><code>$method</code></td></tr>
<tr><td>Date</td><td><code>$date</code></td></tr>
<tr><td>Charge</td><td><code>$charge_id</code></td></tr>
<tr><td>Refunded</td><td><code data-testid="receipt-refunded">$refunded</code></td></tr>
<tr><td>Sent to</td><td><code>$email</code></td></tr>
</table>
"""
)


def _page(title: str, body: str) -> str:
    return _PAGE.substitute(title=html.escape(title), style=_STYLE, body=body)


def _escaped(**values: str) -> dict[str, str]:
    return {name: html.escape(value, quote=True) for name, value in values.items()}


def checkout_form(
    session: LocalCheckoutSession,
    *,
    action: str,
    email: str = "",
    number: str = "",
    expiry: str = "",
    name: str = "",
    errors: dict[str, str] | None = None,
    alert: str | None = None,
) -> str:
    errors = errors or {}
    amount = format_amount(session.amount, session.currency)
    fields: dict[str, str] = {}
    for field in ("email", "number", "expiry", "cvc"):
        message = errors.get(field)
        fields[f"{field}_error"] = (
            f'<div class="field-error" role="alert" data-testid="checkout-error-{field}">{html.escape(message)}</div>'
            if message
            else ""
        )
        fields[f"{field}_invalid"] = 'aria-invalid="true"' if message else ""
    cards = "\n".join(
        f"<tr><td><code>{html.escape(number)}</code></td><td>{html.escape(outcome)}</td></tr>"
        for number, outcome in CARD_TABLE
    )
    alert_html = (
        f'<div class="alert" role="alert" data-testid="checkout-error">{html.escape(alert)}</div>' if alert else ""
    )
    body = _FORM.substitute(
        **_escaped(
            description=session.description,
            amount=amount,
            action=action,
            email=email,
            number=number,
            expiry=expiry,
            name=name,
            cancel_url=session.cancel_url,
        ),
        **fields,
        alert=alert_html,
        cards=cards,
    )
    return _page(f"Pay {amount}", body)


def checkout_closed(session: LocalCheckoutSession) -> str:
    """A completed or expired checkout: say so, and lead back to the event."""
    if session.status == LocalSessionStatus.EXPIRED:
        message, link, label = (
            "This checkout has expired. Go back to the event to start again.",
            session.cancel_url,
            "Back to the event",
        )
    elif session.payment_status == "paid":
        message, link, label = "This checkout is paid.", session.success_url, "Go to the event"
    else:
        message, link, label = "Your payment is being processed.", session.success_url, "Go to the event"
    body = _MESSAGE.substitute(
        **_escaped(
            description=session.description,
            amount=format_amount(session.amount, session.currency),
            state=session.status.value,
            message=message,
            link=link,
            link_label=label,
        )
    )
    return _page("Checkout", body)


def not_found() -> str:
    body = (
        '<span class="badge">TEST MODE</span><h1>No such checkout</h1>'
        '<p data-testid="checkout-missing">This link is not valid.</p>'
    )
    return _page("No such checkout", body)


def receipt(session: LocalCheckoutSession) -> str:
    completed = session.completed_at.strftime("%Y-%m-%d %H:%M UTC") if session.completed_at else ""
    body = _RECEIPT.substitute(
        **_escaped(
            amount=format_amount(session.amount, session.currency),
            description=session.description,
            method=f"{session.card_brand} •••• {session.card_last4}",
            date=completed,
            charge_id=session.charge_id or "",
            refunded=format_amount(session.amount_refunded, session.currency),
            email=session.customer_email or "",
        )
    )
    return _page("Receipt", body)
