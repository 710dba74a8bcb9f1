"""Long loops that share the event loop: hand it back to other turns every few milliseconds.

A turn must not hold the event loop for more than a few milliseconds (another conversation's
turn waits meanwhile). Work that grows with the book (an import, an export, a portfolio over
every summary) iterates through `sliced`, which yields control whenever SLICE_SECONDS of work
has passed since the last yield. Pure: the standard library only.
"""

from __future__ import annotations

import asyncio
import heapq
import time
from collections.abc import AsyncIterator, Generator, Iterable, Iterator
from typing import TypeVar

SLICE_SECONDS = 0.004  # work between two yields to the event loop

T = TypeVar("T")


async def sliced(items: Iterable[T]) -> AsyncIterator[T]:
    """Yield the items, handing the event loop back every SLICE_SECONDS."""
    started = time.perf_counter()
    for item in items:
        yield item
        if time.perf_counter() - started > SLICE_SECONDS:
            await asyncio.sleep(0)
            started = time.perf_counter()


async def sorted_in_slices(items: list[T], run: int = 2_000) -> Iterator[T]:
    """The items in order: sorted `run` at a time, yielding in between, then merged lazily as
    they are taken (sorting 100,000 at once held the event loop for a tenth of a second)."""
    runs: list[list[T]] = []
    for start in range(0, len(items), run):
        runs.append(sorted(items[start : start + run]))  # type: ignore[type-var]
        await asyncio.sleep(0)
    return heapq.merge(*runs)  # type: ignore[type-var]


def finish(steps: Generator[None, None, T]) -> T:
    """Run work written as steps (a generator that yields between pieces) to its result."""
    while True:
        try:
            next(steps)
        except StopIteration as done:
            return done.value  # type: ignore[no-any-return]


async def finish_in_slices(steps: Generator[None, None, T]) -> T:
    """`finish`, handing the event loop back every SLICE_SECONDS."""
    started = time.perf_counter()
    while True:
        try:
            next(steps)
        except StopIteration as done:
            return done.value  # type: ignore[no-any-return]
        if time.perf_counter() - started > SLICE_SECONDS:
            await asyncio.sleep(0)
            started = time.perf_counter()
