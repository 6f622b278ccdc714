"""A person an admin names by email moderates the event's chat once signed in with an account that proved the
address: the socket says so, their moderator commands work, and removing them takes it back at the next frame."""

from __future__ import annotations

import httpx

from tests.email.conftest import settings, smtp  # noqa: F401  (account codes go through a real SMTP sink)
from tests.engagement.chat.conftest import chat, live_event_id, viewer_token
from tests.identity.accounts.conftest import Accounts, accounts  # noqa: F401  (the fixture)
from tests.identity.accounts.test_account_rights import bearer
from tests.support import AdminLogin, Factory, new_client_viewer_id


async def _admitted_signed_in(client: httpx.AsyncClient, event_id: str, account_token: str) -> str:
    """A browser's admission while signed in: its viewer token."""
    admitted = await client.post(
        "/api/registrations",
        json={"eventId": event_id, "clientViewerId": new_client_viewer_id()},
        headers=bearer(account_token),
    )
    assert admitted.status_code == 200, admitted.text
    token: str = admitted.json()["token"]
    return token


async def test_a_named_moderator_moderates_until_removed(
    factory: Factory,
    owner: AdminLogin,
    ws_base: str,
    client: httpx.AsyncClient,
    accounts: Accounts,  # noqa: F811  (the imported fixture)
) -> None:
    event_id = await live_event_id(factory, owner)
    named = await factory.http.post(
        f"/api/events/{event_id}/chat/moderators", json={"email": "mod@example.com"}, headers=owner.headers
    )
    assert named.status_code == 201, named.text
    mod_token = await _admitted_signed_in(client, event_id, await accounts.signed_up("mod@example.com"))
    fan_token = await _admitted_signed_in(client, event_id, await accounts.signed_up("fan@example.com"))
    async with (
        chat(ws_base, event_id, mod_token) as (mod, mod_hello, _),
        chat(ws_base, event_id, fan_token) as (fan, fan_hello, _),
        chat(ws_base, event_id, await viewer_token(factory, event_id)) as (guest, _, _),
    ):
        assert mod_hello["you"]["moderator"] and mod_hello["you"]["personId"].startswith("a:")
        assert "blockedTerms" in mod_hello["settings"]
        assert not fan_hello["you"]["moderator"]
        await guest.say("rude words")
        rude = (await mod.next_of("message"))["message"]
        await mod.send(type="delete", messageId=rude["messageId"], reason="rude")
        assert (await fan.next_of("deleted"))["messageIds"] == [rude["messageId"]]
        await mod.send(type="timeout", personId=rude["author"]["personId"], seconds=60)
        assert (await guest.next_of("error"))["code"] == "timed_out"

        removed = await factory.http.delete(
            f"/api/events/{event_id}/chat/moderators/{named.json()['moderatorId']}", headers=owner.headers
        )
        assert removed.status_code == 204
        await mod.send(type="clear")
        assert (await mod.next_of("error"))["code"] == "not_moderator"
    log = (await factory.http.get(f"/api/events/{event_id}/chat/log", headers=owner.headers)).json()["items"]
    assert [(e["action"], e["moderatorId"].startswith("a:")) for e in log] == [("timeout", True), ("delete", True)]


async def test_an_account_session_alone_joins_by_its_own_rights(
    factory: Factory,
    owner: AdminLogin,
    ws_base: str,
    accounts: Accounts,  # noqa: F811  (the imported fixture)
) -> None:
    event_id = await live_event_id(factory, owner)
    await factory.http.post(
        f"/api/events/{event_id}/chat/moderators", json={"email": "host@example.com"}, headers=owner.headers
    )
    host = await accounts.signed_up("host@example.com")
    async with chat(ws_base, event_id, headers=bearer(host)) as (_, hello, _):
        assert hello["you"]["moderator"] and hello["you"]["name"] == "Ada"  # the account's name
    stranger = await accounts.signed_up("stranger@example.com")
    async with chat(ws_base, event_id, headers=bearer(stranger)) as (client, hello, _):
        assert (hello["type"], hello["code"]) == ("error", "gate_required")  # no right of its own here
        assert await client.closed_with() == 4403
    cookie = {"Cookie": f"golive_account={stranger}", "Origin": "https://elsewhere.example"}
    async with chat(ws_base, event_id, headers=cookie) as (client, hello, _):
        assert hello["code"] == "viewer_token_missing"  # another site's page cannot use the cookie
