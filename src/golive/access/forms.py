"""Checks a viewer's formData against the event's formFields; every error names `formData.<field>`."""

from __future__ import annotations

import functools
import math
import re
from typing import Any

from email_validator import EmailNotValidError, validate_email

from golive.events.schemas import FormFieldType
from golive.platform.errors import ValidationFailed

DEFAULT_MAX_LENGTH = 500
DEFAULT_TEXTAREA_MAX_LENGTH = 5000
EMAIL_MAX_LENGTH = 254
MAX_NUMBER = 1e15
TEL = re.compile(r"^\+?[\d\s().-]{5,20}$")

FormValue = str | bool | int | float


# The usual address's local part (RFC 5322 dot-atom, ASCII): email-validator accepts every one of these.
DOT_ATOM = re.compile(r"[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*")
LOCAL_PART_MAX_LENGTH = 64


def normalize_email(value: str) -> str:
    """The address as we store and compare it; raises ValueError when it is not an email address.

    A crowd's addresses share a few domains, and email-validator spends most of its time on the domain:
    a dot-atom local part at an ASCII domain is checked here and the domain once (cached); anything else
    (international domains have length rules of their own) gets the full check.
    """
    email = value.strip().lower()
    if len(email) > EMAIL_MAX_LENGTH:
        raise ValueError("is not a valid email address")
    local, _, domain = email.rpartition("@")
    if len(local) <= LOCAL_PART_MAX_LENGTH and domain.isascii() and DOT_ATOM.fullmatch(local):
        valid = _is_valid_domain(domain)
    else:
        valid = _is_valid_address(email)
    if not valid:
        raise ValueError("is not a valid email address")
    return email


@functools.lru_cache(maxsize=4096)
def _is_valid_domain(domain: str) -> bool:
    return _is_valid_address(f"x@{domain}")


def _is_valid_address(email: str) -> bool:
    try:
        validate_email(email, check_deliverability=False)
    except EmailNotValidError:
        return False
    return True


def _max_length(field: dict[str, Any]) -> int:
    configured = field.get("max_length")
    if isinstance(configured, int) and configured > 0:
        return configured
    return DEFAULT_TEXTAREA_MAX_LENGTH if field.get("type") == FormFieldType.TEXTAREA else DEFAULT_MAX_LENGTH


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError("must be text")
    return value.strip()


def _clean_value(field: dict[str, Any], value: Any) -> FormValue:
    kind = field.get("type", FormFieldType.TEXT)
    if kind == FormFieldType.CHECKBOX:
        if not isinstance(value, bool):
            raise ValueError("must be true or false")
        return value
    if kind == FormFieldType.NUMBER:
        if isinstance(value, str):
            try:
                value = float(value.strip()) if value.strip() else value
            except ValueError as exc:
                raise ValueError("must be a number") from exc
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ValueError("must be a number")
        if not math.isfinite(value) or abs(value) > MAX_NUMBER:
            raise ValueError("must be a finite number below 10^15")
        return int(value) if isinstance(value, float) and value.is_integer() else value
    text = _text(value)
    limit = _max_length(field)
    if len(text) > limit:
        raise ValueError(f"must be at most {limit} characters")
    if kind == FormFieldType.EMAIL:
        return normalize_email(text)
    if kind == FormFieldType.TEL and not TEL.match(text):
        raise ValueError("must be a phone number (digits, spaces, + ( ) . -)")
    if kind == FormFieldType.SELECT and text not in field.get("options", []):
        raise ValueError("must be one of: " + ", ".join(field.get("options", [])))
    return text


def _is_empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def clean_form_data(form_fields: list[dict[str, Any]], form_data: dict[str, Any]) -> dict[str, FormValue]:
    """The values to store (trimmed, typed, empty optional ones left out), or one error per bad field."""
    errors: dict[str, str] = {}
    cleaned: dict[str, FormValue] = {}
    fields = {str(f["name"]): f for f in form_fields}
    for name in form_data:
        if name not in fields:
            errors[f"formData.{name[:60]}"] = "is not a field of this form"
    for name, field in fields.items():
        value = form_data.get(name)
        required = bool(field.get("required"))
        if _is_empty(value) or (field.get("type") == FormFieldType.CHECKBOX and value is False and required):
            if required:
                checkbox = field.get("type") == FormFieldType.CHECKBOX
                errors[f"formData.{name}"] = "must be checked" if checkbox else "is required"
            elif value is False:
                cleaned[name] = False
            continue
        try:
            cleaned[name] = _clean_value(field, value)
        except ValueError as exc:
            errors[f"formData.{name}"] = str(exc)
    if errors:
        raise ValidationFailed("Some registration fields are invalid", fields=errors, code="invalid_form_data")
    return cleaned


def registrant_identity(
    form_fields: list[dict[str, Any]], cleaned: dict[str, FormValue]
) -> tuple[str | None, str | None]:
    """The email (first `email` field) and name (field called `name`) to keep on the viewer, for re-entry."""
    email = next(
        (str(cleaned[f["name"]]) for f in form_fields if f.get("type") == FormFieldType.EMAIL and f["name"] in cleaned),
        None,
    )
    name = cleaned.get("name")
    return email, str(name)[:200] if isinstance(name, str) else None
