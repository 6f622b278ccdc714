"""What the ingest reads itself: RTMP chunk timestamps (pyrtmp's bug, fixed), H.264 picture sizes, keys."""

from __future__ import annotations

import asyncio
import struct
import subprocess
from pathlib import Path

import pytest

from golive.live import keys
from golive.live.ingest import flv
from golive.live.ingest.pyrtmp_compat import FixedSessionManager
from golive.media.ffmpeg import find_tools
from golive.platform.tokens import TokenSigner


def _session(data: bytes) -> FixedSessionManager:
    reader = asyncio.StreamReader()
    reader.feed_data(data)
    reader.feed_eof()
    return FixedSessionManager(reader=reader, writer=None)


def _type0(csid: int, timestamp: int, payload: bytes, type_id: int = 8) -> bytes:
    extended = timestamp >= 0xFFFFFF
    header = bytes([csid]) + (0xFFFFFF if extended else timestamp).to_bytes(3, "big")
    header += len(payload).to_bytes(3, "big") + bytes([type_id]) + struct.pack("<I", 1)
    return header + (timestamp.to_bytes(4, "big") if extended else b"") + payload


async def test_a_type_3_chunk_that_starts_a_new_message_adds_the_previous_delta() -> None:
    audio = b"\xaf\x01\x00\x00"
    data = _type0(4, 0, audio)
    data += bytes([0x80 | 4]) + (23).to_bytes(3, "big") + audio  # type 2: delta 23
    data += bytes([0xC0 | 4]) + audio  # type 3, a new message: delta 23 again (pyrtmp kept 23)
    data += bytes([0xC0 | 4]) + audio
    session = _session(data)
    stamps = [(await session.read_raw_chunk()).timestamp for _ in range(4)]
    assert stamps == [0, 23, 46, 69]


async def test_extended_timestamps_are_read_after_every_header_type() -> None:
    audio = b"\xaf\x01\x00\x00"
    big = 0x01000000
    data = _type0(4, big, audio)
    data += bytes([0xC0 | 4]) + big.to_bytes(4, "big") + audio  # type 3 repeats the extended field
    session = _session(data)
    first = await session.read_raw_chunk()
    second = await session.read_raw_chunk()
    assert (first.timestamp, second.timestamp) == (big, 2 * big)
    assert second.payload == audio


@pytest.mark.parametrize("size", ["320x180", "854x480", "1920x1080"])
async def test_the_picture_size_is_read_from_the_avc_sequence_header(tmp_path: Path, size: str) -> None:
    path = tmp_path / "clip.flv"
    command = [find_tools().ffmpeg, "-v", "error", "-y", "-f", "lavfi", "-i", f"testsrc2=s={size}:d=0.1"]
    subprocess.run([*command, "-c:v", "libx264", "-pix_fmt", "yuv420p", str(path)], check=True)
    reader = asyncio.StreamReader()
    reader.feed_data(path.read_bytes())
    reader.feed_eof()
    async for tag in flv.iter_tags(reader):
        info = flv.video_tag_info(tag.payload)
        if tag.is_video and info is not None and info.is_sequence_header:
            config = flv.parse_avc_sequence_header(tag.payload)
            assert config is not None and config.codecs.startswith("avc1.64")
            assert f"{config.width}x{config.height}" == size
            return
    pytest.fail("no AVC sequence header")


def test_enhanced_rtmp_video_is_recognised_so_it_can_be_refused() -> None:
    hevc = bytes([0x80 | (1 << 4) | 0]) + b"hvc1"  # isExHeader, keyframe, PacketTypeSequenceStart
    info = flv.video_tag_info(hevc)
    assert info is not None and info.enhanced and not info.is_frame


def test_stream_keys_are_derived_not_stored_and_change_with_the_nonce() -> None:
    tokens = TokenSigner("a-secret-" + "x" * 40)
    nonce = keys.new_nonce()
    key = keys.derive_stream_key(tokens, "01ABC", nonce)
    assert key == keys.derive_stream_key(tokens, "01ABC", nonce) and keys.looks_like_key(key)
    assert key != keys.derive_stream_key(tokens, "01ABC", keys.new_nonce())
    assert key != keys.derive_stream_key(TokenSigner("another-secret-" + "y" * 40), "01ABC", nonce)
    assert keys.key_digest(key) != key and len(keys.key_digest(key)) == 64
    assert keys.publish_name_key(f"{key}?obs=1") == key
