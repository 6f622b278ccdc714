"""The events API end to end: create, read (admin and public), update, list, soft delete."""

from __future__ import annotations

from typing import Any

import httpx
from sqlalchemy import select

from golive.events.models import Event
from golive.identity.staff.models import AdminRole
from golive.platform.context import AppContext
from tests.support import AdminLogin, Factory, assert_error

FORM_FIELDS = [
    {"name": "company", "label": "Company", "type": "text", "required": True, "maxLength": 80},
    {"name": "plan", "label": "Plan", "type": "select", "options": ["Free", "Pro"]},
]


async def test_an_admin_creates_an_event_with_every_field(client: httpx.AsyncClient, owner: AdminLogin) -> None:
    body = {
        "title": "Launch",
        "description": "# Big day\nJoin **us**",
        "eventType": "live",
        "scheduledStart": "2030-05-01T17:00:00Z",
        "scheduledEnd": "2030-05-01T18:30:00Z",
        "timezone": "Europe/Paris",
        "accessType": "form",
        "formFields": FORM_FIELDS,
        "isPaidEvent": True,
        "priceAmount": 1999,
        "currency": "EUR",
        "embedSettings": {"allowedDomains": ["example.com"], "primaryColor": "#112233"},
    }
    response = await client.post("/api/events", json=body, headers=owner.headers)
    assert response.status_code == 201, response.text
    event = response.json()
    assert event["status"] == "draft"
    assert event["createdBy"] == owner.admin_id
    assert event["descriptionHtml"].startswith("<h1>Big day</h1>")
    assert event["formFields"][1]["options"] == ["Free", "Pro"]
    assert event["priceAmount"] == 1999 and event["currency"] == "EUR"
    assert event["allowedTransitions"] == ["scheduled", "cancelled"]
    assert event["embedSettings"]["allowedDomains"] == ["example.com"]
    fetched = await client.get(f"/api/events/{event['eventId']}", headers=owner.headers)
    assert fetched.json() == event


async def test_the_password_is_stored_hashed_and_never_returned(
    client: httpx.AsyncClient, owner: AdminLogin, factory: Factory, app_ctx: AppContext
) -> None:
    event = await factory.open_event(owner, accessType="password", accessPassword="open sesame")
    assert event["hasPassword"] is True
    assert "accessPassword" not in event and "open sesame" not in str(event)
    async with app_ctx.db.sessionmaker() as session:
        row = await session.scalar(select(Event).where(Event.event_id == event["eventId"]))
        assert row is not None and row.access_password_hash is not None
        assert row.access_password_hash.startswith("$argon2")
    public = await client.get(f"/api/events/{event['eventId']}")
    assert "hasPassword" not in public.json()


async def test_the_public_view_hides_admin_fields(
    client: httpx.AsyncClient, owner: AdminLogin, factory: Factory
) -> None:
    event = await factory.open_event(owner, embedSettings={"allowedDomains": ["partner.example"], "autoplay": True})
    public = (await client.get(f"/api/events/{event['eventId']}")).json()
    for hidden in ("createdBy", "allowedTransitions", "hasPassword", "deletedAt", "autoStart"):
        assert hidden not in public
    assert public["embedSettings"] == {"primaryColor": None, "autoplay": True, "muted": False}
    assert public["title"] == "Test event"


async def test_every_bad_field_is_named_in_the_error(client: httpx.AsyncClient, owner: AdminLogin) -> None:
    body = {
        "title": "x" * 121,
        "currency": "DOLLARS",
        "priceAmount": -1,
        "eventType": "podcast",
        "timezone": "Mars/Olympus",
        "formFields": [{"name": "a b", "label": "A"}],
    }
    response = await client.post("/api/events", json=body, headers=owner.headers)
    error = assert_error(response, 422, "validation_error")
    fields = set(error["details"]["fields"])
    assert {"title", "currency", "priceAmount", "eventType", "timezone", "formFields.0.name"} <= fields


async def test_rules_across_fields_are_enforced(client: httpx.AsyncClient, owner: AdminLogin) -> None:
    cases: list[tuple[dict[str, Any], str]] = [
        ({"isPaidEvent": True, "currency": "USD"}, "priceAmount"),
        ({"isPaidEvent": True, "priceAmount": 500}, "currency"),
        ({"scheduledStart": "2030-01-01T10:00:00Z", "scheduledEnd": "2030-01-01T09:00:00Z"}, "scheduledEnd"),
        ({"accessType": "password"}, "accessPassword"),
        ({"accessType": "form"}, "formFields"),
    ]
    for fields, bad_field in cases:
        response = await client.post("/api/events", json={"title": "t", **fields}, headers=owner.headers)
        assert bad_field in assert_error(response, 422, "validation_error")["details"]["fields"], fields
    listed = await client.get("/api/events", headers=owner.headers)
    assert listed.json()["total"] == 0


async def test_an_update_changes_only_the_fields_sent(
    client: httpx.AsyncClient, owner: AdminLogin, factory: Factory
) -> None:
    event = await factory.event(owner, description="keep me", scheduledStart="2030-01-01T10:00:00Z")
    response = await client.put(f"/api/events/{event['eventId']}", json={"title": "Renamed"}, headers=owner.headers)
    assert response.status_code == 200
    updated = response.json()
    assert updated["title"] == "Renamed"
    assert updated["description"] == "keep me"
    assert updated["scheduledStart"] == "2030-01-01T10:00:00Z"


async def test_an_update_that_breaks_a_rule_changes_nothing(
    client: httpx.AsyncClient, owner: AdminLogin, factory: Factory
) -> None:
    event = await factory.event(owner, scheduledStart="2030-01-01T10:00:00Z", scheduledEnd="2030-01-01T11:00:00Z")
    bad = {"title": "Changed", "scheduledEnd": "2029-12-31T00:00:00Z"}
    response = await client.put(f"/api/events/{event['eventId']}", json=bad, headers=owner.headers)
    assert_error(response, 422, "validation_error")
    after = (await client.get(f"/api/events/{event['eventId']}", headers=owner.headers)).json()
    assert after["title"] == "Test event" and after["scheduledEnd"] == "2030-01-01T11:00:00Z"


async def test_a_required_field_cannot_be_set_to_null_but_a_schedule_can_be_cleared(
    client: httpx.AsyncClient, owner: AdminLogin, factory: Factory
) -> None:
    event = await factory.event(owner, scheduledStart="2030-01-01T10:00:00Z")
    path = f"/api/events/{event['eventId']}"
    assert_error(await client.put(path, json={"title": None}, headers=owner.headers), 422, "validation_error")
    cleared = await client.put(path, json={"scheduledStart": None}, headers=owner.headers)
    assert cleared.json()["scheduledStart"] is None


async def test_a_soft_deleted_event_disappears_but_its_row_stays(
    client: httpx.AsyncClient, owner: AdminLogin, factory: Factory, app_ctx: AppContext
) -> None:
    event = await factory.event(owner)
    assert (await client.delete(f"/api/events/{event['eventId']}", headers=owner.headers)).status_code == 204
    assert_error(await client.get(f"/api/events/{event['eventId']}"), 404, "event_not_found")
    assert_error(await client.get(f"/api/events/{event['eventId']}", headers=owner.headers), 404, "event_not_found")
    assert (await client.get("/api/events", headers=owner.headers)).json()["total"] == 0
    async with app_ctx.db.sessionmaker() as session:
        row = await session.get(Event, event["eventId"])
        assert row is not None and row.deleted_at is not None


async def test_a_live_event_cannot_be_deleted(client: httpx.AsyncClient, owner: AdminLogin, factory: Factory) -> None:
    event = await factory.event(owner)
    for target in ("scheduled", "live"):
        await client.post(f"/api/events/{event['eventId']}/transitions", json={"to": target}, headers=owner.headers)
    assert_error(await client.delete(f"/api/events/{event['eventId']}", headers=owner.headers), 409, "event_is_live")


async def test_listing_filters_sorts_and_paginates(
    client: httpx.AsyncClient, owner: AdminLogin, factory: Factory
) -> None:
    for day in (3, 1, 2):
        await factory.event(owner, title=f"Talk {day}", scheduledStart=f"2030-01-0{day}T10:00:00Z", eventType="live")
    await factory.event(owner, title="Paid replay", isPaidEvent=True, priceAmount=100, currency="USD")

    async def titles(query: str) -> list[str]:
        response = await client.get(f"/api/events?{query}", headers=owner.headers)
        assert response.status_code == 200, response.text
        return [e["title"] for e in response.json()["items"]]

    assert await titles("sort=scheduledStart&eventType=live") == ["Talk 1", "Talk 2", "Talk 3"]
    assert await titles("sort=-scheduledStart&limit=2") == ["Talk 3", "Talk 2"]
    assert await titles("sort=-scheduledStart&limit=2&offset=2") == ["Talk 1", "Paid replay"]
    assert await titles("isPaid=true") == ["Paid replay"]
    assert await titles("q=talk%202") == ["Talk 2"]
    assert await titles("status=live") == []
    page = (await client.get("/api/events?limit=2", headers=owner.headers)).json()
    assert (page["total"], page["limit"], page["offset"]) == (4, 2, 0)


async def test_the_list_shows_each_event_as_its_own_page_does(
    client: httpx.AsyncClient, owner: AdminLogin, factory: Factory
) -> None:
    """The list is built from its own query (columns, not ORM objects): every field must still match."""
    created = [
        await factory.event(
            owner,
            title="Everything",
            description="# Big day\nJoin **us**",
            scheduledStart="2030-05-01T17:00:00Z",
            scheduledEnd="2030-05-01T18:30:00Z",
            timezone="Europe/Paris",
            accessType="form",
            formFields=FORM_FIELDS,
            isPaidEvent=True,
            priceAmount=1999,
            currency="EUR",
            embedSettings={"allowedDomains": ["example.com"], "primaryColor": "#112233", "autoplay": True},
        ),
        await factory.event(owner, title="Locked", accessType="password", accessPassword="open sesame"),
        await factory.event(owner, title="Bare"),
    ]
    live = await factory.open_event(owner, title="On air", eventType="live")

    listed = (await client.get("/api/events?sort=title", headers=owner.headers)).json()

    assert listed["total"] == 4
    for item in listed["items"]:
        single = await client.get(f"/api/events/{item['eventId']}", headers=owner.headers)
        assert item == single.json()
    by_title = {item["title"]: item for item in listed["items"]}
    assert by_title["Locked"]["hasPassword"] is True and "accessPasswordHash" not in by_title["Locked"]
    assert by_title["On air"]["allowedTransitions"] == ["ended"] and by_title["On air"]["eventId"] == live["eventId"]
    assert by_title["Everything"]["formFields"] == created[0]["formFields"]
    past_the_end = (await client.get("/api/events?offset=10&q=e", headers=owner.headers)).json()
    assert (past_the_end["items"], past_the_end["total"]) == ([], 3)


async def test_bad_list_parameters_are_named(client: httpx.AsyncClient, owner: AdminLogin) -> None:
    response = await client.get("/api/events?limit=0&status=paused&sort=random", headers=owner.headers)
    assert set(assert_error(response, 422, "validation_error")["details"]["fields"]) == {"limit", "status", "sort"}


async def test_an_unknown_event_is_a_404_in_the_error_format(client: httpx.AsyncClient) -> None:
    assert_error(await client.get("/api/events/01NOPE"), 404, "event_not_found")
    assert_error(await client.get("/api/nothing-here"), 404, "not_found")


async def test_malformed_json_is_a_400(client: httpx.AsyncClient, owner: AdminLogin) -> None:
    response = await client.post(
        "/api/events", content=b"{not json", headers={**owner.headers, "content-type": "application/json"}
    )
    assert_error(response, 400, "malformed_json")


async def test_editor_may_create_and_edit_events(client: httpx.AsyncClient, factory: Factory) -> None:
    editor = await factory.admin(AdminRole.EDITOR)
    event = await factory.event(editor)
    response = await client.put(f"/api/events/{event['eventId']}", json={"title": "By editor"}, headers=editor.headers)
    assert response.json()["title"] == "By editor"


async def test_the_embed_page_may_be_framed_only_by_allowed_domains(
    client: httpx.AsyncClient, owner: AdminLogin, factory: Factory
) -> None:
    limited = await factory.event(
        owner, embedSettings={"allowedDomains": ["partner.example", "https://a.example:8443"]}
    )
    open_event = await factory.event(owner)
    csp = (await client.get(f"/embed/{limited['eventId']}")).headers["content-security-policy"]
    assert csp == ("frame-ancestors 'self' https://partner.example http://partner.example https://a.example:8443")
    assert (await client.get(f"/embed/{open_event['eventId']}")).headers[
        "content-security-policy"
    ] == "frame-ancestors *"
    assert (await client.get("/embed/unknown")).headers["content-security-policy"] == "frame-ancestors 'self'"


async def test_drafts_and_cancelled_events_are_invisible_to_visitors(
    client: httpx.AsyncClient, owner: AdminLogin, factory: Factory
) -> None:
    draft = await factory.event(owner)
    cancelled = await factory.event(owner)
    await client.post(
        f"/api/events/{cancelled['eventId']}/transitions", json={"to": "cancelled"}, headers=owner.headers
    )
    for event in (draft, cancelled):
        assert_error(await client.get(f"/api/events/{event['eventId']}"), 404, "event_not_found")
        assert (await client.get(f"/api/events/{event['eventId']}", headers=owner.headers)).status_code == 200


async def test_an_oversized_body_is_refused_before_it_is_parsed(client: httpx.AsyncClient) -> None:
    body = {"eventId": "x", "clientViewerId": "abcdefgh", "formData": {"note": "x" * 2_000_000}}
    assert_error(await client.post("/api/registrations", json=body), 413, "payload_too_large")
