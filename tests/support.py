"""Test helpers: factories that go through the real services and API, and error-body checks."""

from __future__ import annotations

import json
import re
import secrets
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import httpx
from sqlalchemy import select

from golive.email.models import EmailMessage
from golive.identity.staff.models import AdminRole
from golive.platform.context import AppContext

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
        from golive.identity.staff import service

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

    async def open_event(self, as_admin: AdminLogin, **fields: Any) -> dict[str, Any]:
        """An event viewers can join: created, then scheduled and taken live through the API."""
        event = await self.event(as_admin, **fields)
        for target in ("scheduled", "live"):
            response = await self.http.post(
                f"/api/events/{event['eventId']}/transitions", json={"to": target}, headers=as_admin.headers
            )
            assert response.status_code == 200, response.text
            event = response.json()
        return event

    async def register(self, event_id: str, client_viewer_id: str | None = None, **body: Any) -> httpx.Response:
        """POST /api/registrations as a browser would; a fresh clientViewerId unless one is given."""
        payload = {"eventId": event_id, "clientViewerId": client_viewer_id or new_client_viewer_id(), **body}
        return await self.http.post("/api/registrations", json=payload, headers={"User-Agent": DESKTOP_UA})

    async def last_email(self, to: str) -> EmailMessage:
        """The newest message logged for an address (the outbox, or what SMTP was given)."""
        async with self.ctx.db.sessionmaker() as session:
            message = await session.scalar(
                select(EmailMessage)
                .where(EmailMessage.recipient_email == to)
                .order_by(EmailMessage.created_at.desc(), EmailMessage.email_id.desc())
                .limit(1)
            )
        assert message is not None, f"no email to {to}"
        return message


DESKTOP_UA = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36"
CODE_IN_EMAIL = re.compile(r"\b(\d{6})\b")


def new_client_viewer_id() -> str:
    return "cv-" + secrets.token_hex(8)


def code_in(body_text: str) -> str:
    """The 6-digit code of an access-code email."""
    match = CODE_IN_EMAIL.search(body_text)
    assert match, body_text
    return match.group(1)


async def sse_events(lines: AsyncIterator[str]) -> AsyncIterator[tuple[str, Any]]:
    """(name, data) of each server-sent event of a stream (its JSON data decoded)."""
    name = ""
    async for line in lines:
        if line.startswith("event:"):
            name = line.removeprefix("event:").strip()
        elif line.startswith("data:"):
            yield name, json.loads(line.removeprefix("data:").strip())
