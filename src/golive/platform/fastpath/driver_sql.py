"""A SQLAlchemy statement as asyncpg takes it: PostgreSQL's $n SQL and its parameters' names in order."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy.engine import Dialect
from sqlalchemy.sql import ClauseElement
from sqlalchemy.sql.compiler import SQLCompiler


@dataclass(frozen=True)
class DriverSql:
    sql: str
    names: tuple[str, ...]
    # the values the statement carries itself (a LIMIT's, a literal's), by parameter name
    fixed: Mapping[str, Any]

    def args(self, values: Mapping[str, Any]) -> list[Any]:
        """The positional arguments, from values by parameter name (as the driver takes them: no SQLAlchemy
        type processing, so JSON goes as text)."""
        return [values[name] if name in values else self.fixed[name] for name in self.names]


def driver_sql(statement: ClauseElement, dialect: Dialect) -> DriverSql:
    """Compiled by SQLAlchemy for asyncpg (`dialect`: an asyncpg engine's); build it once per statement."""
    compiled = statement.compile(dialect=dialect)
    if not isinstance(compiled, SQLCompiler) or compiled.positiontup is None:
        raise ValueError(f"{dialect.name} binds by name, not position")
    fixed = {name: bind.value for name, bind in compiled.binds.items() if bind.value is not None}
    return DriverSql(compiled.string, tuple(compiled.positiontup), fixed)
