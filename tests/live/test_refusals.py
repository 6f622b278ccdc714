"""Every stream key that must not publish is refused before any media reaches a transcoder, and logged."""

from __future__ import annotations

import asyncio
import socket
import time
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from golive.audit.models import AuditLog
from golive.events import service as events_service
from golive.events.models import EventStatus
from golive.live import publishing
from tests.live.conftest import LiveSite, Publisher, publish, transcoder_children, wait_for

pytestmark = pytest.mark.timeout(120)


async def refused(site: LiveSite, url: str, logs: Path) -> Publisher:
    """Publishes to `url` and expects the encoder to be turned away at once, with nothing spawned."""
    started = time.monotonic()
    publisher = await publish(url, logs, seconds=10)
    returncode = await publisher.wait(timeout=15)
    assert returncode != 0, publisher.log
    assert time.monotonic() - started < 6, "a refused encoder should stop at once"
    assert transcoder_children() == [] and site.runtime.transcoder_pids() == []
    return publisher


async def connected(site: LiveSite, event_id: str) -> dict[str, Any]:
    async def check() -> dict[str, Any] | None:
        live_input = await site.live_input(event_id)
        return live_input if live_input["state"] == "connected" and site.runtime.transcoder_pids() else None

    result: dict[str, Any] = await wait_for(check, timeout=15, what="the publisher to be connected")
    return result


async def test_a_wrong_key_is_refused_and_audited(site: LiveSite, publisher_logs: Path) -> None:
    await site.live_event(title="Keyed")
    publisher = await refused(site, f"{site.rtmp_base}/glk_{'0' * 40}", publisher_logs)
    assert "invalid stream key" in publisher.log
    await refused(site, f"{site.rtmp_base}/not-even-a-key", publisher_logs)
    async with site.ctx.db.sessionmaker() as session:
        entries = list(await session.scalars(select(AuditLog).where(AuditLog.action == "ingest.refused")))
    assert len(entries) >= 2 and entries[0].ip_address == "127.0.0.1"


async def test_a_valid_key_under_another_application_is_refused(site: LiveSite, publisher_logs: Path) -> None:
    event = await site.live_event(title="Wrong app")
    url = site.rtmp_base.replace("/live", "/other") + "/" + event["input"]["streamKey"]
    await refused(site, url, publisher_logs)
    assert (await site.live_input(event["eventId"]))["state"] == "idle"


async def test_a_second_publisher_on_the_same_key_is_refused_and_the_first_goes_on(
    site: LiveSite, publisher_logs: Path
) -> None:
    event = await site.live_event(title="Two encoders")
    url = f"{site.rtmp_base}/{event['input']['streamKey']}"
    first = await publish(url, publisher_logs, seconds=30)
    try:
        await connected(site, event["eventId"])
        pids = site.runtime.transcoder_pids()
        second = await publish(url, publisher_logs, seconds=10)
        assert await second.wait(timeout=15) != 0
        assert "already publishing" in second.log
        assert site.runtime.transcoder_pids() == pids and first.process.returncode is None
        assert (await site.live_input(event["eventId"]))["state"] == "connected"
        refusals = [e for e in await site.automation(event["eventId"]) if e["action"] == "ingest.refused"]
        assert refusals and refusals[0]["details"]["code"] == "already_publishing"
    finally:
        first.stop()
        await first.wait()


async def test_a_rotated_key_stops_working_at_once_and_its_encoder_is_disconnected(
    site: LiveSite, publisher_logs: Path
) -> None:
    event = await site.live_event(title="Rotation")
    event_id = event["eventId"]
    old_key = event["input"]["streamKey"]
    await wait_for(lambda: _no_session(site, event_id), timeout=15, what="earlier sessions to end")
    encoder = await publish(f"{site.rtmp_base}/{old_key}", publisher_logs, seconds=30)
    await connected(site, event_id)
    response = await site.http.post(f"/api/events/{event_id}/live-input/rotate", headers=site.owner.headers)
    assert response.status_code == 200, response.text
    rotated = response.json()
    new_key = rotated["streamKey"]
    assert new_key != old_key and rotated["state"] == "reconnecting"
    assert await encoder.wait(timeout=10) != 0  # kicked, long before its 30 s
    assert transcoder_children() == []
    await refused(site, f"{site.rtmp_base}/{old_key}", publisher_logs)
    fresh = await publish(f"{site.rtmp_base}/{new_key}", publisher_logs, seconds=30)
    try:
        await connected(site, event_id)
    finally:
        fresh.stop()
        await fresh.wait()
    audit = await site.http.get(f"/api/events/{event_id}/audit", headers=site.owner.headers)
    assert any(entry["action"] == "live_input.rotate_key" for entry in audit.json()["items"])


async def test_a_key_rotated_while_the_transcoder_starts_leaves_no_ffmpeg_behind(
    site: LiveSite, publisher_logs: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The rotation lands between ffmpeg starting and the recording being written (a slow database)."""
    event = await site.live_event(title="Rotated mid-start")
    event_id = event["eventId"]
    await wait_for(lambda: _no_session(site, event_id), timeout=15, what="earlier sessions to end")
    writing = asyncio.Event()
    start_recording = publishing.start_recording

    async def slow_start_recording(*args: Any, **kwargs: Any) -> None:
        writing.set()
        await asyncio.sleep(1.5)
        await start_recording(*args, **kwargs)

    monkeypatch.setattr(publishing, "start_recording", slow_start_recording)
    encoder = await publish(f"{site.rtmp_base}/{event['input']['streamKey']}", publisher_logs, seconds=30)
    try:
        await asyncio.wait_for(writing.wait(), 15)
        assert transcoder_children() != []  # ffmpeg is up, the recording not yet written
        rotated = await site.http.post(f"/api/events/{event_id}/live-input/rotate", headers=site.owner.headers)
        assert rotated.status_code == 200, rotated.text
        assert await encoder.wait(timeout=10) != 0
        await wait_for(lambda: _no_transcoder(site), timeout=10, what="the half-started transcoder to stop")
    finally:
        encoder.stop()
        await encoder.wait()
    assert not site.runtime.sessions


async def test_an_auto_start_that_failed_once_is_retried_by_the_supervisor(
    site: LiveSite, publisher_logs: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    event = await site.live_event(title="Auto start retried")
    event_id = event["eventId"]
    await wait_for(lambda: _no_session(site, event_id), timeout=15, what="earlier sessions to end")
    transition = events_service.transition
    refused: list[str] = []

    async def database_hiccup(session: Any, target_id: str, to: EventStatus, *args: Any, **kwargs: Any) -> Any:
        if target_id == event_id and to == EventStatus.LIVE and not refused:
            refused.append(target_id)
            raise OSError("the database went away for a moment")
        return await transition(session, target_id, to, *args, **kwargs)

    monkeypatch.setattr(events_service, "transition", database_hiccup)
    encoder = await publish(f"{site.rtmp_base}/{event['input']['streamKey']}", publisher_logs, seconds=30)
    try:

        async def is_live() -> bool:
            return bool((await site.event(event_id))["status"] == "live")

        await wait_for(is_live, timeout=25, what="the event to go live after all")
    finally:
        encoder.stop()
        await encoder.wait()
    assert refused == [event_id]  # the stream-ready start failed; the supervisor's next tick started it


async def _no_transcoder(site: LiveSite) -> bool:
    await asyncio.sleep(0.5)  # the broadcast's follower would be registered right after the write
    return transcoder_children() == [] and site.runtime.transcoder_pids() == [] and not site.runtime._broadcasts


async def _no_session(site: LiveSite, event_id: str) -> bool:
    await asyncio.sleep(0)
    return not site.runtime.sessions


async def test_keys_of_ended_and_cancelled_events_are_refused(site: LiveSite, publisher_logs: Path) -> None:
    cancelled = await site.live_event(title="Cancelled")
    assert (await site.transition(cancelled["eventId"], "cancelled")).status_code == 200
    publisher = await refused(site, f"{site.rtmp_base}/{cancelled['input']['streamKey']}", publisher_logs)
    assert "cancelled" in publisher.log
    ended = await site.live_event(title="Over", autoStart=False)
    for target in ("live", "ended"):
        assert (await site.transition(ended["eventId"], target)).status_code == 200
    await refused(site, f"{site.rtmp_base}/{ended['input']['streamKey']}", publisher_logs)
    refusals = [e for e in await site.automation(ended["eventId"]) if e["action"] == "ingest.refused"]
    assert refusals and refusals[0]["details"]["code"] == "event_over"
    assert (await site.live_input(ended["eventId"]))["state"] == "ended"


def _rtmp_address(site: LiveSite) -> tuple[str, int]:
    port = site.runtime.rtmp_port
    assert port is not None
    return "127.0.0.1", port


def _closed_by_server(sock: socket.socket, within: float) -> bool:
    sock.settimeout(within)
    try:
        return sock.recv(1) == b""
    except TimeoutError:
        return False
    except ConnectionResetError:
        return True


async def test_a_connection_that_never_publishes_is_closed_after_the_deadline(site: LiveSite) -> None:
    started = time.monotonic()
    with socket.create_connection(_rtmp_address(site)) as idle:
        assert await asyncio.to_thread(_closed_by_server, idle, 8.0)
    deadline = site.ctx.settings.rtmp_publish_deadline_seconds
    assert deadline - 0.5 < time.monotonic() - started < deadline + 3


async def test_one_address_may_hold_only_a_few_connections(site: LiveSite) -> None:
    limit = site.ctx.settings.rtmp_max_connections_per_ip
    held = [socket.create_connection(_rtmp_address(site)) for _ in range(limit)]
    try:
        await asyncio.sleep(0.3)
        with socket.create_connection(_rtmp_address(site)) as extra:
            assert await asyncio.to_thread(_closed_by_server, extra, 1.5)
        assert not await asyncio.to_thread(_closed_by_server, held[0], 0.2)
    finally:
        for sock in held:
            sock.close()
