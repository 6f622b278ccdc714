"""The local provider's test cards (like a provider's test mode) and the checks of the card form.

| number              | outcome                                                              |
| ------------------- | -------------------------------------------------------------------- |
| 4242 4242 4242 4242 | succeeds at once (Visa)                                              |
| 5555 5555 5555 4444 | succeeds at once (Mastercard)                                        |
| 4000 0000 0000 0002 | declined: card_declined / generic_decline                            |
| 4000 0000 0000 9995 | declined: card_declined / insufficient_funds                         |
| 4000 0000 0000 0069 | declined: expired_card                                               |
| 4000 0000 0000 0077 | accepted as processing, succeeds after GOLIVE_LOCAL_ASYNC_PAYMENT_SECONDS |
| 4000 0000 0000 0093 | accepted as processing, fails after GOLIVE_LOCAL_ASYNC_PAYMENT_SECONDS    |

Any expiry date in the future and any 3-digit CVC (4 for American Express) work.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass
from datetime import datetime


class CardOutcome(enum.StrEnum):
    SUCCEED = "succeed"
    DECLINE = "decline"
    ASYNC_SUCCEED = "async_succeed"
    ASYNC_FAIL = "async_fail"


@dataclass(frozen=True)
class TestCard:
    brand: str
    outcome: CardOutcome
    code: str | None = None
    decline_code: str | None = None
    message: str | None = None


GENERIC_DECLINE = "Your card was declined."
TEST_CARDS: dict[str, TestCard] = {
    "4242424242424242": TestCard("visa", CardOutcome.SUCCEED),
    "5555555555554444": TestCard("mastercard", CardOutcome.SUCCEED),
    "4000000000000002": TestCard("visa", CardOutcome.DECLINE, "card_declined", "generic_decline", GENERIC_DECLINE),
    "4000000000009995": TestCard(
        "visa", CardOutcome.DECLINE, "card_declined", "insufficient_funds", "Your card has insufficient funds."
    ),
    "4000000000000069": TestCard("visa", CardOutcome.DECLINE, "expired_card", None, "Your card has expired."),
    "4000000000000077": TestCard("visa", CardOutcome.ASYNC_SUCCEED),
    "4000000000000093": TestCard("visa", CardOutcome.ASYNC_FAIL, "card_declined", "processing_error", GENERIC_DECLINE),
}
# Shown on the checkout page, in this order.
CARD_TABLE = [
    ("4242 4242 4242 4242", "succeeds"),
    ("4000 0000 0000 0002", "is declined"),
    ("4000 0000 0000 9995", "is declined (insufficient funds)"),
    ("4000 0000 0000 0077", "succeeds after a short delay"),
    ("4000 0000 0000 0093", "fails after a short delay"),
]

_EXPIRY = re.compile(r"^\s*(\d{1,2})\s*/\s*(\d{2}|\d{4})\s*$")


@dataclass(frozen=True)
class CardForm:
    number: str
    expiry: str
    cvc: str
    name: str


def digits(value: str) -> str:
    return re.sub(r"[\s-]", "", value)


def luhn_valid(number: str) -> bool:
    if not number.isdigit() or not 12 <= len(number) <= 19:
        return False
    total = 0
    for index, char in enumerate(reversed(number)):
        value = int(char)
        if index % 2 == 1:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return total % 10 == 0


def check_card(form: CardForm, now: datetime) -> tuple[TestCard | None, dict[str, str]]:
    """The test card the form names, or the message for each field that is wrong."""
    errors: dict[str, str] = {}
    number = digits(form.number)
    card = TEST_CARDS.get(number)
    if not luhn_valid(number):
        errors["number"] = "Your card number is incorrect."
    elif card is None:
        errors["number"] = "This is a test checkout: use one of the test card numbers listed below."
    match = _EXPIRY.match(form.expiry)
    if match is None:
        errors["expiry"] = "Enter the expiry date as MM / YY."
    else:
        month, year = int(match.group(1)), int(match.group(2))
        year = year + 2000 if year < 100 else year
        if not 1 <= month <= 12:
            errors["expiry"] = "Your card's expiration month is invalid."
        elif (year, month) < (now.year, now.month):
            errors["expiry"] = "Your card's expiration date is in the past."
    cvc_length = 4 if number.startswith(("34", "37")) else 3
    if not (form.cvc.isdigit() and len(form.cvc) == cvc_length):
        errors["cvc"] = "Your card's security code is incomplete."
    return (card if not errors else None), errors
