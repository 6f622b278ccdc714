"""Admin accounts and login sessions."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, and_, bindparam, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession
from sqlalchemy.orm import aliased

from golive import audit
from golive.identity.staff.models import Admin, AdminRole, AdminSession, AdminStatus
from golive.platform.context import AppContext
from golive.platform.db import utcnow
from golive.platform.errors import Conflict, Forbidden, NotFound, Unauthorized
from golive.platform.passwords import hash_password, verify_password
from golive.platform.ratelimit import network_key

SESSION_TOKEN_PURPOSE = "admin-session"
LOGIN_SCOPE = "admin-login"

ROLE_RANK = {AdminRole.EDITOR: 1, AdminRole.ADMIN: 2, AdminRole.OWNER: 3}


def normalize_email(email: str) -> str:
    return email.strip().lower()


@dataclass
class LoginResult:
    admin: Admin
    token: str
    csrf_token: str
    expires_at: datetime


@dataclass
class AuthenticatedAdmin:
    admin: Admin
    session_id: str
    via_cookie: bool

    def has_role(self, minimum: AdminRole) -> bool:
        return ROLE_RANK[self.admin.role] >= ROLE_RANK[minimum]


def csrf_token_for(ctx: AppContext, session_id: str) -> str:
    """Bound to the login session, so a cookie planted by another site cannot forge it."""
    return ctx.tokens.mac("csrf", session_id)


async def create_admin(
    session: AsyncSession,
    *,
    email: str,
    password: str,
    name: str,
    role: AdminRole,
    actor_id: str | None = None,
) -> Admin:
    admin = Admin(email=normalize_email(email), password_hash=hash_password(password), name=name, role=role)
    session.add(admin)
    try:
        await session.flush()
    except IntegrityError as exc:
        await session.rollback()
        raise Conflict("An admin with this email already exists", code="admin_exists") from exc
    audit.record(
        session,
        actor_type="admin" if actor_id else "system",
        actor_id=actor_id,
        action="admin.create",
        entity_type="admin",
        entity_id=admin.admin_id,
        after={"email": admin.email, "role": role.value, "name": name},
    )
    await session.commit()
    return admin


async def login(
    ctx: AppContext, session: AsyncSession, *, email: str, password: str, ip: str, user_agent: str
) -> LoginResult:
    """Counts the attempt first (so parallel guesses cannot overrun the limit), then checks the password.

    The per-email budget is kept per source network (`network_key`): guesses from one address stop
    there, and cannot lock the admin out when they log in from anywhere else (docs/decisions.md).
    Every failure costs one argon2 verification, done off the event loop.
    """
    settings = ctx.settings
    email = normalize_email(email)
    window = settings.login_window_seconds
    source = network_key(ip)
    budgets = [
        (f"email:{email}:from:{source}", settings.login_max_failures),
        (f"ip:{source}", settings.login_max_attempts_per_ip),
    ]
    await ctx.limiter.acquire(LOGIN_SCOPE, budgets, window, "Too many failed logins; try again later")

    admin = await session.scalar(select(Admin).where(Admin.email == email))
    password_ok = await asyncio.to_thread(verify_password, admin.password_hash if admin else None, password)
    if admin is None or not password_ok:
        raise Unauthorized("Email or password is wrong", code="invalid_credentials")
    if admin.status != AdminStatus.ACTIVE:
        raise Forbidden("This admin account is inactive", code="admin_inactive")
    await ctx.limiter.reset(LOGIN_SCOPE, budgets[0][0], settings.login_max_failures, window)

    now = utcnow()
    expires_at = now + timedelta(hours=settings.admin_session_hours)
    admin_session = AdminSession(
        admin_id=admin.admin_id, expires_at=expires_at, ip_address=ip, user_agent=user_agent[:512]
    )
    session.add(admin_session)
    admin.last_login_at = now
    await session.flush()
    token = ctx.tokens.dumps(SESSION_TOKEN_PURPOSE, {"sid": admin_session.session_id})
    await session.commit()
    return LoginResult(
        admin=admin,
        token=token,
        csrf_token=csrf_token_for(ctx, admin_session.session_id),
        expires_at=expires_at,
    )


_ADMIN_COLUMNS = list(Admin.__table__.c)
_SESSION_COLUMNS = AdminSession.__table__.c
# Built once: every admin request runs it, and building a statement costs more than its cached compile.
_SESSION_LOOKUP = (
    select(*_ADMIN_COLUMNS, _SESSION_COLUMNS.revoked_at, _SESSION_COLUMNS.expires_at)
    .join_from(Admin.__table__, AdminSession.__table__, _SESSION_COLUMNS.admin_id == Admin.__table__.c.admin_id)
    .where(_SESSION_COLUMNS.session_id == bindparam("sid"))
)


async def authenticate(ctx: AppContext, connection: AsyncConnection, token: str) -> tuple[Admin, str]:
    """The admin behind a session token, if the session is live and the admin active.

    Runs on every admin request: one Core query on a bare connection (no ORM session or identity map);
    the Admin it returns is detached, for reading.
    """
    payload = ctx.tokens.loads(SESSION_TOKEN_PURPOSE, token, ctx.settings.admin_session_hours * 3600)
    if payload is None or not isinstance(payload.get("sid"), str):
        raise Unauthorized("Your session has expired; log in again", code="session_expired")
    row = (await connection.execute(_SESSION_LOOKUP, {"sid": payload["sid"]})).first()
    if row is None or row.revoked_at is not None or row.expires_at <= utcnow():
        raise Unauthorized("Your session has expired; log in again", code="session_expired")
    if row.status != AdminStatus.ACTIVE:
        raise Unauthorized("This admin account is inactive", code="admin_inactive")
    fields = row._mapping
    return Admin(**{column.key: fields[column.key] for column in _ADMIN_COLUMNS}), payload["sid"]


async def logout(session: AsyncSession, session_id: str) -> None:
    await session.execute(update(AdminSession).where(AdminSession.session_id == session_id).values(revoked_at=utcnow()))
    await session.commit()


async def list_admins(session: AsyncSession) -> list[Admin]:
    return list(await session.scalars(select(Admin).order_by(Admin.created_at)))


async def count_admins(session: AsyncSession) -> int:
    return int(await session.scalar(select(func.count()).select_from(Admin)) or 0)


async def get_admin(session: AsyncSession, admin_id: str) -> Admin:
    admin = await session.get(Admin, admin_id)
    if admin is None:
        raise NotFound("No such admin", code="admin_not_found")
    return admin


async def get_admin_by_email(session: AsyncSession, email: str) -> Admin | None:
    return await session.scalar(select(Admin).where(Admin.email == normalize_email(email)))


def _active_owner(model: type[Admin]) -> ColumnElement[bool]:
    return and_(model.role == AdminRole.OWNER, model.status == AdminStatus.ACTIVE)


async def _demote_owner_unless_last(
    session: AsyncSession, admin: Admin, *, role: AdminRole | None, status: AdminStatus | None
) -> None:
    """One guarded UPDATE: it applies only while another active owner remains, counted inside the
    statement. On SQLite the statement runs under the database's single write lock, so two requests
    removing the last two owners see each other's commit; on PostgreSQL the active owners are locked
    first (in id order, so two such requests queue instead of deadlocking) because a statement's
    subquery alone would read a snapshot taken before the other request committed."""
    await session.execute(select(Admin.admin_id).where(_active_owner(Admin)).order_by(Admin.admin_id).with_for_update())
    other = aliased(Admin)
    others_remaining = (
        select(func.count()).select_from(other).where(_active_owner(other), other.admin_id != admin.admin_id)
    ).scalar_subquery()
    values: dict[str, object] = {"updated_at": utcnow()}
    if role is not None:
        values["role"] = role
    if status is not None:
        values["status"] = status
    result = await session.execute(
        update(Admin)
        .where(Admin.admin_id == admin.admin_id, others_remaining >= 1)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    if getattr(result, "rowcount", 0) != 1:
        await session.rollback()
        raise Conflict("The last active owner cannot be demoted or deactivated", code="last_owner")
    await session.refresh(admin)


async def update_admin(
    session: AsyncSession,
    admin: Admin,
    *,
    actor: Admin,
    name: str | None = None,
    role: AdminRole | None = None,
    status: AdminStatus | None = None,
    password: str | None = None,
    keep_session_id: str | None = None,
) -> Admin:
    """Owners manage admins; the last active owner can never be demoted or deactivated."""
    before = {"name": admin.name, "role": admin.role.value, "status": admin.status.value}
    losing_owner = admin.role == AdminRole.OWNER and (
        (role is not None and role != AdminRole.OWNER) or status == AdminStatus.INACTIVE
    )
    if losing_owner:
        await _demote_owner_unless_last(session, admin, role=role, status=status)
    if name is not None:
        admin.name = name
    if role is not None:
        admin.role = role
    if status is not None:
        admin.status = status
        if status == AdminStatus.INACTIVE:
            await session.execute(
                update(AdminSession)
                .where(AdminSession.admin_id == admin.admin_id, AdminSession.revoked_at.is_(None))
                .values(revoked_at=utcnow())
            )
    if password is not None:
        admin.password_hash = await asyncio.to_thread(hash_password, password)
        # A new password ends every other login, so a stolen session does not outlive the reset.
        await session.execute(
            update(AdminSession)
            .where(
                AdminSession.admin_id == admin.admin_id,
                AdminSession.revoked_at.is_(None),
                AdminSession.session_id != (keep_session_id or ""),
            )
            .values(revoked_at=utcnow())
        )
    after = {"name": admin.name, "role": admin.role.value, "status": admin.status.value}
    audit.record(
        session,
        actor_type="admin",
        actor_id=actor.admin_id,
        action="admin.update" if password is None else "admin.update_password",
        entity_type="admin",
        entity_id=admin.admin_id,
        before=before,
        after=after,
    )
    await session.commit()
    return admin
