"""Coalescer: concurrent calls share flushes, each gets its own result or the batch's error, none is stranded."""

from __future__ import annotations

import asyncio

import pytest

from golive.platform.fastpath.batching import Coalescer


async def test_a_crowd_shares_few_flushes_and_each_caller_gets_its_own_result() -> None:
    batches: list[list[int]] = []

    async def flush(items: list[int]) -> list[int]:
        batches.append(items)
        await asyncio.sleep(0.01)
        return [item * 10 for item in items]

    coalescer = Coalescer(flush, concurrency=2, max_batch=50)
    results = await asyncio.gather(*(coalescer.submit(n) for n in range(200)))

    assert results == [n * 10 for n in range(200)]
    assert len(batches) <= 8 and max(len(b) for b in batches) <= 50


async def test_every_caller_in_a_failed_batch_gets_the_error_and_later_calls_still_work() -> None:
    async def flush(items: list[int]) -> list[int]:
        await asyncio.sleep(0)
        if 13 in items:
            raise RuntimeError("bad batch")
        return items

    coalescer = Coalescer(flush, concurrency=1, max_batch=100)
    outcomes = await asyncio.gather(*(coalescer.submit(n) for n in range(20)), return_exceptions=True)
    assert any(isinstance(o, RuntimeError) for o in outcomes)
    assert await coalescer.submit(99) == 99


async def test_a_call_made_as_the_last_flusher_finishes_is_not_stranded() -> None:
    async def flush(items: list[int]) -> list[int]:
        return items

    coalescer = Coalescer(flush, concurrency=1, max_batch=10)
    for n in range(300):  # each call lands while the previous flusher task is ending
        assert await asyncio.wait_for(coalescer.submit(n), 2) == n


async def test_a_short_result_list_fails_the_batch_instead_of_hanging() -> None:
    async def flush(items: list[int]) -> list[int]:
        return items[:-1]

    coalescer = Coalescer(flush, concurrency=1, max_batch=10)
    with pytest.raises(RuntimeError, match="results"):
        await asyncio.wait_for(coalescer.submit(1), 2)
