"""Searching text columns for what a person typed: a case-insensitive "contains", its wildcards escaped."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, func
from sqlalchemy.orm import InstrumentedAttribute

ESCAPE = "\\"


def contains_pattern(term: str) -> str:
    """The LIKE pattern that matches `term` anywhere (lower-cased; `%`, `_` and the escape taken literally)."""
    lowered = term.strip().lower()
    return "%" + lowered.replace(ESCAPE, ESCAPE * 2).replace("%", "\\%").replace("_", "\\_") + "%"


def contains(column: ColumnElement[Any] | InstrumentedAttribute[Any], term: str) -> ColumnElement[bool]:
    """`column` contains `term`, ignoring case."""
    return func.lower(column).like(contains_pattern(term), escape=ESCAPE)
