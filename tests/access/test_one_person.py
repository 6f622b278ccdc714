"""One person is one registration per event (issue 19, item 7): a known address on a new device proves
itself with the emailed code, the device that holds the registration updates it, parallel submissions of
one address make one person, and the registrations list shows people with their device count."""

from __future__ import annotations

import asyncio
import csv
import io
from typing import Any

import httpx

from golive.platform.context import AppContext
from tests.access.test_gates import FORM_FIELDS, GOOD_FORM
from tests.support import AdminLogin, Factory, code_in, new_client_viewer_id


async def people(client: httpx.AsyncClient, admin: AdminLogin, event_id: str, **query: str) -> list[dict[str, Any]]:
    response = await client.get(f"/api/events/{event_id}/registrations", params=query, headers=admin.headers)
    assert response.status_code == 200, response.text
    page = response.json()
    assert page["total"] == len(page["items"])
    items: list[dict[str, Any]] = page["items"]
    return items


async def test_a_known_address_on_a_new_device_needs_the_emailed_code_and_keeps_the_answers(
    factory: Factory, owner: AdminLogin, client: httpx.AsyncClient
) -> None:
    event = await factory.open_event(owner, accessType="form", formFields=FORM_FIELDS)
    laptop, phone = new_client_viewer_id(), new_client_viewer_id()
    first = await factory.register(event["eventId"], laptop, formData=GOOD_FORM)
    assert first.json()["accessVerified"] is True

    again = await factory.register(event["eventId"], phone, formData={**GOOD_FORM, "plan": "Free", "name": "Mallory"})

    assert again.status_code == 200, again.text
    assert again.json()["accessVerified"] is False and again.json()["token"] is None and again.json()["codeSent"]
    # the phone waits at the gate (a visitor's row, no registration); Ada's answers are untouched
    [ada] = await people(client, owner, event["eventId"], accessVerified="true")
    assert ada["formData"]["plan"] == "Pro" and ada["name"] == "Ada Lovelace" and ada["deviceCount"] == 1

    code = code_in((await factory.last_email("ada@example.com")).body_text)
    proven = await factory.register(event["eventId"], phone, email="ada@example.com", code=code)
    assert proven.json()["accessVerified"] is True and proven.json()["token"]

    [ada] = await people(client, owner, event["eventId"])
    assert ada["deviceCount"] == 2 and ada["formData"]["plan"] == "Pro" and ada["accessVerified"] is True
    exported = await client.get(
        f"/api/events/{event['eventId']}/registrations", params={"format": "csv"}, headers=owner.headers
    )
    [row] = list(csv.DictReader(io.StringIO(exported.text)))
    assert row["email"] == "ada@example.com" and row["deviceCount"] == "2" and row["formData.plan"] == "Pro"


async def test_the_device_that_holds_the_registration_updates_its_answers_on_every_device(
    factory: Factory, owner: AdminLogin, client: httpx.AsyncClient
) -> None:
    event = await factory.open_event(owner, accessType="form", formFields=FORM_FIELDS)
    laptop, phone = new_client_viewer_id(), new_client_viewer_id()
    await factory.register(event["eventId"], laptop, formData=GOOD_FORM)
    await factory.register(event["eventId"], phone, email="ada@example.com")
    code = code_in((await factory.last_email("ada@example.com")).body_text)
    await factory.register(event["eventId"], phone, email="ada@example.com", code=code)

    updated = await factory.register(event["eventId"], laptop, formData={**GOOD_FORM, "plan": "Free"})

    assert updated.json()["accessVerified"] is True and updated.json()["codeSent"] is False
    [ada] = await people(client, owner, event["eventId"])
    assert ada["deviceCount"] == 2 and ada["formData"]["plan"] == "Free"
    # from the phone too (it proved the address): still one person
    await factory.register(event["eventId"], phone, formData={**GOOD_FORM, "seats": 9})
    [ada] = await people(client, owner, event["eventId"])
    assert ada["deviceCount"] == 2 and ada["formData"]["seats"] == 9


async def test_parallel_submissions_of_one_address_make_one_person(
    factory: Factory, owner: AdminLogin, client: httpx.AsyncClient, app_ctx: AppContext
) -> None:
    event = await factory.open_event(owner, accessType="form", formFields=FORM_FIELDS)
    devices = [new_client_viewer_id() for _ in range(6)]

    answers = await asyncio.gather(
        *(factory.register(event["eventId"], d, formData={**GOOD_FORM, "seats": n}) for n, d in enumerate(devices))
    )

    assert all(answer.status_code == 200 for answer in answers), [a.text for a in answers]
    admitted = [a.json() for a in answers if a.json()["accessVerified"]]
    asked = [a.json() for a in answers if a.json()["codeSent"]]
    assert len(admitted) == 1 and len(asked) == 5
    # the five who were asked for a code wait at the gate (unverified devices, no registration yet)
    [ada] = await people(client, owner, event["eventId"], accessVerified="true")
    assert ada["email"] == "ada@example.com" and ada["deviceCount"] == 1
    assert ada["viewerId"] == admitted[0]["viewerId"]
    assert ada["formData"]["seats"] == next(n for n, a in enumerate(answers) if a.json()["accessVerified"])


async def test_people_without_an_email_are_one_entry_each(
    factory: Factory, owner: AdminLogin, client: httpx.AsyncClient
) -> None:
    event = await factory.open_event(owner, accessType="form", formFields=FORM_FIELDS)
    await factory.register(event["eventId"], formData=GOOD_FORM)
    await factory.register(event["eventId"], formData={**GOOD_FORM, "email": "grace@example.com"})
    await factory.register(event["eventId"])  # came to the gate, did not register
    await factory.register(event["eventId"])

    listed = await people(client, owner, event["eventId"])

    assert sorted(str(p["email"]) for p in listed) == ["None", "None", "ada@example.com", "grace@example.com"]
    assert {p["deviceCount"] for p in listed} == {1}
