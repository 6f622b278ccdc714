"""The nginx-rtmp relay: ffmpeg pulling an accepted stream from nginx as FLV into a publish session."""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import logging
from urllib.parse import urlsplit

import httpx

from golive.live.ingest.flv import iter_tags
from golive.live.session import PublishSession
from golive.media.ffmpeg import find_tools

log = logging.getLogger("golive.live")


async def pull(session: PublishSession, base: str, key: str, holder: list[asyncio.subprocess.Process]) -> str:
    """Feeds the session until the stream or the session ends; why it ended. The process goes into `holder`
    so the session's disconnect can kill it."""
    argv = [find_tools().ffmpeg, "-hide_banner", "-nostdin", "-loglevel", "error", "-rw_timeout", "15000000"]
    argv += ["-i", f"{base}/{key}", "-map", "0:v?", "-map", "0:a?", "-c", "copy", "-f", "flv", "pipe:1"]
    reason = "the relay from nginx-rtmp ended"
    process: asyncio.subprocess.Process | None = None
    try:
        process = await asyncio.create_subprocess_exec(
            *argv, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE, start_new_session=True
        )
        holder.append(process)
        assert process.stdout is not None
        async for tag in iter_tags(process.stdout):
            await session.feed(tag)
            if session.is_closing:
                break
    except asyncio.CancelledError:
        reason = "the relay was stopped"
    except Exception as exc:
        reason = f"the relay failed: {exc}"
    finally:
        if process is not None:
            await reap_relay(process, session.live_input_id, key)
    return reason


async def drop_at_nginx(control_url: str, app: str, key: str) -> None:
    """Disconnects the encoder from nginx too (rtmp_control), or it would keep sending into nothing."""
    url = f"{control_url.rstrip('/')}/drop/publisher"
    try:
        async with httpx.AsyncClient(timeout=5) as client:
            await client.get(url, params={"app": app, "name": key})
    except httpx.HTTPError as exc:
        log.warning("could not drop the encoder at nginx-rtmp (%s): %s", url, exc)


def tcurl_of_hook_caller(tcurl: str, hook_address: str) -> str:
    """Without GOLIVE_INGEST_RELAY_URL, the address the encoder published to, but only if it names the
    nginx that called the hook: `tcUrl` comes from the encoder, and must not point the relay elsewhere."""
    parts = urlsplit(tcurl)
    if parts.scheme != "rtmp" or parts.hostname is None:
        return ""
    if parts.hostname != hook_address and not (_is_loopback(parts.hostname) and _is_loopback(hook_address)):
        log.warning(
            "nginx-rtmp hook: tcUrl host %s is not the hook caller %s; set GOLIVE_INGEST_RELAY_URL",
            parts.hostname,
            hook_address,
        )
        return ""
    return tcurl


def _is_loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"


async def reap_relay(process: asyncio.subprocess.Process, live_input_id: str, key: str) -> None:
    """Stops the relay's ffmpeg and logs what it said, with the stream key blanked out."""
    if process.returncode is None:
        with contextlib.suppress(ProcessLookupError):
            process.kill()
    with contextlib.suppress(Exception):
        await process.wait()
    if process.stderr is not None:
        with contextlib.suppress(Exception):
            errors = (await process.stderr.read())[-500:].decode(errors="replace").strip()
            if errors:
                log.info("relay %s: %s", live_input_id, errors.replace(key, "<stream key>"))
