"""The Huey instance: SQLite storage in the data dir (embedded), Redis when GOLIVE_REDIS_URL is set.

Tasks are declared at import time on one module-level instance; `configure_jobs` points its storage at
the settings in force, so the app, the CLI, the worker and the tests all agree on one queue.
"""

from __future__ import annotations

import asyncio
import signal
from collections.abc import Awaitable, Callable
from typing import TypeVar

from huey import Huey, SqliteHuey
from huey.consumer import Consumer
from huey.storage import RedisStorage, SqliteStorage

from golive.context import AppContext
from golive.settings import Settings, get_settings

T = TypeVar("T")

huey: Huey = SqliteHuey("golive", filename=":memory:")
_settings: Settings | None = None


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


def start_embedded_consumer(settings: Settings) -> Consumer:
    """Worker threads inside `golive serve`, so one process is a whole platform."""
    configure_jobs(settings)
    consumer = huey.create_consumer(workers=settings.worker_threads, worker_type="thread", periodic=True)
    # Consumer.start() takes over SIGTERM/SIGINT/SIGHUP for a loop that only `huey_consumer` runs;
    # give them back to the server so Ctrl-C and SIGTERM still stop it (it then stops the consumer).
    handled = (signal.SIGTERM, signal.SIGINT, signal.SIGHUP)
    previous = {signum: signal.getsignal(signum) for signum in handled}
    consumer.start()
    for signum, handler in previous.items():
        signal.signal(signum, handler)
    return consumer
