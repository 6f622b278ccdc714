"""The live runtime's side of nginx-rtmp (deploy/nginx-rtmp.conf): its on_publish and on_publish_done hooks,
and the relay (ffmpeg pulling the stream from nginx) that feeds the runtime's publish session.

A relay is leased to one instance (relay_leases.py); on_publish_done may reach any instance, and is passed on
through the realtime broker to the instance that pulls the stream.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING

from golive.live.ingest import relay, relay_leases
from golive.live.ingest.rtmp import APP_NAME
from golive.live.keys import publish_name_key
from golive.live.service import IngestRefused
from golive.live.session import PublishSession

if TYPE_CHECKING:
    from golive.live.runtime import LiveRuntime

log = logging.getLogger("golive.live")

# The broker channel where an instance that got `on_publish_done` for a relay it does not pull tells the others.
PUBLISH_DONE_CHANNEL = "golive:live:publish-done"
RELAY_SOURCE = "nginx-rtmp"


class NginxRtmpHooks:
    def __init__(self, runtime: LiveRuntime) -> None:
        self.runtime = runtime

    def publisher_id(self, hook_address: str, form: Mapping[str, str]) -> str:
        return f"hook:{hook_address}:{form.get('clientid', '')}"[:120]

    async def publish(self, hook_address: str, form: Mapping[str, str]) -> None:
        """nginx-rtmp's on_publish: check the key like the embedded listener does, then pull the stream."""
        app = form.get("app", "").strip("/")
        key = publish_name_key(form.get("name", ""))
        if app != APP_NAME:
            raise IngestRefused(f"unknown application {app!r}", "bad_app")
        publisher_id = self.publisher_id(hook_address, form)
        relay_process: list[asyncio.subprocess.Process] = []
        base = self.runtime.settings.ingest_relay_url or relay.tcurl_of_hook_caller(form.get("tcurl", ""), hook_address)
        relay_url = base.rstrip("/")[:500] if base.startswith("rtmp://") else None
        session = await self.runtime.open_session(
            key,
            remote_addr=form.get("addr", "") or hook_address,
            source=RELAY_SOURCE,
            disconnect=self.relay_disconnect(publisher_id, app, key, relay_process),
            publisher_id=publisher_id,
            relay_url=relay_url,
        )
        if relay_url is None:
            await session.close("no relay address: set GOLIVE_INGEST_RELAY_URL")
            raise IngestRefused("the ingest cannot reach this stream", "no_relay")
        self.runtime.relays[publisher_id] = asyncio.create_task(
            self.relay_stream(session, relay_url, key, relay_process)
        )

    def relay_disconnect(
        self, publisher_id: str, app: str, key: str, relay_process: list[asyncio.subprocess.Process]
    ) -> Callable[[], None]:
        def disconnect() -> None:
            for process in relay_process:
                with contextlib.suppress(ProcessLookupError):
                    process.kill()
            if self.runtime.settings.ingest_control_url and publisher_id not in self.runtime.handovers:
                self.runtime.spawn(relay.drop_at_nginx(self.runtime.settings.ingest_control_url, app, key))

        return disconnect

    async def take_over(self, claim: relay_leases.RelayClaim) -> None:
        """Pulls a relay whose instance died again: the same publisher, so its on_publish_done still matches."""
        relay_process: list[asyncio.subprocess.Process] = []
        session = await self.runtime.new_session(
            claim.grant,
            claim.publisher_id,
            claim.remote_addr,
            RELAY_SOURCE,
            self.relay_disconnect(claim.publisher_id, APP_NAME, claim.stream_key, relay_process),
        )
        self.runtime.relays[claim.publisher_id] = asyncio.create_task(
            self.relay_stream(session, claim.relay_url, claim.stream_key, relay_process)
        )

    async def publish_done(self, hook_address: str, form: Mapping[str, str]) -> None:
        """on_publish_done: matched on nginx's client id, so a refused duplicate's callback ends nothing."""
        publisher_id = self.publisher_id(hook_address, form)
        if await self.close_publisher(publisher_id):
            return
        # Another instance pulls it (or none: it died): recorded for its supervisor, announced for it to act now.
        if await relay_leases.record_publish_done(self.runtime.ctx.db, publisher_id):
            await self.runtime.broker.publish(PUBLISH_DONE_CHANNEL, publisher_id)

    async def close_publisher(self, publisher_id: str) -> bool:
        for session in list(self.runtime.sessions.values()):
            if session.publisher_id == publisher_id:
                await session.close("the encoder stopped publishing (nginx-rtmp)")
                return True
        return False

    async def listen_for_publish_done(self) -> None:
        """on_publish_done that reached another instance, for a relay this one pulls."""
        while True:
            try:
                async with self.runtime.broker.subscribe(PUBLISH_DONE_CHANNEL) as messages:
                    while True:
                        await self.close_publisher(await messages.get())
            except asyncio.CancelledError:
                raise
            except Exception:  # a broker outage: the supervisor's renewal notices the stop on its own
                log.exception("live: listening for on_publish_done failed")
                await asyncio.sleep(self.runtime.settings.live_health_seconds)

    async def relay_stream(
        self, session: PublishSession, base: str, key: str, holder: list[asyncio.subprocess.Process]
    ) -> None:
        reason = await relay.pull(session, base, key, holder)
        if not session.is_closing:
            self.runtime.spawn(session.close(reason))
