"""Amounts are integers in minor units everywhere; this is the one place they become text for people."""

from __future__ import annotations

from golive.events.currencies import minor_unit_exponent


def format_amount(amount: int, currency: str) -> str:
    """1200 USD -> "12.00 USD"; 1200 JPY -> "1,200 JPY"; 1500 KWD -> "1.500 KWD"."""
    code = currency.upper()
    exponent = minor_unit_exponent(code)
    sign = "-" if amount < 0 else ""
    whole, fraction = divmod(abs(amount), 10**exponent)
    text = f"{whole:,}" if exponent == 0 else f"{whole:,}.{fraction:0{exponent}d}"
    return f"{sign}{text} {code}"
