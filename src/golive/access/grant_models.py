"""Grants (entitlements): the one record of a right a subject holds on a scope, where it came from, until when.

Seed 003's `content_access` is this table. A right ends only by expiry (`valid_until`) or revocation
(`revoked_at`); rows are never deleted, so the history of every right is kept.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from sqlalchemy import Index, SmallInteger, String
from sqlalchemy.orm import Mapped, mapped_column

from golive.platform.db import Base, new_id, str_enum, utcnow


class SubjectKind(enum.StrEnum):
    GUEST = "guest"  # a browser (the viewer app's clientViewerId), no sign-up
    EMAIL = "email"  # an address, proved by an emailed code on whichever device (complimentary access)
    ACCOUNT = "account"  # an audience account (the accounts issue)


class ScopeKind(enum.StrEnum):
    EVENT = "event"
    TITLE = "title"
    SERIES = "series"
    COLLECTION = "collection"
    CHANNEL = "channel"
    OFFERING = "offering"
    PLATFORM = "platform"  # plan-wide


class GrantSource(enum.StrEnum):
    GATE = "gate"  # source id: the access type of the gate cleared (a changed gate must be cleared again)
    PAYMENT = "payment"  # source id: the payment
    SUBSCRIPTION = "subscription"
    COMPLIMENTARY = "complimentary"  # source id: the admin's grant to the address this device proved
    PREVIEW = "preview"
    MODERATOR = "moderator"  # not a right to watch: the person an admin named moderates the event's chat


# The revoked_reason of a payment grant a full refund took back (the registrations list says "refunded").
REFUNDED = "refunded"

# `Grant.active_key` of an active grant (a revoked one holds NULL): the unique index's last column.
ACTIVE = 0


class Grant(Base):
    __tablename__ = "grants"
    __table_args__ = (
        # At most one active grant per (subject, scope, source): `active_key` is ACTIVE while the grant is
        # active and NULL once revoked, and NULLs never conflict, so revoked grants stay beside the active one.
        # One index for the rule and for decide's read of every grant a subject holds on a scope (revoked and
        # expired ones too): a new grant dirties one leaf of it, not two.
        Index(
            "uq_grants_active",
            "subject_kind",
            "subject_id",
            "scope_kind",
            "scope_id",
            "source",
            "active_key",
            unique=True,
        ),
        Index("ix_grants_source_source_id", "source", "source_id"),
        Index("ix_grants_scope_kind_scope_id", "scope_kind", "scope_id"),
    )

    grant_id: Mapped[str] = mapped_column(String(26), primary_key=True, default=new_id)
    subject_kind: Mapped[SubjectKind] = mapped_column(str_enum(SubjectKind))
    subject_id: Mapped[str] = mapped_column(String(254))
    scope_kind: Mapped[ScopeKind] = mapped_column(str_enum(ScopeKind))
    scope_id: Mapped[str] = mapped_column(String(40))
    source: Mapped[GrantSource] = mapped_column(str_enum(GrantSource))
    source_id: Mapped[str | None] = mapped_column(String(40))
    valid_from: Mapped[datetime] = mapped_column(default=utcnow)
    valid_until: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]
    revoked_reason: Mapped[str | None] = mapped_column(String(200))
    active_key: Mapped[int | None] = mapped_column(SmallInteger, default=ACTIVE)
    # who made it: "admin:<id>", "viewer:<id>", "system:<flow>" (the audit log's actor string)
    created_by: Mapped[str] = mapped_column(String(80))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class GrantFacts(Protocol):
    """What `decide` reads of a grant: a stored row (Grant) or one an admission's write just made (HeldGrant)."""

    @property
    def grant_id(self) -> str: ...
    @property
    def subject_id(self) -> str: ...
    @property
    def scope_kind(self) -> ScopeKind: ...
    @property
    def scope_id(self) -> str: ...
    @property
    def source(self) -> GrantSource: ...
    @property
    def source_id(self) -> str | None: ...
    @property
    def valid_from(self) -> datetime: ...
    @property
    def valid_until(self) -> datetime | None: ...
    @property
    def revoked_at(self) -> datetime | None: ...


@dataclass(frozen=True, slots=True)
class HeldGrant:
    """A grant as plain values, outside any session: what the admission hot path answers from (an ORM
    instance costs several times more to build, and a crowd's admissions build one each)."""

    grant_id: str
    subject_kind: SubjectKind
    subject_id: str
    scope_kind: ScopeKind
    scope_id: str
    source: GrantSource
    source_id: str | None
    valid_from: datetime
    valid_until: datetime | None
    revoked_at: datetime | None
    revoked_reason: str | None
    created_by: str
    created_at: datetime

    @classmethod
    def of(cls, row: Any) -> HeldGrant:
        """From a row's mapping (a driver record, a read, or a written row without its revocation)."""
        return cls(
            grant_id=row["grant_id"],
            subject_kind=SubjectKind(row["subject_kind"]),
            subject_id=row["subject_id"],
            scope_kind=ScopeKind(row["scope_kind"]),
            scope_id=row["scope_id"],
            source=GrantSource(row["source"]),
            source_id=row["source_id"],
            valid_from=row["valid_from"],
            valid_until=row["valid_until"],
            revoked_at=row.get("revoked_at"),
            revoked_reason=row.get("revoked_reason"),
            created_by=row["created_by"],
            created_at=row["created_at"],
        )
