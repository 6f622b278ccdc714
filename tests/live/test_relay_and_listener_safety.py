"""What an encoder controls cannot be turned against the platform: the relay's source, the log, the
listener's memory."""

from __future__ import annotations

import asyncio
import logging
import os
import time

import pytest

from golive.live.ingest.relay import reap_relay, tcurl_of_hook_caller
from tests.live.conftest import LiveSite

pytestmark = pytest.mark.timeout(60)


@pytest.mark.parametrize(
    ("tcurl", "caller", "relayed"),
    [
        ("rtmp://127.0.0.1:1935/live", "127.0.0.1", True),
        ("rtmp://localhost/live", "::1", True),  # both loopback: nginx on this machine
        ("rtmp://10.0.0.9:1935/live", "10.0.0.9", True),
        ("rtmp://10.0.0.5:1935/live", "127.0.0.1", False),  # the encoder points the relay at another host
        ("rtmp://internal.example:1935/live", "10.0.0.9", False),
        ("http://127.0.0.1/live", "127.0.0.1", False),
        ("", "127.0.0.1", False),
    ],
)
def test_the_relay_only_pulls_from_the_nginx_that_called_the_hook(tcurl: str, caller: str, relayed: bool) -> None:
    assert tcurl_of_hook_caller(tcurl, caller) == (tcurl if relayed else "")


async def test_what_the_relay_says_is_logged_without_the_stream_key(caplog: pytest.LogCaptureFixture) -> None:
    key = "glk_" + os.urandom(8).hex()
    process = await asyncio.create_subprocess_exec(
        "sh", "-c", f'echo "rtmp://127.0.0.1:1/live/{key}: Connection refused" >&2',
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    await process.wait()  # the relay's ffmpeg gave up (here: said its error and exited)
    with caplog.at_level(logging.INFO, logger="golive.live"):
        await reap_relay(process, "li-test", key)
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "Connection refused" in logged and "<stream key>" in logged and key not in logged


async def _handshake(port: int) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(b"\x03" + bytes(1536))  # C0 + C1
    await writer.drain()
    s1 = (await reader.readexactly(1 + 1536 + 1536))[1:1537]  # S0 S1 S2
    writer.write(s1)  # C2 echoes S1
    await writer.drain()
    return reader, writer


async def test_a_client_asking_for_tiny_chunks_is_disconnected_at_once(site: LiveSite) -> None:
    reader, writer = await _handshake(site.runtime.rtmp_port)
    # SetChunkSize(1) on chunk stream 2: type 0 header, length 4, message type 1, stream 0
    writer.write(bytes([0x02]) + bytes(3) + (4).to_bytes(3, "big") + bytes([0x01]) + bytes(4) + (1).to_bytes(4, "big"))
    await writer.drain()
    started = time.monotonic()
    rest = await asyncio.wait_for(reader.read(), 5)  # the server's answer so far, then the end of the stream
    assert reader.at_eof() and time.monotonic() - started < 3, rest  # not the 10 s "no publish" deadline
    writer.close()
