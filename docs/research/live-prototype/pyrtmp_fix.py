"""Fix for pyrtmp 0.3.1 chunk-header timestamps (found by this research):

pyrtmp's read_raw_chunk() gives a fmt-3 (0-byte header) chunk that STARTS A NEW MESSAGE the
previous message's timestamp instead of previous timestamp + delta. ffmpeg/librtmp/OBS send fmt-3
for a new message whenever size, type and delta repeat (common for AAC audio), so audio
timestamps fall behind (measured: -161 ms after 10 s). It also never reads the 4-byte extended
timestamp that follows fmt-1/2/3 headers when the delta/timestamp field is 0xFFFFFF.

This subclass re-implements read_raw_chunk per the RTMP spec section 5.3.1.2 (same data model)."""
from __future__ import annotations

from pyrtmp.messages import RawChunk
from pyrtmp.session_manager import SessionManager


class FixedSessionManager(SessionManager):
    def __init__(self, *a, **kw):
        super().__init__(*a, **kw)
        self._ts_field: dict[int, int] = {}  # csid -> last timestamp/delta field (0xFFFFFF = extended)
        self._delta: dict[int, int] = {}     # csid -> last effective delta

    async def read_raw_chunk(self) -> RawChunk:
        stream = self.fifo_reader
        fmt = await stream.read("uint:2")
        cs_id = await stream.read("uint:6")
        if cs_id == 0:
            cs_id = await stream.read("uint:8") + 64
        elif cs_id == 1:
            cs_id = await stream.read("uintle:16") + 64  # spec: little-endian (pyrtmp reads BE)
        prev = self.latest_chunks.get(str(cs_id))
        if fmt == 0:
            ts_field = await stream.read("uint:24")
            msg_length = await stream.read("uint:24")
            msg_type_id = await stream.read("uint:8")
            msg_stream_id = await stream.read("uintle:32")
        elif fmt == 1:
            ts_field = await stream.read("uint:24")
            msg_length = await stream.read("uint:24")
            msg_type_id = await stream.read("uint:8")
            msg_stream_id = prev.msg_stream_id
        elif fmt == 2:
            ts_field = await stream.read("uint:24")
            msg_length, msg_type_id, msg_stream_id = prev.msg_length, prev.msg_type_id, prev.msg_stream_id
        else:
            ts_field = self._ts_field.get(cs_id, 0)
            msg_length, msg_type_id, msg_stream_id = prev.msg_length, prev.msg_type_id, prev.msg_stream_id
        ext = await stream.read("uint:32") if ts_field == 0xFFFFFF else None
        value = ext if ext is not None else ts_field
        continuing = fmt == 3 and prev is not None and not prev.is_eof
        if fmt == 0:
            timestamp = value
            self._delta[cs_id] = value  # spec 5.3.1.2.4: type 3 after type 0 repeats it as delta
        elif fmt in (1, 2):
            timestamp = prev.timestamp + value
            self._delta[cs_id] = value
        elif continuing:
            timestamp = prev.timestamp
        else:  # fmt 3 starting a new message: repeat the previous delta
            timestamp = prev.timestamp + self._delta.get(cs_id, 0)
        self._ts_field[cs_id] = ts_field
        sequence = prev.raw_chunk_number + 1 if continuing else 0
        total_read = self.reader_chunk_size * sequence  # assumes chunk size constant within a message
        bytes_length = min(self.reader_chunk_size, msg_length - total_read)
        payload = await stream.read(f"bytes:{bytes_length}")
        chunk = RawChunk(chunk_type=fmt, chunk_id=cs_id, timestamp=timestamp, msg_length=msg_length,
                         msg_type_id=msg_type_id, msg_stream_id=msg_stream_id, payload=payload,
                         raw_chunk_number=sequence,
                         is_eof=(msg_length - total_read - bytes_length) == 0)
        self.set_latest_chunk(chunk)
        return chunk
