"""A crowd's admissions, written together in batches: each answer and each gate grant as if it had come alone."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
from sqlalchemy import select

from golive.access.grant_models import Grant, GrantSource, ScopeKind
from golive.flows import on_payment
from golive.platform.context import AppContext
from tests.access.test_gates import FORM_FIELDS, GOOD_FORM
from tests.support import DESKTOP_UA, AdminLogin, Factory, new_client_viewer_id


async def admit_all(client: httpx.AsyncClient, bodies: list[dict[str, Any]]) -> list[dict[str, Any]]:
    responses = await asyncio.gather(
        *(client.post("/api/registrations", json=body, headers={"User-Agent": DESKTOP_UA}) for body in bodies)
    )
    assert {response.status_code for response in responses} == {200}
    return [response.json() for response in responses]


async def gate_grants(ctx: AppContext, event_id: str) -> list[Grant]:
    async with ctx.db.sessionmaker() as session:
        return list(
            await session.scalars(
                select(Grant).where(
                    Grant.scope_kind == ScopeKind.EVENT, Grant.scope_id == event_id, Grant.source == GrantSource.GATE
                )
            )
        )


async def test_a_crowd_of_new_viewers_gets_one_gate_grant_each_made_by_its_own_viewer(
    factory: Factory, owner: AdminLogin, client: httpx.AsyncClient, app_ctx: AppContext
) -> None:
    event = await factory.open_event(owner)
    browsers = [new_client_viewer_id() for _ in range(60)]
    answers = await admit_all(client, [{"eventId": event["eventId"], "clientViewerId": b} for b in browsers])
    assert all(a["accessVerified"] and a["token"] and not a["requiresPayment"] for a in answers)
    assert {(a["isPaidViewer"], a["paymentStatus"]) for a in answers} == {(False, "none")}
    grants = await gate_grants(app_ctx, event["eventId"])
    assert sorted(g.subject_id for g in grants) == sorted(browsers)
    made_by = {g.subject_id: g.created_by for g in grants}
    assert all(made_by[b] == f"viewer:{a['viewerId']}" for b, a in zip(browsers, answers, strict=True))
    assert {(g.source_id, g.revoked_at, g.valid_until) for g in grants} == {("anonymous", None, None)}

    again = await admit_all(client, [{"eventId": event["eventId"], "clientViewerId": b} for b in browsers])
    assert [a["viewerId"] for a in again] == [a["viewerId"] for a in answers]
    assert len(await gate_grants(app_ctx, event["eventId"])) == len(browsers)  # renewed in place


async def test_a_crowd_on_a_paid_event_owes_the_payment_except_the_viewer_who_paid(
    factory: Factory, owner: AdminLogin, client: httpx.AsyncClient, app_ctx: AppContext
) -> None:
    event = await factory.open_event(owner, isPaidEvent=True, priceAmount=900, currency="EUR")
    browsers = [new_client_viewer_id() for _ in range(30)]
    bodies = [{"eventId": event["eventId"], "clientViewerId": b} for b in browsers]
    first = await admit_all(client, bodies)
    assert all(a["accessVerified"] and a["requiresPayment"] and not a["isPaidViewer"] for a in first)
    async with app_ctx.db.session() as session:
        await on_payment.grant_payment(session, event["eventId"], first[7]["viewerId"], "pay_crowd", None)

    again = await admit_all(client, bodies)
    assert [(a["requiresPayment"], a["isPaidViewer"], a["paymentStatus"]) for a in again] == [
        (False, True, "success") if n == 7 else (True, False, "none") for n in range(len(browsers))
    ]


async def test_a_crowd_re_entering_a_form_event_is_verified_only_where_it_registered(
    factory: Factory, owner: AdminLogin, client: httpx.AsyncClient
) -> None:
    event = await factory.open_event(owner, accessType="form", formFields=FORM_FIELDS)
    browsers = [new_client_viewer_id() for _ in range(40)]
    registered = browsers[::2]
    for n, browser in enumerate(registered):
        form = {**GOOD_FORM, "email": f"person{n}@example.com"}
        assert (await factory.register(event["eventId"], browser, formData=form)).status_code == 200

    answers = await admit_all(client, [{"eventId": event["eventId"], "clientViewerId": b} for b in browsers])
    for browser, answer in zip(browsers, answers, strict=True):
        cleared = browser in registered
        assert answer["accessVerified"] is cleared, browser
        assert bool(answer["token"]) is cleared
