"""normalize_email's shortcut (dot-atom local part, domain checked once) says what email-validator says."""

from __future__ import annotations

import random
import string

import pytest
from email_validator import EmailNotValidError, validate_email

from golive.access.forms import EMAIL_MAX_LENGTH, normalize_email

ATEXT = string.ascii_letters + string.digits + "!#$%&'*+/=?^_`{|}~-" + "....."
ANYTHING = ATEXT + '"(),:;<>@[\\] \t\u00e9\u2728'
DOMAINS = [
    "example.com",
    "Mail.Example.ORG",
    "localhost",
    "com",
    "example",
    "-bad.com",
    "x..y",
    "ex_ample.com",
    "\u4f8b\u3048.jp",
    "xn--r8jz45g.jp",
    "[192.0.2.1]",
    "example.com.",
    ".example.com",
    "a" * 70 + ".com",
    "example.test",
]


def full_check(value: str) -> str | None:
    email = value.strip().lower()
    if len(email) > EMAIL_MAX_LENGTH:
        return None
    try:
        validate_email(email, check_deliverability=False)
    except EmailNotValidError:
        return None
    return email


def shortcut(value: str) -> str | None:
    try:
        return normalize_email(value)
    except ValueError:
        return None


def test_the_shortcut_agrees_with_the_full_check_on_generated_addresses() -> None:
    generator = random.Random(2026)
    addresses = []
    for _ in range(3000):
        alphabet = ATEXT if generator.random() < 0.7 else ANYTHING
        local = "".join(generator.choice(alphabet) for _ in range(generator.randint(0, 70)))
        addresses.append(f"{local}@{generator.choice(DOMAINS)}" if generator.random() < 0.95 else local)
    disagreements = [a for a in addresses if shortcut(a) != full_check(a)]
    assert sum(shortcut(a) is not None for a in addresses) > 300  # the sample holds plenty of good addresses
    assert disagreements == []


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("  Viewer.One+events@Example.COM ", "viewer.one+events@example.com"),
        ("viewer..one@example.com", None),
        (".viewer@example.com", None),
        ("viewer@-example.com", None),
        ("\u00e9l\u00e8ve@example.com", "\u00e9l\u00e8ve@example.com"),
    ],
)
def test_common_addresses(value: str, expected: str | None) -> None:
    assert shortcut(value) == expected
