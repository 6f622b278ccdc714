"""pyrtmp 0.3.1, imported quietly and with its chunk-timestamp bug fixed.

- Importing `pyrtmp.rtmp` calls `logging.basicConfig(level=DEBUG)` and sets its loggers to DEBUG. We
  import it with a placeholder handler on the root logger (basicConfig then does nothing) and set
  pyrtmp's loggers to WARNING, so the server's logging stays as configured.
- `SessionManager.read_raw_chunk` gives a type-3 chunk that starts a new message the previous
  message's timestamp instead of previous + delta (RTMP spec 5.3.1.2). ffmpeg, librtmp and OBS send
  such chunks whenever size, type and delta repeat (typically AAC audio): audio timestamps fell 161 ms
  behind after 10 s in our research. It also never read the extended timestamp after type 1-3
  headers, and read the 3-byte chunk stream id big-endian. `FixedSessionManager` re-implements that one
  method per the spec, on the library's own data model; the handshake, AMF0 and the command layer stay
  the library's.
- `SessionManager.write_chunk_to_stream` compresses a message's header against the last chunk written on
  *any* chunk stream: NetStream.Publish.Start (chunk stream 3, message stream 1) went out with a type-1
  header right after StreamBegin (chunk stream 2), so a reader that follows the spec took its message
  stream from the previous chunk on chunk stream 3 (createStream's result, stream 0). GStreamer's
  rtmp2sink then waits forever for its publish answer. Every message we send now starts with a full
  type-0 header (a dozen control messages per connection: the few bytes saved are not worth it).
- `StreamBegin(stream_id)` puts the user control message on the message stream it announces; the spec
  (7.1.7) sends user control messages on message stream 0. `stream_begin` does.
"""

from __future__ import annotations

import logging
from typing import Any

_PYRTMP_LOGGERS = (
    "pyrtmp",
    "pyrtmp.rtmp",
    "pyrtmp.messages",
    "pyrtmp.messages.command",
    "pyrtmp.messages.data",
    "pyrtmp.messages.user_control",
)


def _import_quietly() -> None:
    root = logging.getLogger()
    placeholder = logging.NullHandler()
    root.addHandler(placeholder)  # logging.basicConfig is a no-op while the root logger has a handler
    try:
        import pyrtmp.rtmp  # noqa: F401
    finally:
        root.removeHandler(placeholder)
    # ERROR only: pyrtmp warns about releaseStream/FCPublish, harmless commands every encoder sends.
    for name in _PYRTMP_LOGGERS:
        logging.getLogger(name).setLevel(logging.ERROR)


_import_quietly()

from bitstring import BitStream  # noqa: E402
from pyrtmp import StreamClosedException  # noqa: E402
from pyrtmp.amf.serializers import AMF0Deserializer, AMF0Serializer  # noqa: E402
from pyrtmp.messages import Chunk, RawChunk  # noqa: E402
from pyrtmp.messages.audio import AudioMessage  # noqa: E402
from pyrtmp.messages.command import NCConnect, NCCreateStream, NSPublish  # noqa: E402
from pyrtmp.messages.data import MetaDataMessage  # noqa: E402
from pyrtmp.messages.factory import MessageFactory  # noqa: E402
from pyrtmp.messages.protocol_control import SetChunkSize, SetPeerBandwidth, WindowAcknowledgementSize  # noqa: E402
from pyrtmp.messages.user_control import StreamBegin  # noqa: E402
from pyrtmp.messages.video import VideoMessage  # noqa: E402
from pyrtmp.session_manager import SessionManager  # noqa: E402

__all__ = [
    "AudioMessage",
    "Chunk",
    "FixedSessionManager",
    "MessageFactory",
    "MetaDataMessage",
    "NCConnect",
    "NCCreateStream",
    "NSPublish",
    "SessionManager",
    "SetChunkSize",
    "SetPeerBandwidth",
    "StreamClosedException",
    "VideoMessage",
    "WindowAcknowledgementSize",
    "error_status",
    "read_script_data",
    "stream_begin",
]

EXTENDED_TIMESTAMP = 0xFFFFFF


class FixedSessionManager(SessionManager):  # type: ignore[misc]
    """pyrtmp's session with `read_raw_chunk` following the spec for timestamps and chunk stream ids."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._timestamp_field: dict[int, int] = {}  # chunk stream -> last timestamp/delta field
        self._delta: dict[int, int] = {}  # chunk stream -> last effective delta

    async def read_raw_chunk(self) -> RawChunk:
        stream = self.fifo_reader
        fmt = await stream.read("uint:2")
        cs_id = await stream.read("uint:6")
        if cs_id == 0:
            cs_id = await stream.read("uint:8") + 64
        elif cs_id == 1:
            cs_id = await stream.read("uintle:16") + 64
        previous = self.latest_chunks.get(str(cs_id))
        if fmt != 0 and previous is None:
            raise StreamClosedException(f"chunk type {fmt} on chunk stream {cs_id} without a previous chunk")
        if fmt == 0:
            field = await stream.read("uint:24")
            length = await stream.read("uint:24")
            type_id = await stream.read("uint:8")
            stream_id = await stream.read("uintle:32")
        elif fmt == 1:
            field = await stream.read("uint:24")
            length = await stream.read("uint:24")
            type_id = await stream.read("uint:8")
            stream_id = previous.msg_stream_id
        elif fmt == 2:
            field = await stream.read("uint:24")
            length, type_id, stream_id = previous.msg_length, previous.msg_type_id, previous.msg_stream_id
        else:
            field = self._timestamp_field.get(cs_id, 0)
            length, type_id, stream_id = previous.msg_length, previous.msg_type_id, previous.msg_stream_id
        extended = await stream.read("uint:32") if field == EXTENDED_TIMESTAMP else None
        value = extended if extended is not None else field
        continuing = fmt == 3 and previous is not None and not previous.is_eof
        if fmt == 0:
            timestamp = value
            self._delta[cs_id] = value  # a type 3 after a type 0 repeats it as the delta (5.3.1.2.4)
        elif fmt in (1, 2):
            timestamp = previous.timestamp + value
            self._delta[cs_id] = value
        elif continuing:
            timestamp = previous.timestamp
        else:  # type 3 starting a new message: the previous delta again
            timestamp = previous.timestamp + self._delta.get(cs_id, 0)
        self._timestamp_field[cs_id] = field
        sequence = previous.raw_chunk_number + 1 if continuing else 0
        already = self.reader_chunk_size * sequence
        size = min(self.reader_chunk_size, length - already)
        if size < 0:
            raise StreamClosedException("chunk past the end of its message")
        payload = await stream.read(f"bytes:{size}")
        chunk = RawChunk(
            chunk_type=fmt,
            chunk_id=cs_id,
            timestamp=timestamp,
            msg_length=length,
            msg_type_id=type_id,
            msg_stream_id=stream_id,
            payload=payload,
            raw_chunk_number=sequence,
            is_eof=length - already - size == 0,
        )
        self.set_latest_chunk(chunk)
        return chunk

    def write_chunk_to_stream(self, chunk: Chunk) -> None:
        """The library's writer with no header compression across messages: type 0, then type 3 chunks."""
        for raw in chunk.to_raw_chunks(self.writer_chunk_size, None):
            self.writer.write(raw.to_bytes())


def stream_begin(stream_id: int) -> Chunk:
    """User control StreamBegin for `stream_id`, sent on message stream 0 (RTMP spec 7.1.7)."""
    message: Chunk = StreamBegin(stream_id=stream_id)
    message.msg_stream_id = 0
    return message


def error_status(stream_id: int, code: str, description: str) -> Chunk:
    """An onStatus error (e.g. NetStream.Publish.BadName) that encoders show their user."""
    data = BitStream()
    AMF0Serializer.create_object(data, "onStatus")
    AMF0Serializer.create_object(data, 0)
    AMF0Serializer.create_object(data, None)
    AMF0Serializer.create_object(data, {"level": "error", "code": code, "description": description})
    payload = data.bytes
    return Chunk(
        chunk_type=0,
        chunk_id=3,
        timestamp=0,
        msg_length=len(payload),
        msg_type_id=0x14,
        msg_stream_id=stream_id,
        payload=payload,
    )


def read_script_data(payload: bytes) -> dict[str, Any]:
    """The properties of an FLV script tag (onMetaData), or {} when it is not one we can read."""
    try:
        data = BitStream(payload)
        name = AMF0Deserializer.from_stream(data)
        if name == "@setDataFrame":
            name = AMF0Deserializer.from_stream(data)
        values = AMF0Deserializer.from_stream(data)
    except Exception:  # the library asserts on what it cannot read; metadata is optional anyway
        return {}
    if isinstance(values, list):  # an ECMA array comes back as a list of one-key objects
        values = {key: value for item in values if isinstance(item, dict) for key, value in item.items()}
    return dict(values) if name == "onMetaData" and isinstance(values, dict) else {}
