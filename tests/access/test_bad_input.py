"""Every bad admission gets a clear 4xx in the seed-004 format, names the field, and writes no viewer."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select, update

from golive.access.models import EmailCode, Viewer
from golive.platform.context import AppContext
from golive.platform.db import utcnow
from tests.access.test_gates import FORM_FIELDS, GOOD_FORM
from tests.support import AdminLogin, Factory, assert_error, code_in, new_client_viewer_id


async def viewer_count(ctx: AppContext) -> int:
    async with ctx.db.sessionmaker() as session:
        return int(await session.scalar(select(func.count()).select_from(Viewer)) or 0)


async def test_an_unknown_event_is_not_found(factory: Factory, owner: AdminLogin, app_ctx: AppContext) -> None:
    assert_error(await factory.register("01JUNKNOWNEVENT00000000000"), 404, "event_not_found")
    assert await viewer_count(app_ctx) == 0


async def test_a_draft_cancelled_or_deleted_event_is_not_found(
    factory: Factory, owner: AdminLogin, client: httpx.AsyncClient
) -> None:
    draft = await factory.event(owner)
    assert_error(await factory.register(draft["eventId"]), 404, "event_not_found")
    cancelled = await factory.event(owner)
    await client.post(
        f"/api/events/{cancelled['eventId']}/transitions", json={"to": "cancelled"}, headers=owner.headers
    )
    assert_error(await factory.register(cancelled["eventId"]), 404, "event_not_found")
    deleted = await factory.open_event(owner)
    await factory.register(deleted["eventId"])  # cached gate must not outlive the delete
    for target in ("ended",):
        await client.post(f"/api/events/{deleted['eventId']}/transitions", json={"to": target}, headers=owner.headers)
    assert (await client.delete(f"/api/events/{deleted['eventId']}", headers=owner.headers)).status_code == 204
    assert_error(await factory.register(deleted["eventId"]), 404, "event_not_found")


async def test_an_archived_event_is_a_conflict(factory: Factory, owner: AdminLogin, client: httpx.AsyncClient) -> None:
    event = await factory.open_event(owner)
    assert (await factory.register(event["eventId"])).status_code == 200
    for target in ("ended", "archived"):
        await client.post(f"/api/events/{event['eventId']}/transitions", json={"to": target}, headers=owner.headers)
    assert_error(await factory.register(event["eventId"]), 409, "event_archived")


@pytest.mark.parametrize(
    ("client_viewer_id", "reason"),
    [("short", "too short"), ("x" * 129, "too long"), ("has space in it", "space"), ("emoji-\u2728-id", "unicode")],
)
async def test_a_bad_client_viewer_id_is_refused(
    factory: Factory, owner: AdminLogin, client_viewer_id: str, reason: str
) -> None:
    event = await factory.open_event(owner)
    error = assert_error(await factory.register(event["eventId"], client_viewer_id), 422, "validation_error")
    assert "clientViewerId" in error["details"]["fields"], reason


async def test_a_missing_body_field_and_unknown_keys_are_named(factory: Factory, client: httpx.AsyncClient) -> None:
    response = await client.post("/api/registrations", json={"clientViewerId": "abcdefgh", "extra": 1})
    fields = assert_error(response, 422, "validation_error")["details"]["fields"]
    assert {"eventId", "extra"} <= set(fields)
    malformed = await client.post(
        "/api/registrations", content=b"{not json", headers={"Content-Type": "application/json"}
    )
    assert_error(malformed, 400, "malformed_json")


@pytest.mark.parametrize(
    ("form_data", "field", "message_part"),
    [
        ({k: v for k, v in GOOD_FORM.items() if k != "name"}, "formData.name", "required"),
        ({**GOOD_FORM, "terms": False}, "formData.terms", "checked"),
        ({**GOOD_FORM, "email": "not-an-email"}, "formData.email", "email"),
        ({**GOOD_FORM, "phone": "call me maybe"}, "formData.phone", "phone"),
        ({**GOOD_FORM, "seats": "three"}, "formData.seats", "number"),
        ({**GOOD_FORM, "seats": True}, "formData.seats", "number"),
        ({**GOOD_FORM, "plan": "Enterprise"}, "formData.plan", "one of"),
        ({**GOOD_FORM, "company": "x" * 21}, "formData.company", "at most 20"),
        ({**GOOD_FORM, "notes": "x" * 5001}, "formData.notes", "at most 5000"),
        ({**GOOD_FORM, "name": "x" * 501}, "formData.name", "at most 500"),
        ({**GOOD_FORM, "terms": "yes"}, "formData.terms", "true or false"),
        ({**GOOD_FORM, "name": {"first": "Ada"}}, "formData.name", "text"),
        ({**GOOD_FORM, "favourite": "blue"}, "formData.favourite", "not a field"),
    ],
)
async def test_bad_form_data_names_each_field(
    factory: Factory,
    owner: AdminLogin,
    app_ctx: AppContext,
    form_data: dict[str, Any],
    field: str,
    message_part: str,
) -> None:
    event = await factory.open_event(owner, accessType="form", formFields=FORM_FIELDS)
    error = assert_error(await factory.register(event["eventId"], formData=form_data), 422, "invalid_form_data")
    assert message_part in error["details"]["fields"][field]
    assert await viewer_count(app_ctx) == 0


async def test_several_bad_fields_are_reported_together(factory: Factory, owner: AdminLogin) -> None:
    event = await factory.open_event(owner, accessType="form", formFields=FORM_FIELDS)
    error = assert_error(await factory.register(event["eventId"], formData={"plan": "Gold"}), 422, "invalid_form_data")
    assert set(error["details"]["fields"]) == {"formData.name", "formData.email", "formData.plan", "formData.terms"}


async def test_inputs_of_another_gate_are_refused(factory: Factory, owner: AdminLogin) -> None:
    event = await factory.open_event(owner)
    error = assert_error(await factory.register(event["eventId"], password="secret"), 422, "validation_error")
    assert "password" in error["details"]["fields"]
    email_event = await factory.open_event(owner, accessType="email")
    error = assert_error(await factory.register(email_event["eventId"], code="123456"), 422, "validation_error")
    assert "email" in error["details"]["fields"]


async def test_a_bad_email_is_named(factory: Factory, owner: AdminLogin, app_ctx: AppContext) -> None:
    event = await factory.open_event(owner, accessType="email")
    for bad in ("nobody", "a@b", "two@@example.com"):
        error = assert_error(await factory.register(event["eventId"], email=bad), 422, "validation_error")
        assert "email" in error["details"]["fields"]
    assert await viewer_count(app_ctx) == 0


async def test_a_wrong_password_is_refused_and_names_the_field(
    factory: Factory, owner: AdminLogin, app_ctx: AppContext
) -> None:
    event = await factory.open_event(owner, accessType="password", accessPassword="open sesame")
    error = assert_error(await factory.register(event["eventId"], password="guess"), 403, "wrong_password")
    assert error["details"]["fields"]["password"]
    assert await viewer_count(app_ctx) == 0


async def test_repeated_wrong_passwords_are_throttled_with_retry_after(factory: Factory, owner: AdminLogin) -> None:
    event = await factory.open_event(owner, accessType="password", accessPassword="open sesame")
    client_id = new_client_viewer_id()
    for _ in range(5):
        assert_error(await factory.register(event["eventId"], client_id, password="guess"), 403, "wrong_password")
    blocked = await factory.register(event["eventId"], client_id, password="open sesame")
    error = assert_error(blocked, 429, "too_many_requests")
    assert int(blocked.headers["Retry-After"]) >= 1
    assert error["details"]["retryAfter"] == int(blocked.headers["Retry-After"])


async def test_wrong_passwords_from_one_ip_are_throttled_across_browsers(
    factory: Factory, owner: AdminLogin, app_ctx: AppContext
) -> None:
    app_ctx.settings.viewer_password_max_failures_per_ip = 3
    event = await factory.open_event(owner, accessType="password", accessPassword="open sesame")
    for _ in range(3):
        assert_error(await factory.register(event["eventId"], password="guess"), 403, "wrong_password")
    assert_error(await factory.register(event["eventId"], password="open sesame"), 429, "too_many_requests")


async def _code_for(factory: Factory, event_id: str, client_id: str, email: str) -> str:
    assert (await factory.register(event_id, client_id, email=email)).json()["codeSent"] is True
    return code_in((await factory.last_email(email)).body_text)


def _other(code: str) -> str:
    return f"{(int(code) + 1) % 1_000_000:06d}"


async def test_a_wrong_code_is_refused(factory: Factory, owner: AdminLogin) -> None:
    event = await factory.open_event(owner, accessType="email")
    client_id = new_client_viewer_id()
    code = await _code_for(factory, event["eventId"], client_id, "wrong@example.com")
    response = await factory.register(event["eventId"], client_id, email="wrong@example.com", code=_other(code))
    error = assert_error(response, 403, "invalid_code")
    assert "4 attempts left" in error["details"]["fields"]["code"]


async def test_an_expired_code_is_refused(factory: Factory, owner: AdminLogin, app_ctx: AppContext) -> None:
    event = await factory.open_event(owner, accessType="email")
    client_id = new_client_viewer_id()
    code = await _code_for(factory, event["eventId"], client_id, "late@example.com")
    async with app_ctx.db.session() as session:
        await session.execute(update(EmailCode).values(expires_at=utcnow() - timedelta(seconds=1)))
    response = await factory.register(event["eventId"], client_id, email="late@example.com", code=code)
    assert_error(response, 403, "code_expired")


async def test_a_code_works_only_once(factory: Factory, owner: AdminLogin) -> None:
    event = await factory.open_event(owner, accessType="email")
    code = await _code_for(factory, event["eventId"], new_client_viewer_id(), "once@example.com")
    first = await factory.register(event["eventId"], email="once@example.com", code=code)
    assert first.json()["accessVerified"] is True
    assert_error(await factory.register(event["eventId"], email="once@example.com", code=code), 403, "code_used")


async def test_a_code_dies_after_five_attempts_even_the_right_one(factory: Factory, owner: AdminLogin) -> None:
    event = await factory.open_event(owner, accessType="email")
    client_id = new_client_viewer_id()
    code = await _code_for(factory, event["eventId"], client_id, "guess@example.com")
    for _ in range(5):
        response = await factory.register(event["eventId"], client_id, email="guess@example.com", code=_other(code))
        assert_error(response, 403, "invalid_code")
    response = await factory.register(event["eventId"], client_id, email="guess@example.com", code=code)
    assert_error(response, 403, "code_attempts_exceeded")


async def test_a_new_code_replaces_the_old_one(factory: Factory, owner: AdminLogin) -> None:
    event = await factory.open_event(owner, accessType="email")
    client_id = new_client_viewer_id()
    old = await _code_for(factory, event["eventId"], client_id, "again@example.com")
    new = await _code_for(factory, event["eventId"], client_id, "again@example.com")
    if old != new:
        response = await factory.register(event["eventId"], client_id, email="again@example.com", code=old)
        assert_error(response, 403, "invalid_code")
    ok = await factory.register(event["eventId"], client_id, email="again@example.com", code=new)
    assert ok.json()["accessVerified"] is True


async def test_code_requests_are_rate_limited(factory: Factory, owner: AdminLogin) -> None:
    event = await factory.open_event(owner, accessType="email")
    for _ in range(5):
        assert (await factory.register(event["eventId"], email="spam@example.com")).status_code == 200
    blocked = await factory.register(event["eventId"], email="spam@example.com")
    assert_error(blocked, 429, "too_many_requests")
    assert int(blocked.headers["Retry-After"]) >= 1
