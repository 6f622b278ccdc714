"""The viewer-auth helpers other domains use: the Bearer dependency and the decision for a token's viewer."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import select

from golive.access import admission, entitlements, watching
from golive.access.decide import Reason
from golive.access.entitlements import GrantSpec
from golive.access.grant_models import GrantSource, ScopeKind, SubjectKind
from golive.access.models import Viewer
from golive.access.viewer_tokens import ViewerAuth
from golive.app import install_error_handlers
from golive.events.models import Event
from golive.platform.context import AppContext
from tests.support import AdminLogin, Factory, assert_error


@pytest.fixture
async def probe_client(app_ctx: AppContext) -> AsyncIterator[httpx.AsyncClient]:
    """A tiny app with one route behind ViewerAuth, sharing the real app's context."""
    probe = FastAPI()
    probe.state.ctx = app_ctx
    install_error_handlers(probe)

    @probe.get("/whoami/{eventId}")
    async def whoami(eventId: str, viewer: ViewerAuth) -> dict[str, str]:
        viewer.require_event(eventId)
        return {"viewerId": viewer.viewer_id, "eventId": viewer.event_id}

    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=probe), base_url="http://probe") as http:
        yield http


async def test_the_dependency_reads_the_viewer_token(
    factory: Factory, owner: AdminLogin, probe_client: httpx.AsyncClient
) -> None:
    event = await factory.open_event(owner)
    body = (await factory.register(event["eventId"])).json()
    headers = {"Authorization": f"Bearer {body['token']}"}
    response = await probe_client.get(f"/whoami/{event['eventId']}", headers=headers)
    assert response.json() == {"viewerId": body["viewerId"], "eventId": event["eventId"]}
    assert_error(await probe_client.get(f"/whoami/{event['eventId']}"), 401, "viewer_token_missing")
    forged = {"Authorization": f"Bearer {body['token']}x"}
    assert_error(await probe_client.get(f"/whoami/{event['eventId']}", headers=forged), 401, "viewer_token_invalid")
    assert_error(await probe_client.get("/whoami/other", headers=headers), 403, "viewer_token_other_event")


async def test_an_admin_token_is_not_a_viewer_token(
    factory: Factory, owner: AdminLogin, probe_client: httpx.AsyncClient
) -> None:
    response = await probe_client.get("/whoami/any", headers=owner.headers)
    assert_error(response, 401, "viewer_token_invalid")


async def test_the_decision_needs_the_gate_and_for_paid_events_the_payment(
    factory: Factory, owner: AdminLogin, app_ctx: AppContext
) -> None:
    free = await factory.open_event(owner)
    paid = await factory.open_event(owner, isPaidEvent=True, priceAmount=100, currency="USD")
    free_viewer = (await factory.register(free["eventId"])).json()["viewerId"]
    paid_viewer = (await factory.register(paid["eventId"])).json()["viewerId"]
    async with app_ctx.db.sessionmaker() as session:
        events = {e.event_id: e for e in await session.scalars(select(Event))}

        async def reason(viewer_id: str, event_id: str) -> Reason:
            return (await watching.viewer_decision(session, viewer_id, events[event_id])).reason

        assert await reason(free_viewer, free["eventId"]) == Reason.ALLOWED
        assert await reason(free_viewer, paid["eventId"]) == Reason.GATE_REQUIRED  # another event
        assert await reason(paid_viewer, paid["eventId"]) == Reason.PAYMENT_REQUIRED  # not paid yet
        viewer = await admission.get_viewer(session, paid_viewer)
        assert isinstance(viewer, Viewer)
        spec = GrantSpec(
            SubjectKind.GUEST,
            viewer.client_viewer_id,
            ScopeKind.EVENT,
            paid["eventId"],
            GrantSource.PAYMENT,
            "pay_test",
            created_by="system:test",
        )
        await entitlements.hold(session, spec)
        assert await reason(paid_viewer, paid["eventId"]) == Reason.ALLOWED
