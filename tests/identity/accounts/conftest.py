"""Account tests mail through a real SMTP server on loopback, and sign up, in and out through the HTTP API."""

from __future__ import annotations

from dataclasses import dataclass

import httpx
import pytest

from tests.email.conftest import settings, smtp  # noqa: F401  (the app mails through a real SMTP sink)
from tests.email.smtp_sink import SmtpSink
from tests.support import code_in

PASSWORD = "a quiet lantern by the harbour"


@dataclass
class Accounts:
    """Drives the accounts API as a viewer's browser or an API client would."""

    client: httpx.AsyncClient
    smtp: SmtpSink

    def mails_to(self, email: str) -> list[str]:
        """The subjects of every message to the address, oldest first."""
        return [str(m.message["Subject"]) for m in self.smtp.received if email in m.recipients]

    def last_code(self, email: str) -> str:
        return code_in(self.smtp.wait_for(email).text)

    async def signup(self, email: str, password: str = PASSWORD, name: str = "Ada") -> httpx.Response:
        return await self.client.post("/api/account/signup", json={"email": email, "password": password, "name": name})

    async def signed_up(self, email: str, password: str = PASSWORD) -> str:
        """A verified account; its first session's token."""
        assert (await self.signup(email, password)).status_code == 202
        verified = await self.client.post("/api/account/verify", json={"email": email, "code": self.last_code(email)})
        assert verified.status_code == 200, verified.text
        self.client.cookies.clear()  # the token alone, as an API client holds it
        return str(verified.json()["token"])

    async def login(self, email: str, password: str = PASSWORD) -> httpx.Response:
        return await self.client.post("/api/account/login", json={"email": email, "password": password})

    async def me(self, token: str) -> httpx.Response:
        return await self.client.get("/api/account", headers={"Authorization": f"Bearer {token}"})


@pytest.fixture
def accounts(client: httpx.AsyncClient, smtp: SmtpSink) -> Accounts:  # noqa: F811 (the imported fixture)
    return Accounts(client, smtp)
