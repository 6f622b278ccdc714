"""The live ingest inside `golive serve`: publish sessions, their transcoders, and a supervisor.

Started by the app's lifespan (like the analytics runtime) and reached by routes through
`request.app.state.live`. It owns:
- the embedded RTMP listener (GOLIVE_RTMP_PORT; 0 turns it off),
- the nginx-rtmp path (ingest/nginx_hooks.py): an accepted `on_publish` hook starts a relay (ffmpeg
  pulling the stream from nginx as FLV) that feeds the very same publish session, so both paths share one pipeline,
- the supervisor, every GOLIVE_LIVE_HEALTH_SECONDS: renews each publisher's lease with its health
  (a lost lease or a rotated key sends the publisher away), stops the broadcasts of events that
  ended, expires reconnect windows (ending auto-end events) and adopts publishers of a server that died.
  A relay is leased to one instance (`relay_owner`): when its instance dies the lease lapses after
  GOLIVE_LIVE_LEASE_SECONDS and another instance's supervisor pulls the stream again, continuing the
  broadcast. nginx-rtmp's hooks may reach any instance: `on_publish_done` for a relay pulled elsewhere
  is recorded on the live input and announced on the realtime broker, and its owner stops at once.

A restart mid-event: the encoder's connection drops with the process (and ffmpeg exits on the end of
its input, so no process is left behind); the lease lapses, the input shows `reconnecting`, and an
encoder that reconnects within the window continues the broadcast after a discontinuity.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import logging
import os
import secrets
import socket
import time
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from golive.live import publishing, service
from golive.live.ingest import relay_leases
from golive.live.ingest.nginx_hooks import RELAY_SOURCE, NginxRtmpHooks
from golive.live.ingest.rtmp import RtmpListener
from golive.live.packaging.packager import LivePackager, work_dir
from golive.live.packaging.playlists import VariantEntry
from golive.live.packaging.transcoder import (
    LiveTranscoder,
    StreamPlan,
    build_live_command,
    hls_list_size,
    plan_renditions,
)
from golive.live.recording import next_part
from golive.live.session import PublishSession
from golive.media.ffmpeg import find_tools
from golive.platform.context import AppContext
from golive.platform.db import utcnow
from golive.platform.realtime import Broker, InProcessBroker

log = logging.getLogger("golive.live")

# A publisher that sends nothing for this long is sent away (its lease would otherwise block the key).
MEDIA_TIMEOUT_SECONDS = 20.0


@dataclass
class _Broadcast:
    """What one publish session runs besides itself: the packager following its transcoder."""

    packager: LivePackager
    stop: asyncio.Event
    follower: asyncio.Task[None]


class LiveRuntime:
    def __init__(self, ctx: AppContext, broker: Broker | None = None) -> None:
        self.ctx = ctx
        self.broker: Broker = broker or InProcessBroker()
        self.settings = ctx.settings
        self.node = f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(3)}"
        self._numbers = itertools.count(1)
        self.sessions: dict[str, PublishSession] = {}
        self._broadcasts: dict[str, _Broadcast] = {}
        self.relays: dict[str, asyncio.Task[None]] = {}  # the nginx-rtmp relays this instance pulls, by publisher
        self._background: set[asyncio.Task[None]] = set()
        self.listener: RtmpListener | None = None
        self._supervisor: asyncio.Task[None] | None = None
        self._hook_listener: asyncio.Task[None] | None = None
        # relays closed to be pulled by another instance: the encoder stays at nginx, the lease is left to lapse
        self.handovers: set[str] = set()
        self.nginx = NginxRtmpHooks(self)

    @classmethod
    async def start(cls, ctx: AppContext, broker: Broker | None = None) -> LiveRuntime:
        runtime = cls(ctx, broker)
        settings = ctx.settings
        if settings.rtmp_port:
            listener = RtmpListener(
                runtime.open_session,
                host=settings.rtmp_host or settings.host,
                port=settings.rtmp_port,
                publish_deadline=settings.rtmp_publish_deadline_seconds,
                max_connections_per_ip=settings.rtmp_max_connections_per_ip,
            )
            try:
                await listener.start()
                runtime.listener = listener
            except OSError as exc:
                if "rtmp_port" in settings.model_fields_set:
                    raise  # a port the operator chose must work
                # The default port, taken (a second instance on this machine): run without the listener.
                log.error("RTMP ingest is off: port %s is taken (%s); set GOLIVE_RTMP_PORT", settings.rtmp_port, exc)
        runtime._supervisor = asyncio.create_task(runtime._supervise())
        runtime._hook_listener = asyncio.create_task(runtime.nginx.listen_for_publish_done())
        return runtime

    @property
    def rtmp_port(self) -> int | None:
        return self.listener.port if self.listener else None

    def transcoder_pids(self) -> list[int]:
        """The ffmpeg processes running for this instance's publishers right now."""
        running = (s.transcoder for s in self.sessions.values() if s.transcoder is not None and s.transcoder.running)
        return [transcoder.pid for transcoder in running if transcoder.pid is not None]

    async def stop(self) -> None:
        """Encoders are disconnected (they reconnect to the next server), transcoders finish their segment."""
        for task in (self._supervisor, self._hook_listener):
            if task is not None:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
        sessions = list(self.sessions.values())
        self.handovers.update(s.publisher_id for s in sessions if s.source == RELAY_SOURCE)
        await asyncio.gather(
            *(session.close("the server is shutting down") for session in sessions),
            return_exceptions=True,
        )
        if self.listener is not None:
            await self.listener.stop()
        for relay_task in list(self.relays.values()):
            relay_task.cancel()
        await asyncio.gather(*self.relays.values(), *self._background, return_exceptions=True)

    # --- sessions -------------------------------------------------------------------------------------

    async def open_session(
        self,
        key: str,
        *,
        remote_addr: str,
        source: str,
        disconnect: Callable[[], None],
        publisher_id: str | None = None,
        relay_url: str | None = None,
    ) -> PublishSession:
        """Checks the key and takes its lease (IngestRefused otherwise); nothing is spawned yet."""
        publisher_id = publisher_id or f"{self.node}:{next(self._numbers)}"
        grant = await publishing.authorize_publish(
            self.ctx,
            key,
            publisher_id=publisher_id,
            remote_addr=remote_addr,
            source=source,
            relay_owner=self.node if source == RELAY_SOURCE else None,
            relay_url=relay_url,
        )
        return await self.new_session(grant, publisher_id, remote_addr, source, disconnect)

    async def new_session(
        self,
        grant: service.PublishGrant,
        publisher_id: str,
        remote_addr: str,
        source: str,
        disconnect: Callable[[], None],
    ) -> PublishSession:
        previous = self.sessions.get(grant.live_input_id)
        if previous is not None:  # its lease had lapsed; let it finish before the next transcoder starts
            await previous.close("replaced by a new publisher")
        session = PublishSession(
            live_input_id=grant.live_input_id,
            event_id=grant.event_id,
            key_digest=grant.key_digest,
            publisher_id=publisher_id,
            remote_addr=remote_addr,
            source=source,
            fresh=grant.fresh,
            disconnect=disconnect,
            on_planned=self._start_transcoder,
            on_closed=self._session_closed,
        )
        self.sessions[grant.live_input_id] = session
        log.info("publish accepted for event %s from %s (%s)", grant.event_id, remote_addr, source)
        return session

    def _relay_owner(self, session: PublishSession) -> str | None:
        """The lease holder's name for a relay (this instance); an embedded publisher has none."""
        return self.node if session.source == RELAY_SOURCE else None

    async def _start_transcoder(self, session: PublishSession, plan: StreamPlan) -> LiveTranscoder:
        settings = self.settings
        live_input_id = session.live_input_id
        packager = LivePackager(settings, live_input_id)
        parts_dir = service.recording_dir(settings, live_input_id)
        if session.fresh:
            packager.reset()
            await asyncio.to_thread(_remove_tree, parts_dir)
        renditions = plan_renditions(plan, settings.live_ladder)
        first_media = session.health.first_media_monotonic
        packager.begin(
            [
                VariantEntry(
                    r.name,
                    r.bandwidth(plan.source_kbps),
                    r.width,
                    r.height,
                    r.codecs(plan),
                    plan.frame_rate,
                    r.passthrough,
                )
                for r in renditions
            ],
            # the wall-clock time of the first frame ffmpeg will read: what EXT-X-PROGRAM-DATE-TIME counts from
            first_frame_at=None if first_media is None else time.time() - (time.monotonic() - first_media),
        )
        part = next_part(parts_dir)
        argv = build_live_command(
            plan,
            renditions,
            packager.out_dir,
            part,
            segment_seconds=settings.live_segment_seconds,
            list_size=hls_list_size(
                settings.live_segment_seconds, settings.live_window_seconds, settings.live_dvr_seconds
            ),
            append=not session.fresh,
            ffmpeg=find_tools().ffmpeg,
        )
        work = work_dir(settings, live_input_id)
        transcoder = LiveTranscoder(argv, work / "ffmpeg.log", work / "progress.log")
        await transcoder.start()
        try:
            await publishing.start_recording(self.ctx.db, live_input_id, fresh=session.fresh)
            if session.is_closing:  # closed meanwhile (a rotated key, the event ended): nobody will stop it
                raise PublisherGone("the publisher left while its transcoder started")
        except BaseException:
            await transcoder.finish(grace_seconds=2)
            raise
        stop = asyncio.Event()

        async def ready() -> None:
            await publishing.mark_stream_ready(self.ctx, live_input_id)

        follower = asyncio.create_task(packager.follow(stop, ready))
        self._broadcasts[live_input_id] = _Broadcast(packager, stop, follower)
        log.info(
            "live %s: %s, %dx%d, renditions %s",
            live_input_id,
            "new broadcast" if session.fresh else "continuing",
            plan.width,
            plan.height,
            ",".join(r.name for r in renditions),
        )
        return transcoder

    async def _session_closed(self, session: PublishSession, reason: str) -> None:
        live_input_id = session.live_input_id
        details: dict[str, object] = {
            "remoteAddr": session.remote_addr,
            "source": session.source,
            "seconds": round((utcnow() - session.connected_at).total_seconds(), 1),
            "mediaBytes": session.health.bytes_total,
        }
        try:
            if session.transcoder is not None:
                details["transcoderExit"] = await session.transcoder.finish()
                if session.transcoder.progress.speeds:
                    details["minSpeed"] = min(session.transcoder.progress.speeds)
            broadcast = self._broadcasts.pop(live_input_id, None)
            if broadcast is not None:
                broadcast.stop.set()
                with contextlib.suppress(Exception):
                    await broadcast.follower
        finally:
            relay_task = self.relays.pop(session.publisher_id, None)
            if relay_task is not None and relay_task is not asyncio.current_task():
                relay_task.cancel()
            try:
                if session.publisher_id in self.handovers:
                    self.handovers.discard(session.publisher_id)
                    await relay_leases.hand_over_relay(
                        self.ctx.db, self.settings, live_input_id, session.publisher_id, self.node, reason
                    )
                    log.info("relay of event %s left for another instance: %s", session.event_id, reason)
                else:
                    await self._release(session, reason, details)
            except Exception:  # the supervisor's lease expiry and its next tick cover it
                log.exception("could not release the publisher of %s", live_input_id)
            finally:
                if self.sessions.get(live_input_id) is session:
                    del self.sessions[live_input_id]

    async def _release(self, session: PublishSession, reason: str, details: dict[str, object]) -> None:
        over = await publishing.release_publisher(
            self.ctx.db,
            self.settings,
            session.live_input_id,
            session.publisher_id,
            reason,
            details,
            relay_owner=self._relay_owner(session),
        )
        log.info("publish ended for event %s: %s", session.event_id, reason)
        if over:
            await self.close_broadcast(session.live_input_id)

    async def kick(self, live_input_id: str, reason: str) -> None:
        """Send this input's publisher away now (a rotated key); other instances notice on their next tick."""
        session = self.sessions.get(live_input_id)
        if session is not None:
            await session.close(reason)

    # --- the supervisor -------------------------------------------------------------------------------

    def spawn(self, work: Coroutine[Any, Any, None]) -> None:
        task = asyncio.create_task(work)
        self._background.add(task)
        task.add_done_callback(self._background.discard)

    async def _supervise(self) -> None:
        while True:
            await asyncio.sleep(self.settings.live_health_seconds)
            try:
                await self.tick()
            except asyncio.CancelledError:
                raise
            except Exception:  # a database hiccup must not stop the supervision
                log.exception("live supervisor tick failed")

    async def tick(self) -> None:
        now = time.monotonic()
        for session in list(self.sessions.values()):
            if session.is_closing:
                continue
            last_media = session.health.last_media_monotonic
            reference = last_media if last_media is not None else _monotonic_of(session)
            if now - reference > MEDIA_TIMEOUT_SECONDS:
                self.spawn(session.close(f"no media for {MEDIA_TIMEOUT_SECONDS:.0f} s"))
                continue
            lost = await publishing.renew_lease(
                self.ctx.db,
                session.live_input_id,
                session.publisher_id,
                session.key_digest,
                session.snapshot(),
                session.health.last_media_at,
                relay_owner=self._relay_owner(session),
            )
            if lost is not None:
                if lost == publishing.RELAY_TAKEN_OVER:  # the encoder is fine, another instance pulls it now
                    self.handovers.add(session.publisher_id)
                self.spawn(session.close(lost))
        for claim in await relay_leases.take_over_relays(self.ctx, self.node):
            previous = self.sessions.get(claim.grant.live_input_id)
            if previous is not None and not previous.is_closing:
                continue  # this instance's own relay, renewed too late: the next renewal sends it away
            await self.nginx.take_over(claim)
        for live_input in await publishing.inputs_of_over_events(self.ctx.db):
            running = self.sessions.get(live_input.live_input_id)
            if running is not None:
                if not running.is_closing:
                    self.spawn(running.close("the event ended"))
            elif live_input.publisher_id is None:
                await self.close_broadcast(live_input.live_input_id)
        await publishing.expire_reconnect_windows(self.ctx)
        await publishing.start_ready_events(self.ctx)

    async def close_broadcast(self, live_input_id: str) -> None:
        """The event is over: playlists end, the input shows `ended`, the recording job is queued."""
        packager = LivePackager(self.settings, live_input_id)
        if packager.variants and not packager.ended:
            await asyncio.to_thread(packager.finish)
        if await publishing.close_broadcast(self.ctx.db, live_input_id):
            from golive.live.tasks import enqueue_finalize_recording

            await asyncio.to_thread(enqueue_finalize_recording, live_input_id)


def _monotonic_of(session: PublishSession) -> float:
    """When the session started, on the monotonic clock (for the no-media timeout before any media)."""
    return time.monotonic() - (utcnow() - session.connected_at).total_seconds()


def _remove_tree(path: Path) -> None:
    import shutil

    shutil.rmtree(path, ignore_errors=True)


class PublisherGone(Exception):
    """The session closed while its transcoder was starting."""
