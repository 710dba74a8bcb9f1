"""The reminder sweep as a background task of the aiohttp application.

Why a plain asyncio task and not APScheduler: there is exactly one job (sweep every `interval`
seconds), the reminder store is the source of truth rather than a scheduler's job store, and the
sweep is already idempotent and restart-safe, so all a scheduler would add is "run this coroutine
periodically, never twice at once, survive its exceptions, stop on shutdown", which is the twenty
lines below. APScheduler is not a dependency of this project (nor installed), and its 3.x
`AsyncIOScheduler` runs a non-async callable in a thread pool, a trap for a coroutine job.

Use it through the app's `cleanup_ctx` (the task starts with the app and is stopped and awaited
when the app shuts down, before the store is closed by `on_cleanup`):

    app.cleanup_ctx.append(reminder_sweeps(sweeper, interval=settings.reminder_interval))
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import datetime
from typing import Any, Protocol

from engagement.clock import Clock, SystemClock

logger = logging.getLogger(__name__)

DEFAULT_INTERVAL = 60.0
STOP_GRACE_SECONDS = 10.0


class Sweeper(Protocol):
    """Anything with an async `sweep(now)`."""

    async def sweep(self, now: datetime) -> Any: ...


class SweepLoop:
    """Runs `sweeper.sweep(clock.now())` every `interval` seconds until stopped.

    Sweeps never overlap: the next one starts `interval` seconds after the previous one started,
    or at once if it took longer. An exception is logged and the loop goes on. `stop()` lets a
    running sweep finish (up to `grace` seconds, then cancels it: every send is recorded before
    and after, so a cancelled sweep loses nothing) and returns when the task has ended.

    Args:
        sweeper: What to run.
        interval: Seconds between the starts of two sweeps (an operator may set 1).
        clock: Where `now` comes from.
        grace: Seconds a running sweep may take to finish when stopping.
        before_first: An optional coroutine function run once before the first sweep (e.g.
            building the index from existing customers); its failure is logged, not fatal.
    """

    def __init__(
        self,
        sweeper: Sweeper,
        *,
        interval: float = DEFAULT_INTERVAL,
        clock: Clock | None = None,
        grace: float = STOP_GRACE_SECONDS,
        before_first: Callable[[], Any] | None = None,
    ) -> None:
        if interval < 0:
            raise ValueError("interval must not be negative")
        self._sweeper = sweeper
        self._interval = interval
        self._clock = clock or SystemClock()
        self._grace = grace
        self._before_first = before_first
        self._stopping = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self.sweeps = 0
        self.failures = 0

    def start(self) -> None:
        """Start the background task (once)."""
        if self._task is None:
            self._task = asyncio.create_task(self._run(), name="reminder-sweeps")

    async def stop(self) -> None:
        """Stop after the running sweep (or cancel it after `grace` seconds); wait for the end."""
        self._stopping.set()
        task = self._task
        if task is None:
            return
        try:
            await asyncio.wait_for(asyncio.shield(task), self._grace)
        except TimeoutError:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
            logger.warning("reminder sweep cancelled at shutdown; it resumes on the next start")

    async def _run(self) -> None:
        loop = asyncio.get_running_loop()
        if self._before_first is not None:
            try:
                await self._before_first()
            except Exception:
                logger.exception("preparing the reminder sweeps failed; sweeping anyway")
        while not self._stopping.is_set():
            started = loop.time()
            try:
                await self._sweeper.sweep(self._clock.now())
            except Exception:  # a failed sweep is logged; the next one runs as planned
                self.failures += 1
                logger.exception("reminder sweep failed")
            self.sweeps += 1
            remaining = self._interval - (loop.time() - started)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stopping.wait(), max(0.0, remaining))


def reminder_sweeps(
    sweeper: Sweeper,
    *,
    interval: float = DEFAULT_INTERVAL,
    clock: Clock | None = None,
    before_first: Callable[[], Any] | None = None,
    drain: Callable[[float], Awaitable[None]] | None = None,
) -> Callable[[Any], AsyncIterator[None]]:
    """A `cleanup_ctx` entry for an aiohttp app: sweeps run while the app runs.

    Args:
        sweeper: The ReminderSweeper.
        interval: Seconds between sweeps.
        clock: Where `now` comes from (the app's clock).
        before_first: Run once before the first sweep (e.g. `store.reminders.build_index`).
        drain: Run at shutdown after the last sweep with the grace in seconds (e.g. the
            sweeper's `drain`, for deliveries still queued or in flight).
    """

    async def context(_: Any) -> AsyncIterator[None]:
        loop = SweepLoop(sweeper, interval=interval, clock=clock, before_first=before_first)
        loop.start()
        logger.info("reminder sweeps every %g s", interval)
        try:
            yield
        finally:
            await loop.stop()
            if drain is not None:
                await drain(STOP_GRACE_SECONDS)

    return context
