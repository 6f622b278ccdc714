"""Prototype: asyncio RTMP ingest using pyrtmp, key check before any media reaches ffmpeg.

Usage: python proto_server.py --port 19350 --key GOODKEY --out /tmp/live-research/out [--ladder]

- stream key = publish name (part after the app, "rtmp://host:port/live/KEY"); query string stripped
- key unknown/rotated/ended -> onStatus(NetStream.Publish.BadName, level=error) and the TCP
  connection is closed; no ffmpeg is ever spawned for it
- second publisher on a key that is already live -> same refusal ("already publishing")
- accepted -> ffmpeg is spawned and RTMP audio/video/metadata messages are re-wrapped as FLV tags
  (11-byte tag header + payload + PreviousTagSize) and written to ffmpeg's stdin with backpressure
"""
from __future__ import annotations

import argparse
import asyncio
import logging
import os
import struct
import time

from bitstring import BitStream

from pyrtmp import StreamClosedException
from pyrtmp.amf.serializers import AMF0Serializer
from pyrtmp.messages import Chunk
from pyrtmp.messages.command import NSPublish
from pyrtmp.rtmp import RTMPProtocol, SimpleRTMPController, SimpleRTMPServer
from pyrtmp.session_manager import SessionManager

import pyrtmp.rtmp as _pr
if not os.environ.get("INGEST_UNPATCHED"):
    from pyrtmp_fix import FixedSessionManager
    _pr.SessionManager = FixedSessionManager  # used by SimpleRTMPController.client_callback

# pyrtmp calls logging.basicConfig(DEBUG) at import time; quieten it
logging.getLogger().setLevel(logging.INFO)
for name in ("pyrtmp", "pyrtmp.rtmp", "pyrtmp.messages.command", "pyrtmp.messages.data"):
    logging.getLogger(name).setLevel(logging.ERROR)  # 'Unknown message releaseStream/FCPublish' noise
for name in ("pyrtmp", "pyrtmp.messages",
             "asyncio"):
    logging.getLogger(name).setLevel(logging.WARNING)
log = logging.getLogger("ingest")
log.setLevel(logging.INFO)

DUMP = bool(os.environ.get("INGEST_DUMP_FLV"))
FLV_HEADER = b"FLV\x01\x05\x00\x00\x00\x09" + b"\x00\x00\x00\x00"


def flv_tag(tag_type: int, ts: int, payload: bytes) -> bytes:
    n = len(payload)
    hdr = struct.pack(">B", tag_type) + n.to_bytes(3, "big") + (ts & 0xFFFFFF).to_bytes(3, "big") \
        + bytes([(ts >> 24) & 0xFF]) + b"\x00\x00\x00"
    return hdr + payload + struct.pack(">I", 11 + n)


def ffmpeg_cmd(outdir: str, ladder: bool) -> list[str]:
    if not ladder:
        return ["ffmpeg", "-hide_banner", "-loglevel", "warning", "-stats_period", "2", "-stats",
                "-f", "flv", "-i", "pipe:0", "-c", "copy",
                "-f", "hls", "-hls_time", "1", "-hls_list_size", "10",
                "-hls_flags", "delete_segments+independent_segments+program_date_time",
                "-hls_segment_filename", f"{outdir}/seg_%05d.ts", f"{outdir}/index.m3u8"]
    # passthrough top rung + 2 encoded rungs, one process (see ladder.sh for the standalone test)
    return ["ffmpeg", "-hide_banner", "-loglevel", "warning", "-stats_period", "2", "-stats",
            "-f", "flv", "-i", "pipe:0",
            "-filter_complex", "[0:v]split=2[a][b];[a]scale=-2:480[v1];[b]scale=-2:360[v2]",
            "-map", "0:v", "-map", "0:a", "-map", "[v1]", "-map", "0:a", "-map", "[v2]", "-map", "0:a",
            "-c:v:0", "copy",
            "-c:v:1", "libx264", "-b:v:1", "1400k", "-maxrate:v:1", "1500k", "-bufsize:v:1", "2000k",
            "-c:v:2", "libx264", "-b:v:2", "700k", "-maxrate:v:2", "750k", "-bufsize:v:2", "1000k",
            "-preset", "veryfast", "-tune", "zerolatency", "-threads", "1",
            "-force_key_frames:v:1", "source", "-force_key_frames:v:2", "source",
            "-sc_threshold", "0",
            "-c:a", "copy",
            "-f", "hls", "-hls_time", "1", "-hls_list_size", "10",
            "-hls_flags", "delete_segments+independent_segments+program_date_time",
            "-master_pl_name", "master.m3u8",
            "-var_stream_map", "v:0,a:0,name:src v:1,a:1,name:480p v:2,a:2,name:360p",
            "-hls_segment_filename", f"{outdir}/%v/seg_%05d.ts", f"{outdir}/%v/index.m3u8"]


class Registry:
    """What golive would back with the events table: key -> event, plus live publishers."""

    def __init__(self, valid_keys: set[str]):
        self.valid = valid_keys
        self.live: dict[str, SessionManager] = {}
        # key -> {"proc", "last_ts", "timer"}: transcoder kept alive after the publisher dropped
        self.lingering: dict[str, dict] = {}
        self.window = float(os.environ.get("RECONNECT_WINDOW", "10"))


class IngestController(SimpleRTMPController):
    def __init__(self, reg: Registry, outdir: str, ladder: bool):
        super().__init__()
        self.reg, self.outdir, self.ladder = reg, outdir, ladder

    async def on_nc_connect(self, session, message) -> None:
        session.state = {"app": message.command_object.get("app"), "t0": time.monotonic(),
                         "bytes_after_refusal": 0}
        log.info("connect peer=%s app=%r tcUrl=%r", session.peername, session.state["app"],
                 message.command_object.get("tcUrl"))
        await super().on_nc_connect(session, message)

    async def _refuse(self, session, message: NSPublish, code: str, why: str) -> None:
        log.warning("REFUSED publish peer=%s key=%r reason=%s", session.peername,
                    message.publishing_name, why)
        data = BitStream()
        AMF0Serializer.create_object(data, "onStatus")
        AMF0Serializer.create_object(data, 0)
        AMF0Serializer.create_object(data, None)
        AMF0Serializer.create_object(data, {"level": "error", "code": code, "description": why})
        session.write_chunk_to_stream(Chunk(chunk_type=0, chunk_id=3, timestamp=0,
                                            msg_length=len(data.bytes), msg_type_id=0x14,
                                            msg_stream_id=message.msg_stream_id, payload=data.bytes))
        await session.drain()
        session.state["refused"] = True
        session.writer.close()  # -> connection_lost -> reader EOF -> StreamClosedException

    async def on_ns_publish(self, session, message: NSPublish) -> None:
        key = (message.publishing_name or "").split("?", 1)[0]
        if session.state.get("app") != "live" or key not in self.reg.valid:
            return await self._refuse(session, message, "NetStream.Publish.BadName", "invalid stream key")
        if key in self.reg.live:
            return await self._refuse(session, message, "NetStream.Publish.BadName", "already publishing")
        self.reg.live[key] = session
        session.state["key"] = key
        linger = self.reg.lingering.pop(key, None)
        if linger is not None:  # reconnect within the window: same transcoder, rebased timestamps
            linger["timer"].cancel()
            proc = linger["proc"]
            session.state.update(proc=proc, bytes=0, tags=0, last_ts={8: -1, 9: -1}, nonmono=0,
                                 base_after=linger["last_ts"] + 33, base=None, out_last=linger["last_ts"],
                                 resumed=True)
            log.info("RESUMED publish peer=%s key=%r into ffmpeg pid=%d (ts continue after %d ms)",
                     session.peername, key, proc.pid, linger["last_ts"])
            return await super().on_ns_publish(session, message)
        outdir = os.path.join(self.outdir, key)
        os.makedirs(outdir, exist_ok=True)
        if self.ladder:
            for v in ("src", "480p", "360p"):
                os.makedirs(os.path.join(outdir, v), exist_ok=True)
        errlog = open(os.path.join(self.outdir, f"{key}.ffmpeg.log"), "ab")
        proc = await asyncio.create_subprocess_exec(*ffmpeg_cmd(outdir, self.ladder),
                                                    stdin=asyncio.subprocess.PIPE,
                                                    stdout=asyncio.subprocess.DEVNULL, stderr=errlog)
        session.state.update(proc=proc, bytes=0, tags=0, last_ts={8: -1, 9: -1}, nonmono=0,
                             base_after=0, base=None, out_last=0, resumed=False)
        log.info("ACCEPTED publish peer=%s key=%r -> ffmpeg pid=%d", session.peername, key, proc.pid)
        print(f"FFMPEG_PID {proc.pid}", flush=True)
        proc.stdin.write(FLV_HEADER)
        if DUMP:
            session.state["dump"] = open(os.path.join(self.outdir, f"{key}.dump.flv"), "wb")
            session.state["dump"].write(FLV_HEADER)
        await super().on_ns_publish(session, message)  # StreamBegin + NetStream.Publish.Start

    async def _tag(self, session, tag_type: int, ts: int, payload: bytes) -> None:
        st = session.state
        proc = st.get("proc") if isinstance(st, dict) else None
        if proc is None:
            # media without an accepted publish: dropped, never reaches a transcoder
            if isinstance(st, dict):
                st["bytes_after_refusal"] = st.get("bytes_after_refusal", 0) + len(payload)
            return
        if tag_type == 18 and st["resumed"]:
            return  # onMetaData of a resumed session: ffmpeg already has one
        if tag_type in (8, 9):
            if st["base"] is None:
                st["base"] = st["base_after"] - ts
            ts += st["base"]
            st["out_last"] = max(st["out_last"], ts)
            if ts < st["last_ts"][tag_type]:
                st["nonmono"] += 1
            st["last_ts"][tag_type] = ts
        buf = flv_tag(tag_type, ts, payload)
        st["bytes"] += len(buf)
        st["tags"] += 1
        proc.stdin.write(buf)
        if "dump" in st:
            st["dump"].write(buf)
        await proc.stdin.drain()  # backpressure: a stalled ffmpeg slows the RTMP reader

    async def on_metadata(self, session, message) -> None:
        await self._tag(session, 18, 0, message.to_raw_meta())

    async def on_video_message(self, session, message) -> None:
        await self._tag(session, 9, message.timestamp, message.payload)

    async def on_audio_message(self, session, message) -> None:
        await self._tag(session, 8, message.timestamp, message.payload)

    async def cleanup(self, session) -> None:
        st = session.state if isinstance(session.state, dict) else {}
        key = st.get("key")
        if key and self.reg.live.get(key) is session:
            del self.reg.live[key]
        proc = st.get("proc")
        if proc is not None:
            if proc.returncode is None and self.reg.window > 0 and key not in self.reg.lingering:
                async def expire():
                    await asyncio.sleep(self.reg.window)
                    self.reg.lingering.pop(key, None)
                    await self._finish(proc, key, "reconnect window expired")
                self.reg.lingering[key] = {"proc": proc, "last_ts": st["out_last"],
                                           "timer": asyncio.create_task(expire())}
                log.info("publisher gone key=%r tags=%d bytes=%d nonmonotonic_ts=%d; keeping ffmpeg %d for %.0fs",
                         key, st["tags"], st["bytes"], st["nonmono"], proc.pid, self.reg.window)
            else:
                await self._finish(proc, key, "no reconnect window")
        elif st:
            log.info("closed peer=%s refused=%s media_bytes_dropped=%d", session.peername,
                     st.get("refused", False), st.get("bytes_after_refusal", 0))


async def _finish(self, proc, key, why):
    try:
        proc.stdin.close()
    except Exception:
        pass
    rc = await proc.wait()
    log.info("event ingest finished key=%r (%s) ffmpeg_rc=%s", key, why, rc)

IngestController._finish = _finish


class Server(SimpleRTMPServer):
    def __init__(self, reg, outdir, ladder):
        super().__init__()
        self.reg, self.outdir, self.ladder = reg, outdir, ladder

    async def create(self, host: str, port: int) -> None:
        loop = asyncio.get_running_loop()
        self.server = await loop.create_server(
            lambda: RTMPProtocol(controller=IngestController(self.reg, self.outdir, self.ladder)),
            host=host, port=port)


async def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, default=19350)
    ap.add_argument("--key", action="append", default=[])
    ap.add_argument("--out", default="/tmp/live-research/out")
    ap.add_argument("--ladder", action="store_true")
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    srv = Server(Registry(set(a.key)), a.out, a.ladder)
    await srv.create("127.0.0.1", a.port)
    await srv.start()
    print(f"LISTENING {a.port} pid={os.getpid()}", flush=True)
    await srv.wait_closed()


if __name__ == "__main__":
    asyncio.run(main())
