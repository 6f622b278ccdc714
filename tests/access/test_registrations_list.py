"""Admins list an event's viewers with their form data, filter them, and export them as CSV."""

from __future__ import annotations

import csv
import io

import httpx

from golive.flows import on_payment
from golive.identity.staff.models import AdminRole
from golive.platform.context import AppContext
from tests.access.test_gates import FORM_FIELDS, GOOD_FORM
from tests.support import AdminLogin, Factory, assert_error


async def form_event_with_viewers(factory: Factory, owner: AdminLogin, app_ctx: AppContext) -> str:
    event = await factory.open_event(owner, accessType="form", formFields=FORM_FIELDS)
    people = [("Ada", "ada@example.com"), ("Grace", "grace@example.com"), ("=HYPERLINK(1)", "evil@example.com")]
    for name, email in people:
        response = await factory.register(event["eventId"], formData={**GOOD_FORM, "name": name, "email": email})
        assert response.status_code == 200, response.text
        if email == "grace@example.com":  # as if her payment had gone through (the flow a success runs)
            async with app_ctx.db.session() as session:
                viewer_id = response.json()["viewerId"]
                await on_payment.grant_payment(session, event["eventId"], viewer_id, "pay_grace", None)
    await factory.register(event["eventId"])  # came to the gate, did not register
    return str(event["eventId"])


async def test_an_editor_lists_the_viewers_with_their_form_data(
    factory: Factory, owner: AdminLogin, client: httpx.AsyncClient, app_ctx: AppContext
) -> None:
    event_id = await form_event_with_viewers(factory, owner, app_ctx)
    editor = await factory.admin(AdminRole.EDITOR)
    response = await client.get(f"/api/events/{event_id}/registrations", headers=editor.headers)
    assert response.status_code == 200, response.text
    page = response.json()
    assert page["total"] == 4 and page["limit"] == 20 and page["offset"] == 0
    ada = next(item for item in page["items"] if item["email"] == "ada@example.com")
    assert ada["formData"]["plan"] == "Pro" and ada["accessVerified"] is True
    assert ada["accessMode"] == "form" and ada["paymentStatus"] == "none" and ada["deviceType"] == "desktop"


async def test_the_list_filters_and_pages(
    factory: Factory, owner: AdminLogin, client: httpx.AsyncClient, app_ctx: AppContext
) -> None:
    event_id = await form_event_with_viewers(factory, owner, app_ctx)
    path = f"/api/events/{event_id}/registrations"

    async def emails(**query: str | int) -> list[str | None]:
        response = await client.get(path, params=query, headers=owner.headers)
        assert response.status_code == 200, response.text
        return sorted((i["email"] for i in response.json()["items"]), key=str)

    assert await emails(paymentStatus="success") == ["grace@example.com"]
    assert await emails(accessVerified="false") == [None]
    assert await emails(q="GRACE") == ["grace@example.com"]
    assert await emails(q="ada", accessMode="form") == ["ada@example.com"]
    assert await emails(accessMode="email") == []
    assert len(await emails(limit=2, offset=2)) == 2


async def test_the_csv_export_has_a_column_per_form_field_and_defuses_formulas(
    factory: Factory, owner: AdminLogin, client: httpx.AsyncClient, app_ctx: AppContext
) -> None:
    event_id = await form_event_with_viewers(factory, owner, app_ctx)
    response = await client.get(
        f"/api/events/{event_id}/registrations",
        params={"format": "csv", "accessVerified": "true"},
        headers=owner.headers,
    )
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/csv")
    assert response.headers["content-disposition"] == f'attachment; filename="registrations-{event_id}.csv"'
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert len(rows) == 3
    assert [f"formData.{f['name']}" for f in FORM_FIELDS] == list(rows[0])[-len(FORM_FIELDS) :]
    evil = next(r for r in rows if r["email"] == "evil@example.com")
    assert evil["name"] == "'=HYPERLINK(1)" and evil["formData.name"] == "'=HYPERLINK(1)"
    assert evil["formData.phone"] == "'+44 20 7946 0000"
    assert evil["firstJoinAt"].endswith("Z") and "T" in evil["firstJoinAt"]
    assert evil["formData.terms"] == "true" and evil["formData.seats"] == "3"


async def test_the_list_needs_an_admin_and_a_known_event(
    factory: Factory, owner: AdminLogin, client: httpx.AsyncClient
) -> None:
    event = await factory.open_event(owner)
    assert_error(await client.get(f"/api/events/{event['eventId']}/registrations"), 401, "not_authenticated")
    response = await client.get("/api/events/01JUNKNOWN/registrations", headers=owner.headers)
    assert_error(response, 404, "event_not_found")
    csv_response = await client.get("/api/events/01JUNKNOWN/registrations?format=csv", headers=owner.headers)
    assert_error(csv_response, 404, "event_not_found")
