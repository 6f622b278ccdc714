"""Live ingest end to end: a 720p30 encoder into `golive serve`'s RTMP listener; prints one JSON line.

(a) transcoder speed: the minimum `speed=` the live ffmpeg reported on `-progress` (>= 1.0 keeps up);
(b) glass to glass: for every segment, when it became fetchable through the viewer's signed playlist
    minus when the encoder sent its frames. The encoder's send clock comes from its own `-progress`
    (`out_time` = media time muxed onto the RTMP socket), so send(t) = T0 + t with T0 the smallest
    (wall - out_time) seen; a segment's media time is its first video PTS (ffprobe) against the first
    segment's. Reported for the segment's first frame (what a player waits for) and its last frame.
    The picture also carries the wall clock and the frame's time (drawtext), to check by eye.
(c) CPU: CPU seconds of the app process and of its ffmpeg child over the run, as a share of one core.

Usage: .venv/bin/python bench/live.py [--seconds 60] [--database sqlite|postgresql]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.live_server import LiveServer, free_port

from _harness import emit, server_on
from golive.identity.staff.models import AdminRole
from golive.identity.staff.service import create_admin
from golive.platform.context import AppContext
from golive.platform.settings import Settings

PASSWORD = "bench-password-123"
FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf"
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def children(pid: int, needle: bytes) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            cmdline = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        if parent == pid and needle in cmdline:
            found.append(int(entry.name))
    return found


async def owner_headers(server: LiveServer) -> dict[str, str]:
    settings = Settings(
        database_url=server.env["GOLIVE_DATABASE_URL"],
        data_dir=server.data_dir,
        secret_key=server.env["GOLIVE_SECRET_KEY"],
    )
    ctx = AppContext.from_settings(settings)
    try:
        async with ctx.db.sessionmaker() as session:
            await create_admin(session, email="bench@example.com", password=PASSWORD, name="B", role=AdminRole.OWNER)
    finally:
        await ctx.close()
    login = httpx.post(f"{server.base_url}/api/auth/login", json={"email": "bench@example.com", "password": PASSWORD})
    login.raise_for_status()
    return {"Authorization": f"Bearer {login.json()['token']}"}


class EncoderClock:
    """Reads the encoder's -progress: when media time t left the encoder, as wall-clock time.

    Each progress block pairs a wall time with `out_time` (media time written to the RTMP socket);
    wall - out_time is the encoder's offset, which grows if the encoder falls behind real time.
    send(t) uses the smallest offset seen within half a second of t (progress lines arrive late,
    never early), so encoder lag is not blamed on the ingest.
    """

    def __init__(self, process: subprocess.Popen[bytes]) -> None:
        self.samples: list[tuple[float, float]] = []  # (media seconds, wall - media)
        self._thread = threading.Thread(target=self._read, args=(process,), daemon=True)
        self._thread.start()

    def _read(self, process: subprocess.Popen[bytes]) -> None:
        assert process.stdout is not None
        for raw in process.stdout:
            key, _, value = raw.decode(errors="replace").strip().partition("=")
            if key == "out_time_us" and value.isdigit() and int(value) > 0:
                media = int(value) / 1_000_000
                self.samples.append((media, time.time() - media))

    @property
    def speed(self) -> float:
        """Media seconds the encoder sent per wall second: below 1.0 the encoder itself is late."""
        (first, first_offset), (last, last_offset) = self.samples[0], self.samples[-1]
        wall = (last + last_offset) - (first + first_offset)
        return round((last - first) / wall, 3) if wall > 0 else 0.0

    def send_time(self, media: float) -> float:
        near = [offset for at, offset in self.samples if abs(at - media) <= 0.5]
        if not near:
            near = [min(self.samples, key=lambda sample: abs(sample[0] - media))[1]]
        return media + min(near)


def start_encoder(url: str, seconds: int) -> subprocess.Popen[bytes]:
    video = "testsrc2=s=1280x720:r=30"
    if Path(FONT).exists():
        clock = "%{localtime\\:%H\\\\\\:%M\\\\\\:%S} t=%{pts\\:hms}"
        video += f",drawtext=fontfile={FONT}:text='{clock}':x=20:y=20:fontsize=40:fontcolor=white:box=1:boxcolor=black"
    command = ["ffmpeg", "-hide_banner", "-nostdin", "-loglevel", "error", "-re"]
    command += ["-f", "lavfi", "-i", video, "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000"]
    command += ["-t", str(seconds), "-c:v", "libx264", "-preset", "veryfast", "-tune", "zerolatency"]
    command += ["-g", "30", "-keyint_min", "30", "-b:v", "3500k", "-maxrate", "3500k", "-bufsize", "3500k"]
    command += ["-pix_fmt", "yuv420p", "-c:a", "aac", "-b:a", "128k"]
    command += ["-progress", "pipe:1", "-stats_period", "0.25", "-f", "flv", url]
    return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)


def first_video_pts(data: bytes, work: Path) -> float:
    path = work / "segment.ts"
    path.write_bytes(data)
    probe = subprocess.run(
        ["ffprobe", "-v", "error", "-select_streams", "v:0", "-read_intervals", "%+#1", "-show_entries",
         "packet=pts_time", "-of", "csv=p=0", str(path)],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    return float(probe.stdout.strip().splitlines()[0].strip(","))


def watch_variant(base: str, url: str, until: float, work: Path) -> list[dict[str, float]]:
    """Polls one signed media playlist like a player at the live edge; notes when each segment appears."""
    seen: dict[str, dict[str, float]] = {}
    with httpx.Client(base_url=base, timeout=10) as http:
        while time.time() < until:
            response = http.get(url)
            now = time.time()
            if response.status_code == 200:
                duration = 0.0
                for line in response.text.splitlines():
                    if line.startswith("#EXTINF:"):
                        duration = float(line[8:].split(",")[0])
                    elif line and not line.startswith("#") and line not in seen:
                        segment = http.get(httpx.URL(url).join(line).raw_path.decode())
                        if segment.status_code == 200:
                            pts = first_video_pts(segment.content, work)
                            seen[line] = {"fetchable": now, "pts": pts, "duration": duration}
            time.sleep(0.05)
    return sorted(seen.values(), key=lambda s: s["pts"])


def latencies(segments: list[dict[str, float]], clock: EncoderClock, media_zero: float) -> dict[str, float]:
    """Skip the first segments (the stream's start, not its steady state)."""
    steady = segments[3:]
    first = [s["fetchable"] - clock.send_time(s["pts"] - media_zero) for s in steady]
    last = [s["fetchable"] - clock.send_time(s["pts"] - media_zero + s["duration"]) for s in steady]
    return {
        "segments": len(steady),
        "first_frame_p50_s": round(statistics.median(first), 3),
        "first_frame_max_s": round(max(first), 3),
        "last_frame_p50_s": round(statistics.median(last), 3),
        "last_frame_max_s": round(max(last), 3),
    }


def progress_speeds(path: Path) -> list[float]:
    speeds = []
    for line in path.read_text().splitlines() if path.exists() else []:
        value = line.partition("=")[2].rstrip("x").strip()
        if line.startswith("speed=") and value not in ("", "N/A"):
            speeds.append(float(value))
    return speeds


def work_folder(base: str, event_id: str, headers: dict[str, str], data_dir: Path) -> Path:
    """The work folder of the event's live input (its progress log is there)."""
    preview = httpx.get(f"{base}/api/events/{event_id}/live-input", headers=headers).json()["previewUrl"] or ""
    folders = sorted((data_dir / "live").iterdir(), key=lambda p: p.stat().st_mtime)
    for folder in folders:
        if folder.name in preview:
            return folder
    return folders[-1]


def read_speeds(data_dir: Path, event_id: str, headers: dict[str, str], base: str) -> list[float]:
    return progress_speeds(work_folder(base, event_id, headers, data_dir) / "progress.log")


def unpaced_speed(base: str, headers: dict[str, str], rtmp_port: int, data_dir: Path, work: Path) -> float | None:
    clip = work / "clip.flv"
    subprocess.run(
        ["ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", "testsrc2=s=1280x720:r=30:d=20",
         "-f", "lavfi", "-i", "sine=sample_rate=48000:d=20", "-c:v", "libx264", "-preset", "veryfast",
         "-g", "30", "-b:v", "3500k", "-pix_fmt", "yuv420p", "-c:a", "aac", str(clip)],
        check=True,
    )  # fmt: skip
    event = httpx.post(f"{base}/api/events", json={"title": "Unpaced", "eventType": "live"}, headers=headers).json()
    httpx.post(f"{base}/api/events/{event['eventId']}/transitions", json={"to": "scheduled"}, headers=headers)
    key = httpx.get(f"{base}/api/events/{event['eventId']}/live-input", headers=headers).json()["streamKey"]
    before = set((data_dir / "live").iterdir())
    subprocess.run(
        [
            "ffmpeg",
            "-v",
            "error",
            "-i",
            str(clip),
            "-c",
            "copy",
            "-f",
            "flv",
            f"rtmp://127.0.0.1:{rtmp_port}/live/{key}",
        ],
        check=False,
        timeout=120,
    )
    time.sleep(3)  # the transcoder finishes what was sent
    folders = set((data_dir / "live").iterdir()) - before
    speeds = progress_speeds(next(iter(folders)) / "progress.log") if folders else []
    return speeds[-1] if speeds else None


def run(seconds: int, database: str) -> dict[str, Any]:
    rtmp_port = free_port()
    env = {"GOLIVE_RTMP_PORT": str(rtmp_port), "GOLIVE_LIVE_HEALTH_SECONDS": "1"}
    with server_on(database, **env) as server, tempfile.TemporaryDirectory(prefix="bench-live-") as tmp:
        work = Path(tmp)
        headers = asyncio.run(owner_headers(server))
        base = server.base_url
        event = httpx.post(f"{base}/api/events", json={"title": "Bench", "eventType": "live"}, headers=headers).json()
        event_id = event["eventId"]
        httpx.post(f"{base}/api/events/{event_id}/transitions", json={"to": "scheduled"}, headers=headers)
        key = httpx.get(f"{base}/api/events/{event_id}/live-input", headers=headers).json()["streamKey"]

        encoder = start_encoder(f"rtmp://127.0.0.1:{rtmp_port}/live/{key}", seconds)
        clock = EncoderClock(encoder)
        started = time.time()
        while httpx.get(f"{base}/api/events/{event_id}").json()["status"] != "live":
            if time.time() - started > 30:
                raise SystemExit("the event did not go live")
            time.sleep(0.1)
        went_live_s = time.time() - started
        viewer = httpx.post(f"{base}/api/registrations", json={"eventId": event_id, "clientViewerId": "cv-bench"})
        token = viewer.json()["token"]
        playback = httpx.get(f"{base}/api/events/{event_id}/playback", headers={"Authorization": f"Bearer {token}"})
        master_url = playback.json()["playbackUrl"]
        master = httpx.get(f"{base}{master_url}").text
        variants = [line for line in master.splitlines() if line and not line.startswith("#")]
        urls = {v.split("/")[0]: httpx.URL(f"{base}{master_url}").join(v).raw_path.decode() for v in variants}

        server_pid = server.process.pid
        transcoders = children(server_pid, b"pipe:0")
        cpu_start = {"app": cpu_seconds(server_pid), "ffmpeg": sum(cpu_seconds(p) for p in transcoders)}
        wall_start = time.monotonic()
        until = started + seconds + 1
        results: dict[str, list[dict[str, float]]] = {}
        threads = []
        for name, url in urls.items():
            folder = work / name
            folder.mkdir()

            def watch(name: str = name, url: str = url, folder: Path = folder) -> None:
                results[name] = watch_variant(base, url, until, folder)

            threads.append(threading.Thread(target=watch))
            threads[-1].start()
        time.sleep(max(0.0, until - time.time() - 3))
        cpu_end = {"app": cpu_seconds(server_pid), "ffmpeg": sum(cpu_seconds(p) for p in transcoders)}
        wall = time.monotonic() - wall_start
        for thread in threads:
            thread.join()
        encoder.wait(timeout=30)

        speeds = read_speeds(server.data_dir, event_id, headers, base)
        unpaced = unpaced_speed(base, headers, rtmp_port, server.data_dir, work)
        media_zero = min(s["pts"] for segs in results.values() for s in segs[:1])
        renditions = {name: latencies(segs, clock, media_zero) for name, segs in results.items()}
        return {
            "bench": "live",
            "database": database,
            "source": "1280x720p30 H.264 3.5 Mbit/s + AAC, 1 s GOP, over RTMP",
            "seconds": seconds,
            "renditions": sorted(urls),
            "went_live_after_s": round(went_live_s, 2),
            "transcoder_speed_min": min(speeds) if speeds else None,
            "transcoder_speed_min_after_5s": min(speeds[5:]) if len(speeds) > 5 else None,
            "transcoder_speed_median": statistics.median(speeds) if speeds else None,
            # ffmpeg's speed cannot exceed the rate media arrives at: compare with the encoder's own
            "encoder_speed": clock.speed,
            # the same ladder fed a pre-encoded 720p30 clip as fast as RTMP delivers it: its capacity
            "transcoder_speed_unpaced": unpaced,
            "glass_to_glass": renditions,
            "cpu_share_of_one_core": {
                "app_process": round((cpu_end["app"] - cpu_start["app"]) / wall, 3),
                "ffmpeg_transcoder": round((cpu_end["ffmpeg"] - cpu_start["ffmpeg"]) / wall, 3),
                "window_s": round(wall, 1),
            },
            "cpus": os.cpu_count(),
            "load_average_1m": round(os.getloadavg()[0], 2),
        }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--database", choices=["sqlite", "postgresql"], default="sqlite")
    args = parser.parse_args()
    if shutil.which("ffprobe") is None:
        raise SystemExit("bench/live.py needs ffprobe (Debian's ffmpeg)")
    emit(run(args.seconds, args.database))


if __name__ == "__main__":
    main()
