"""Where a durable file write runs without a sync worker: inline on the event loop, or in a
worker thread.

The app's store hands its bot-state and delivery-record writes to a sync worker process
(store/sync_worker_client.py): the loop writes the temporary file, the process fsyncs and
renames, so neither a fast nor a slow disk holds the loop. This module places those writes when
there is no worker (`open_store(sync_worker=False)`, the default for tools and tests, or after
the worker failed).

A state write (temporary file, fsync, rename, directory fsync) took about 0.5 ms on the
development machine. Handing it to a worker thread then cost more than it saved: the thread
needs the GIL back after each system call while the event loop holds it, and the contention cost
about 90 futex calls and 0.7 ms of CPU per turn (strace, bench). Inline, an assess turn used 1.8
instead of 2.9 ms of CPU and its throughput rose by a quarter. On slow storage (network disks:
fsyncs of tens of milliseconds) the opposite holds: an inline write would stop every other turn
for that long. So writes run inline while they are fast and move to a worker thread while they
are slow, judged by a moving average of how long they take.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable

SLOW_WRITE_SECONDS = 0.002
AVERAGE_WEIGHT = 0.2  # the newest write's share of the moving average


class WritePlacement:
    """The moving average of durable write times, and the choice it implies.

    Used from the event loop's thread only (threaded writes report back through the loop).

    Args:
        slow_seconds: The average above which writes go to a worker thread.
        weight: The newest write's share of the average.
        timer: Seconds, for measuring writes (injected in tests).
    """

    def __init__(
        self,
        slow_seconds: float = SLOW_WRITE_SECONDS,
        weight: float = AVERAGE_WEIGHT,
        timer: Callable[[], float] = time.perf_counter,
    ) -> None:
        self._slow = slow_seconds
        self._weight = weight
        self._timer = timer
        self._average = 0.0

    @property
    def inline(self) -> bool:
        """True while writes are fast enough to run on the event loop."""
        return self._average < self._slow

    @property
    def average_seconds(self) -> float:
        """The moving average of recent write times."""
        return self._average

    def record(self, seconds: float) -> None:
        """Take one write's duration into the average."""
        self._average += self._weight * (seconds - self._average)

    async def run(self, write: Callable[[], None]) -> None:
        """Run `write` inline or in a worker thread (see the module docstring), timing it."""
        if self.inline:
            self.record(self._timed(write))
        else:
            self.record(await asyncio.to_thread(self._timed, write))

    def _timed(self, write: Callable[[], None]) -> float:
        started = self._timer()
        write()
        return self._timer() - started
