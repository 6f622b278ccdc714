"""A file name's bidirectional controls are dropped on the way in: "clip\\u202egnp.mp4" would otherwise show as
"clip4pm.png" in the console and in every export of it."""

from __future__ import annotations

import httpx
import pytest

from tests.support import AdminLogin, Factory, assert_error

from .uploading import TUS_VERSION, create_upload, tus_metadata


@pytest.mark.parametrize(
    ("sent", "kept"),
    [
        ("clip\u202egnp.mp4", "clipgnp.mp4"),  # right-to-left override
        ("\u2066talk\u2069 \u200fpart 2\u200e.mov", "talk part 2.mov"),  # isolates and marks
        ("\u202akeynote\u202c.mp4", "keynote.mp4"),  # embedding and its pop
        ("محاضرة.mp4", "محاضرة.mp4"),  # right-to-left text itself stays
    ],
)
async def test_bidirectional_controls_are_stripped_from_upload_names(
    client: httpx.AsyncClient, factory: Factory, owner: AdminLogin, sent: str, kept: str
) -> None:
    event = await factory.event(owner, eventType="vod")
    created = await create_upload(client, owner, event["eventId"], 1000, filename=sent)
    assert created.status_code == 201, created.text
    status = await client.head(created.headers["Location"], headers={**owner.headers, **TUS_VERSION})
    assert status.headers["upload-metadata"] == tus_metadata(filename=kept, filetype="video/mp4")


async def test_a_name_of_nothing_but_controls_is_refused(
    client: httpx.AsyncClient, factory: Factory, owner: AdminLogin
) -> None:
    event = await factory.event(owner, eventType="vod")
    response = await create_upload(client, owner, event["eventId"], 1000, filename="\u202e\u2066\u2069")
    assert_error(response, 422, "bad_filename")
