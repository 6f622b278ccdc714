"""The Huey instance: SQLite storage in the data dir (embedded), Redis when GOLIVE_REDIS_URL is set.

Tasks are declared at import time on one module-level instance; `configure_jobs` points its storage at
the settings in force, so the app, the CLI, the worker and the tests all agree on one queue.
"""

from __future__ import annotations

import asyncio
import logging
import signal
import threading
from collections.abc import Awaitable, Callable
from typing import TypeVar

from huey import Huey, SqliteHuey
from huey.consumer import Consumer
from huey.storage import RedisStorage, SqliteStorage

from golive.platform.context import AppContext
from golive.platform.settings import Settings, get_settings

T = TypeVar("T")
log = logging.getLogger("golive.platform.jobs")

huey: Huey = SqliteHuey("golive", filename=":memory:")
_settings: Settings | None = None
# Checks every worker process runs more often than Huey's periodic tasks can (those run at most once a minute)
_frequent_checks: list[tuple[Callable[[Settings], float], Callable[[], None]]] = []


def configure_jobs(settings: Settings) -> Huey:
    global _settings
    _settings = settings
    if settings.redis_url:
        huey.storage = RedisStorage("golive", url=settings.redis_url)
    else:
        settings.ensure_data_dir()
        huey.storage = SqliteStorage("golive", filename=str(settings.data_dir / "jobs.db"))
    return huey


def job_settings() -> Settings:
    if _settings is None:
        configure_jobs(get_settings())
    assert _settings is not None
    return _settings


def run_job(work: Callable[[AppContext], Awaitable[T]]) -> T:
    """Runs one task's async work with its own context (engines are bound to one event loop)."""

    async def runner() -> T:
        ctx = AppContext.from_settings(job_settings())
        try:
            return await work(ctx)
        finally:
            await ctx.close()

    return asyncio.run(runner())


def frequent_check(interval: Callable[[Settings], float]) -> Callable[[Callable[[], None]], Callable[[], None]]:
    """Registers a check that every worker process runs every `interval(settings)` seconds, in its own thread."""

    def register(check: Callable[[], None]) -> Callable[[], None]:
        _frequent_checks.append((interval, check))
        return check

    return register


def start_frequent_checks(settings: Settings) -> threading.Event:
    """Starts the registered checks; setting the returned event stops them."""
    stop = threading.Event()

    def loop(every: float, check: Callable[[], None]) -> None:
        while not stop.wait(every):
            try:
                check()
            except Exception:  # a database or queue outage: the next round tries again
                log.exception("the check %s failed; retrying in %.0f s", check.__name__, every)

    for interval, check in _frequent_checks:
        thread = threading.Thread(target=loop, args=(interval(settings), check), name=check.__name__, daemon=True)
        thread.start()
    return stop


def run_worker(settings: Settings, threads: int) -> None:
    """`golive worker`: Huey's consumer in the foreground, with the frequent checks beside it."""
    configure_jobs(settings)
    stop = start_frequent_checks(settings)
    try:
        huey.create_consumer(workers=threads, worker_type="thread", periodic=True).run()
    finally:
        stop.set()


def start_embedded_consumer(settings: Settings) -> tuple[Consumer, threading.Event]:
    """Worker threads inside `golive serve`, so one process is a whole platform; set the event to stop the checks."""
    configure_jobs(settings)
    consumer = huey.create_consumer(workers=settings.worker_threads, worker_type="thread", periodic=True)
    # Consumer.start() takes over SIGTERM/SIGINT/SIGHUP for a loop that only `huey_consumer` runs;
    # give them back to the server so Ctrl-C and SIGTERM still stop it (it then stops the consumer).
    handled = (signal.SIGTERM, signal.SIGINT, signal.SIGHUP)
    previous = {signum: signal.getsignal(signum) for signum in handled}
    consumer.start()
    for signum, handler in previous.items():
        signal.signal(signum, handler)
    return consumer, start_frequent_checks(settings)
