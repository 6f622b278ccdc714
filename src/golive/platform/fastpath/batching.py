"""Coalescing writes: the calls that arrive while a write is in flight share the next one."""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Awaitable, Callable
from typing import Generic, TypeVar

In = TypeVar("In")
Out = TypeVar("Out")


class Coalescer(Generic[In, Out]):
    """Hands the items submitted while earlier batches are in flight to `flush` together.

    Alone, a call is flushed at once, in a batch of one. Under a crowd each flush carries what piled up in the
    meantime, so a thousand admissions a second cost tens of statements and commits, not a thousand. At most
    `concurrency` flushes run at a time (each may hold a database connection), each with at most `max_batch`
    items. `flush` returns one result per item, in order; if it raises, every caller in that batch gets the
    error, as each would have on its own.
    """

    def __init__(self, flush: Callable[[list[In]], Awaitable[list[Out]]], *, concurrency: int, max_batch: int) -> None:
        self._flush = flush
        self._concurrency = concurrency
        self._max_batch = max_batch
        self._pending: deque[tuple[In, asyncio.Future[Out]]] = deque()
        self._flushers: set[asyncio.Task[None]] = set()
        self._draining = 0  # flushers still inside _drain (a finished task leaves the set only a loop turn later)

    async def submit(self, item: In) -> Out:
        future: asyncio.Future[Out] = asyncio.get_running_loop().create_future()
        self._pending.append((item, future))
        if self._draining < self._concurrency:
            self._draining += 1
            flusher = asyncio.create_task(self._drain())
            self._flushers.add(flusher)  # the loop keeps only a weak reference to tasks
            flusher.add_done_callback(self._flushers.discard)
        return await future

    async def _drain(self) -> None:
        try:
            await self._drain_pending()
        finally:
            self._draining -= 1  # with no await since the queue was last seen empty: no call is stranded

    async def _drain_pending(self) -> None:
        while self._pending:
            batch = [self._pending.popleft() for _ in range(min(self._max_batch, len(self._pending)))]
            try:
                results = await self._flush([item for item, _ in batch])
                if len(results) != len(batch):
                    raise RuntimeError(f"flush gave {len(results)} results for {len(batch)} items")
            except Exception as exc:
                _fail(batch, exc)
                continue
            except BaseException as exc:  # cancelled (a shutdown): nothing is left to flush the rest
                _fail([*batch, *self._pending], exc)
                self._pending.clear()
                raise
            for (_, future), result in zip(batch, results, strict=True):
                if not future.done():  # a caller that gave up has cancelled its future
                    future.set_result(result)


def _fail(calls: list[tuple[In, asyncio.Future[Out]]], exc: BaseException) -> None:
    for _, future in calls:
        if not future.done():
            future.set_exception(exc)
