"""Test helpers: factories that go through the real services and API, and error-body checks."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import httpx

from golive.admins.models import AdminRole
from golive.context import AppContext

ADMIN_PASSWORD = "correct horse battery"


def assert_error(response: httpx.Response, status: int, code: str) -> dict[str, Any]:
    """The response is the seed-004 error body with this status and code."""
    assert response.status_code == status, response.text
    error = response.json()["error"]
    assert error["code"] == code, error
    assert set(error) == {"code", "message", "details", "timestamp"}
    return dict(error)


@dataclass
class AdminLogin:
    admin_id: str
    email: str
    role: AdminRole
    token: str
    headers: dict[str, str] = field(default_factory=dict)


class Factory:
    """Builds rows through the same services and API a user would use."""

    def __init__(self, ctx: AppContext, http: httpx.AsyncClient) -> None:
        self.ctx = ctx
        self.http = http
        self._count = 0

    async def admin(self, role: AdminRole = AdminRole.OWNER, email: str | None = None) -> AdminLogin:
        from golive.admins import service

        self._count += 1
        email = email or f"{role.value}{self._count}@example.com"
        async with self.ctx.db.sessionmaker() as session:
            admin = await service.create_admin(
                session, email=email, password=ADMIN_PASSWORD, name=f"{role.value} {self._count}", role=role
            )
        response = await self.http.post("/api/auth/login", json={"email": email, "password": ADMIN_PASSWORD})
        assert response.status_code == 200, response.text
        token = response.json()["token"]
        self.http.cookies.clear()
        return AdminLogin(
            admin_id=admin.admin_id,
            email=email,
            role=role,
            token=token,
            headers={"Authorization": f"Bearer {token}"},
        )

    async def event(self, as_admin: AdminLogin, **fields: Any) -> dict[str, Any]:
        body = {"title": "Test event", **fields}
        response = await self.http.post("/api/events", json=body, headers=as_admin.headers)
        assert response.status_code == 201, response.text
        result: dict[str, Any] = response.json()
        return result
