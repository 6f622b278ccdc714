"""Who causes a change, as the audit trail records it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Actor:
    """Who causes a change: an admin, or the platform itself (scheduler, ingest, jobs)."""

    kind: str
    id: str | None = None
    ip: str | None = None

    @classmethod
    def system(cls, name: str) -> Actor:
        return cls(kind="system", id=name)
