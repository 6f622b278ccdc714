"""The live chat plays back beside the replay: a real broadcast in two parts (the encoder drops and comes back),
messages said during each part and in the gap, then the recording joined and transcoded; each message shows at its
place in the replay, a seek asks for a later window, and a trim moves them all."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest

from golive.engagement.chat.models import ChatMessage
from golive.live import recording
from golive.media import transcoding
from golive.platform.db import utcnow
from tests.live.conftest import LiveSite, input_ids, publish, wait_for

pytestmark = pytest.mark.timeout(240)

PART_SECONDS = 6.0


async def _say(site: LiveSite, event_id: str, text: str) -> None:
    async with site.ctx.db.sessionmaker() as session:
        session.add(ChatMessage(event_id=event_id, person_id="g:x", author_name="X", text=text, created_at=utcnow()))
        await session.commit()


async def _broadcast_part(site: LiveSite, event_id: str, key: str, logs: Path, said: list[str]) -> None:
    publisher = await publish(f"{site.rtmp_base}/{key}", logs, seconds=60)
    try:

        async def on_air() -> bool:
            return (
                bool((await site.live_input(event_id))["previewUrl"])
                and (await site.live_input(event_id))["state"] == "connected"
            )

        await wait_for(on_air, timeout=40, what="the stream to be on air")
        await asyncio.sleep(1.0)
        await _say(site, event_id, said[0])
        await asyncio.sleep(PART_SECONDS - 2)
        await _say(site, event_id, said[1])
        await asyncio.sleep(1.0)
    finally:
        publisher.stop()
        await publisher.wait()


async def test_the_chat_plays_back_in_step_with_the_replay(site: LiveSite, publisher_logs: Path) -> None:
    event = await site.live_event(title="Replay with chat")
    event_id, key = event["eventId"], event["input"]["streamKey"]
    token = await _viewer_token(site, event_id)
    await _broadcast_part(site, event_id, key, publisher_logs, ["early in part one", "late in part one"])

    async def away() -> bool:
        return (await site.live_input(event_id))["state"] == "reconnecting"

    await wait_for(away, timeout=20, what="the encoder to be missed")
    await _say(site, event_id, "in the gap")
    await asyncio.sleep(2.0)  # the gap: it is left out of the replay
    await _broadcast_part(site, event_id, key, publisher_logs, ["early in part two", "late in part two"])
    assert (await site.transition(event_id, "ended")).status_code == 200

    async def closed() -> bool:
        return (await site.live_input(event_id))["state"] == "ended" and not site.runtime.sessions

    await wait_for(closed, timeout=30, what="the ingest to stop")
    (live_input_id,) = await input_ids(site, event_id)
    asset_id = await recording.finalize_recording(site.ctx, live_input_id)
    assert asset_id is not None
    assert await transcoding.run_transcode(site.ctx, asset_id) is not None

    shown = await _replay(site, event_id, token, 0, 600)
    offsets = {m["text"]: m["offsetSeconds"] for m in shown}
    assert list(offsets) == [
        "early in part one",
        "late in part one",
        "in the gap",
        "early in part two",
        "late in part two",
    ]
    length = (await site.live_input(event_id))["recording"]["durationSeconds"]
    assert 0 < offsets["early in part one"] < offsets["late in part one"] <= offsets["in the gap"]
    assert offsets["in the gap"] <= offsets["early in part two"] < offsets["late in part two"] <= length
    # the gap is not in the replay: part two's messages sit less than the wall-clock time after part one's
    assert offsets["early in part two"] - offsets["late in part one"] < 5.0

    seam = offsets["in the gap"]  # a seek there asks for the window from there
    later = await _replay(site, event_id, token, seam, seam + 60)
    assert [m["text"] for m in later] == ["in the gap", "early in part two", "late in part two"]

    trimmed_by = 2.0
    response = await site.http.post(
        f"/api/events/{event_id}/replay/trim", json={"startSeconds": trimmed_by}, headers=site.owner.headers
    )
    assert response.status_code == 202, response.text
    assert await transcoding.run_transcode(site.ctx, response.json()["assetId"]) is not None
    after_trim = {m["text"]: m["offsetSeconds"] for m in await _replay(site, event_id, token, 0, 600)}
    assert "early in part one" not in after_trim or offsets["early in part one"] >= trimmed_by
    assert after_trim["late in part two"] == pytest.approx(offsets["late in part two"] - trimmed_by, abs=0.01)

    refused = await site.http.get(f"/api/events/{event_id}/chat/replay")
    assert refused.status_code == 401


async def _viewer_token(site: LiveSite, event_id: str) -> str:
    response = await site.factory.register(event_id)
    assert response.status_code == 200, response.text
    token: str = response.json()["token"]
    return token


async def _replay(site: LiveSite, event_id: str, token: str, start: float, end: float) -> list[dict[str, Any]]:
    response = await site.http.get(
        f"/api/events/{event_id}/chat/replay",
        params={"from": start, "to": end},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 200, response.text
    items: list[dict[str, Any]] = response.json()["items"]
    return items
