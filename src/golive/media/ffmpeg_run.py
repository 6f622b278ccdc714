"""Running one ffmpeg transcode: progress, a timeout, cancellation, and no orphan when its worker dies."""

from __future__ import annotations

import ctypes
import os
import signal
import subprocess
import sys
import threading
from collections.abc import Callable, Sequence
from pathlib import Path

from golive.media.ffmpeg import ProgressCallback, TranscodeFailed

PR_SET_PDEATHSIG = 1  # <linux/prctl.h>
OUTPUT_WATCH_SECONDS = 0.5
_prctl = ctypes.CDLL(None, use_errno=True).prctl if sys.platform == "linux" else None


def _die_with_parent(parent_pid: int) -> Callable[[], None] | None:
    """A preexec hook (Linux) that has the kernel SIGKILL ffmpeg when the thread that started it dies (it
    waits for ffmpeg, so only by dying): a SIGKILLed worker leaves no orphan writing into the folder its
    job's retry rebuilds. One system call, no lock, so it is safe in the child of a threaded process."""
    if _prctl is None:
        return None
    prctl = _prctl

    def hook() -> None:
        prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
        if os.getppid() != parent_pid:  # the parent died before the hook ran
            os.kill(os.getpid(), signal.SIGKILL)

    return hook


class _RisingProgress:
    """One rising percentage from two threads (ffmpeg's -progress lines and the output watcher)."""

    def __init__(self, report: ProgressCallback | None) -> None:
        self._report = report
        self._lock = threading.Lock()
        self._latest = -1.0

    def __call__(self, percent: float) -> None:
        with self._lock:
            if percent > self._latest:
                self._latest = percent
                if self._report is not None:
                    self._report(round(percent, 1))


def run_ffmpeg(
    args: Sequence[str],
    *,
    duration: float,
    on_progress: ProgressCallback | None = None,
    log_path: Path | None = None,
    timeout: float | None = None,
    output_progress: Callable[[], float] | None = None,
) -> None:
    """Run one ffmpeg command, reporting rising percent from `-progress pipe:1`, and from `output_progress`
    (polled; a percentage read from what ffmpeg wrote so far) for the stretches where -progress is silent.

    If `on_progress` raises (a cancelled job), ffmpeg is killed and the exception propagates.
    """
    argv = list(args)
    if "-progress" not in argv:
        argv[1:1] = ["-progress", "pipe:1", "-nostats", "-stats_period", "0.25"]
    log_file = log_path.open("w+b") if log_path else None
    process = subprocess.Popen(
        argv,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=log_file if log_file else subprocess.PIPE,
        text=False,
        preexec_fn=_die_with_parent(os.getpid()),  # safe with threads: see _die_with_parent
    )
    report = _RisingProgress(on_progress)
    stderr_chunks: list[bytes] = []
    drain: threading.Thread | None = None
    if log_file is None:
        # Without a log file, stderr must still be drained or ffmpeg blocks on a full pipe.
        assert process.stderr is not None
        stream = process.stderr
        drain = threading.Thread(target=lambda: stderr_chunks.append(stream.read()), daemon=True)
        drain.start()
    stop_watching = threading.Event()
    watch_failure: list[BaseException] = []

    def watch_output() -> None:
        assert output_progress is not None
        while not stop_watching.wait(OUTPUT_WATCH_SECONDS):
            try:
                report(min(99.9, output_progress()))
            except BaseException as exc:  # a cancelled job: stop ffmpeg; the caller's thread re-raises it
                watch_failure.append(exc)
                process.kill()
                return

    watcher = threading.Thread(target=watch_output, name="ffmpeg-output", daemon=True) if output_progress else None
    if watcher:
        watcher.start()
    timer = threading.Timer(timeout, process.kill) if timeout else None
    if timer:
        timer.start()
    total_us = max(duration, 0.001) * 1_000_000
    try:
        assert process.stdout is not None
        for raw in process.stdout:
            key, _, value = raw.decode(errors="replace").strip().partition("=")
            if key == "out_time_us" and value.isdigit():
                report(min(99.9, int(value) * 100 / total_us))
        returncode = process.wait()
    except BaseException:
        process.kill()
        process.wait()
        raise
    finally:
        stop_watching.set()
        if watcher:
            watcher.join()
        if timer:
            timer.cancel()
        if drain:
            drain.join(timeout=5)
        if log_file:
            log_file.close()
    if watch_failure:
        raise watch_failure[0]
    if returncode != 0:
        tail = (log_path.read_bytes() if log_path else b"".join(stderr_chunks))[-4000:]
        raise TranscodeFailed(f"ffmpeg exited with status {returncode}", tail.decode(errors="replace"))
    if on_progress:
        on_progress(100.0)
