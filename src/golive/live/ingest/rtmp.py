"""The embedded RTMP listener (pyrtmp): handshake, connect, createStream and publish come from the library.

What we add around it, because the library does none of it:
- the stream key is checked in `publish`, before the encoder gets NetStream.Publish.Start and so
  before it sends any media; a refused encoder gets NetStream.Publish.BadName and the socket closes;
- a deadline from TCP accept to `publish` (an idle or slow socket is closed), and a cap on
  connections per address;
- audio, video and data messages skip pyrtmp's message parsing (their payload already is an FLV tag
  body) and go straight to the publish session, with backpressure from the transcoder.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import Counter
from collections.abc import Awaitable, Callable
from typing import Any

from golive.live.ingest import pyrtmp_compat as rtmp
from golive.live.ingest.flv import TAG_AUDIO, TAG_SCRIPT, TAG_VIDEO, Tag
from golive.live.keys import publish_name_key
from golive.live.service import IngestRefused
from golive.live.session import PublishSession
from golive.platform.ratelimit import network_key

log = logging.getLogger("golive.live.ingest.rtmp")

APP_NAME = "live"
# The chunk sizes a client may ask for (the protocol's default is 128; encoders use up to a few MB).
MIN_CHUNK_SIZE, MAX_CHUNK_SIZE = 128, 1 << 24
_MEDIA_TYPES = {0x08: TAG_AUDIO, 0x09: TAG_VIDEO, 0x12: TAG_SCRIPT}
# AMF3 data/command and aggregate messages: encoders that matter use AMF0 and plain messages.
_UNSUPPORTED_TYPES = frozenset({0x0F, 0x11, 0x16})

OpenSession = Callable[..., Awaitable[PublishSession]]


class RtmpListener:
    """`open_session(key, remote_addr=, source=, disconnect=)` authorizes and returns the session."""

    def __init__(
        self,
        open_session: OpenSession,
        *,
        host: str,
        port: int,
        publish_deadline: float,
        max_connections_per_ip: int,
    ) -> None:
        self._open_session = open_session
        self.host = host
        self.port = port
        self.publish_deadline = publish_deadline
        self.max_connections_per_ip = max_connections_per_ip
        self._server: asyncio.Server | None = None
        self._per_ip: Counter[str] = Counter()
        self._connections: dict[asyncio.Task[None], asyncio.StreamWriter] = {}

    async def start(self) -> int:
        loop = asyncio.get_running_loop()
        self._server = await loop.create_server(self._protocol, host=self.host, port=self.port)
        self.port = int(self._server.sockets[0].getsockname()[1])
        log.info("RTMP ingest listening on %s:%s", self.host, self.port)
        return self.port

    def _protocol(self) -> asyncio.StreamReaderProtocol:
        reader = asyncio.StreamReader(limit=2**20)
        return asyncio.StreamReaderProtocol(reader, self._accepted)

    async def _accepted(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        if task is not None:
            self._connections[task] = writer
        peer = writer.get_extra_info("peername")
        address = str(peer[0]) if isinstance(peer, tuple) else "unknown"
        source = network_key(address)
        try:
            if self._per_ip[source] >= self.max_connections_per_ip:
                log.warning("RTMP: refused %s: over %d connections at once", address, self.max_connections_per_ip)
                return
            self._per_ip[source] += 1
            log.info("RTMP: connection from %s", address)
            try:
                await _Connection(self, reader, writer, address).run()
            finally:
                log.info("RTMP: %s disconnected", address)
                self._per_ip[source] -= 1
                if self._per_ip[source] <= 0:
                    del self._per_ip[source]
        finally:
            writer.close()
            with contextlib.suppress(Exception):
                await writer.wait_closed()
            if task is not None:
                self._connections.pop(task, None)

    async def stop(self) -> None:
        """Closing each socket ends its connection's loop (and publish session) in order."""
        if self._server is not None:
            self._server.close()
        for writer in list(self._connections.values()):
            writer.close()
        if self._connections:
            _, late = await asyncio.wait(list(self._connections), timeout=15)
            for task in late:
                task.cancel()
        if self._server is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self._server.wait_closed(), 5)


class _Connection:
    """One TCP connection: the command exchange, then media into the publish session."""

    def __init__(
        self, listener: RtmpListener, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, address: str
    ) -> None:
        self.listener = listener
        self.writer = writer
        self.address = address
        self.rtmp = rtmp.FixedSessionManager(reader=reader, writer=writer)
        self.app: str | None = None
        self.session: PublishSession | None = None
        self.dropped_bytes = 0

    async def run(self) -> None:
        deadline = asyncio.get_running_loop().call_later(self.listener.publish_deadline, self._publish_too_late)
        try:
            await self.rtmp.handshake()
            async for chunk in self.rtmp.read_chunks_from_stream():
                if not await self._handle(chunk):
                    break
                if self.session is not None:
                    deadline.cancel()
        except rtmp.StreamClosedException:
            pass
        except (ConnectionError, asyncio.IncompleteReadError):
            pass
        except asyncio.CancelledError:
            if self.session is not None:
                await self.session.close("the server is shutting down")
            raise
        except Exception as exc:  # a malformed stream must not take the listener down
            log.warning("RTMP: closing %s after a protocol error: %r", self.address, exc)
        finally:
            deadline.cancel()
            if self.session is not None:
                await self.session.close("the encoder disconnected")
            elif self.dropped_bytes:
                log.info("RTMP: %s sent %d media bytes without an accepted publish", self.address, self.dropped_bytes)

    def _publish_too_late(self) -> None:
        if self.session is None:
            log.warning("RTMP: closing %s: no publish within %.0f s", self.address, self.listener.publish_deadline)
            self.writer.close()

    async def _handle(self, chunk: Any) -> bool:
        """False ends the connection."""
        kind = _MEDIA_TYPES.get(chunk.msg_type_id)
        if kind is not None:
            if self.session is None:
                self.dropped_bytes += len(chunk.payload)  # never reaches a transcoder
                return True
            payload = bytes(chunk.payload)
            if kind == TAG_SCRIPT:
                payload = _without_set_data_frame(payload)
            await self.session.feed(Tag(kind, int(chunk.timestamp) & 0xFFFFFFFF, payload))
            return not self.session.is_closing
        if chunk.msg_type_id in _UNSUPPORTED_TYPES:
            log.warning("RTMP: %s sent unsupported message type %#x", self.address, chunk.msg_type_id)
            return False
        try:
            message = rtmp.MessageFactory.from_chunk(chunk)
        except (NotImplementedError, AssertionError, ValueError):
            return True  # a command or control message the library cannot read: ignored
        if isinstance(message, rtmp.NCConnect):
            self.app = str(message.command_object.get("app") or "").strip("/")
            await self._on_connect(message)
        elif isinstance(message, rtmp.NCCreateStream):
            self.rtmp.write_chunk_to_stream(message.create_response())
            await self.rtmp.drain()
        elif isinstance(message, rtmp.NSPublish):
            return await self._on_publish(message)
        elif isinstance(message, rtmp.SetChunkSize):
            if not MIN_CHUNK_SIZE <= message.chunk_size <= MAX_CHUNK_SIZE:
                # tiny chunks cost an object each until their message completes: a cheap way to flood memory
                log.warning("RTMP: %s asked for chunk size %s; disconnected", self.address, message.chunk_size)
                return False
            self.rtmp.reader_chunk_size = message.chunk_size
        return True

    async def _on_connect(self, message: Any) -> None:
        session = self.rtmp
        session.write_chunk_to_stream(rtmp.WindowAcknowledgementSize(ack_window_size=5_000_000))
        session.write_chunk_to_stream(rtmp.SetPeerBandwidth(ack_window_size=5_000_000, limit_type=2))
        session.write_chunk_to_stream(rtmp.stream_begin(0))
        session.write_chunk_to_stream(rtmp.SetChunkSize(chunk_size=8192))
        session.writer_chunk_size = 8192
        session.write_chunk_to_stream(message.create_response())
        await session.drain()

    async def _on_publish(self, message: Any) -> bool:
        if self.session is not None:
            await self._refuse(message, "this connection already publishes")
            return False
        key = publish_name_key(str(message.publishing_name or ""))
        try:
            if self.app != APP_NAME:
                raise IngestRefused(f"unknown application {self.app!r}; publish to /{APP_NAME}/<stream key>", "bad_app")
            self.session = await self.listener._open_session(
                key, remote_addr=self.address, source="rtmp", disconnect=self.writer.close
            )
        except IngestRefused as refused:
            await self._refuse(message, refused.reason)
            return False
        # StreamBegin names the publishing stream but travels on stream 0; onStatus travels on the
        # publishing stream (the one createStream answered and publish arrived on).
        self.rtmp.write_chunk_to_stream(rtmp.stream_begin(message.msg_stream_id))
        self.rtmp.write_chunk_to_stream(message.create_response())
        await self.rtmp.drain()
        return True

    async def _refuse(self, message: Any, reason: str) -> None:
        with contextlib.suppress(Exception):
            self.rtmp.write_chunk_to_stream(
                rtmp.error_status(message.msg_stream_id, "NetStream.Publish.BadName", reason)
            )
            await self.rtmp.drain()


def _without_set_data_frame(payload: bytes) -> bytes:
    """`@setDataFrame` wraps the encoder's onMetaData in RTMP; in an FLV file the tag starts at onMetaData."""
    marker = b"\x02\x00\x0d@setDataFrame"
    return payload[len(marker) :] if payload.startswith(marker) else payload
