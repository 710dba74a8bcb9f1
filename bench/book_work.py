"""Work on a whole book besides turns (issue 20), for bench/book.py: reminders, export, import.

- `first_start`: what the first start with reminders does on an existing book (the reminder
  index built from every customer file), then `sweeps` on a copy of the index: the bot's turns
  then run on the index as the first start left it, at every size (the sweeps here move the
  customers they find 14 days on without looking at them; at 100 customers that was every one,
  at 10,000 a quarter, so touches at the two sizes found different indexes).
- `sweeps`: finding the due reminders as the sweep does, `due(now, 500)` on a freshly opened
  store, a few ticks a minute apart; each tick's customers are moved 14 days on (`reschedule`),
  as a sweep does after looking at them, so every tick finds the next ones. Most generated
  customers are overdue (no touch for over 14 days), which is the case that piled every
  overdue customer into one index bucket before.
- `exchange`: export the book, then import it into an empty store the way the bot does (the
  reminder index and the all-or-nothing writer), then `sweeps` on the imported store.
- `LoopStalls`: the longest time the event loop did not run a 1 ms timer while some work ran in
  the same process (an export or an import): what a concurrent turn would have waited at least.
"""

from __future__ import annotations

import asyncio
import contextlib
import shutil
import statistics
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

from bot.exchange import IndexedWriter
from dialogs.portfolio.exchange_commands import export_command, import_command
from engagement.clock import FixedClock
from engagement.exchange import MAX_CUSTOMERS
from engagement.reminder_index import SchedulingCustomerRepository
from engagement.reminder_records import Rescheduled
from engagement.reminders import ReminderPolicy
from store import open_store

BATCH = 500  # the sweep's batch (bot/reminder_sweep.py)
TICKS = 5
CYCLE = timedelta(days=14)


async def first_start(data_dir: Path, now: datetime) -> dict[str, float]:
    """Seconds to build the reminder index from the customer files, then `sweeps` on a copy."""
    with open_store(data_dir, clock=FixedClock(now)) as store:
        async with LoopStalls() as stalls:
            began = time.perf_counter()
            indexed = await store.reminders.build_index(
                data_dir / "customers", ReminderPolicy(), now
            )
            build_s = time.perf_counter() - began
    with tempfile.TemporaryDirectory(prefix="sweeps-") as copy:
        shutil.copytree(data_dir / "reminders", Path(copy) / "reminders")
        swept = await sweeps(Path(copy), now)
    return {"build_s": build_s, "indexed": indexed, "build_stall_ms": stalls.longest_ms} | swept


async def sweeps(data_dir: Path, now: datetime) -> dict[str, float]:
    """Milliseconds of `due` per tick (the first on a cold store), and what a tick found."""
    finds: list[float] = []
    found: list[int] = []
    with open_store(data_dir, clock=FixedClock(now)) as store:
        for tick in range(TICKS):
            at = now + timedelta(minutes=tick)
            began = time.perf_counter()
            due = await store.reminders.due(at, BATCH)
            finds.append(1000 * (time.perf_counter() - began))
            found.append(len(due))
            moved = [Rescheduled(e.tenant_id, e.customer_id, at + CYCLE, (e,)) for e in due]
            await store.reminders.reschedule(moved, at)
    files = len(list((data_dir / "reminders" / "due").glob("*.json")))
    return {
        "find_first_ms": finds[0],
        "find_p50_ms": statistics.median(finds[1:]),
        "find_max_ms": max(finds),
        "found_first_tick": found[0],
        "index_files": files,
    }


async def exchange(
    data_dir: Path, tenant_id: str, count: int, work: Path, now: datetime
) -> dict[str, float]:
    """Export the book, then import it into an empty store (the bot's way), then `sweeps` there.

    An export file holds at most MAX_CUSTOMERS customers, so a bigger book is only exported.
    """
    clock = FixedClock(now)
    with open_store(data_dir, clock=clock) as store:
        async with LoopStalls() as stalls:
            began = time.perf_counter()
            files = await export_command("", tenant_id, "bench", now, store.customers)
            result = {"export_s": time.perf_counter() - began, "export_stall_ms": stalls.longest_ms}
    result["mb"] = len(files.json_text) / 1e6
    if count > MAX_CUSTOMERS:
        return result
    with open_store(work, clock=clock) as target:
        customers = SchedulingCustomerRepository(
            target.customers, target.reminders, ReminderPolicy(), clock
        )
        async with LoopStalls() as stalls:
            began = time.perf_counter()
            reply = await import_command(
                "",
                tenant_id,
                "bench",
                now,
                customers,
                document=files.json_text,
                writer=IndexedWriter(customers, target.customer_import),
            )
            result |= {
                "import_s": time.perf_counter() - began,
                "import_stall_ms": stalls.longest_ms,
            }
        listing = await target.summaries.by_name(tenant_id, limit=1)
    if listing.total != count:
        raise RuntimeError(f"import wrote {listing.total} of {count}: {reply}")
    return result | {f"imported_{key}": value for key, value in (await sweeps(work, now)).items()}


class LoopStalls:
    """`async with LoopStalls() as stalls:` a task waking every millisecond records the longest
    gap between two wakes (`longest_ms`) while the block runs."""

    def __init__(self) -> None:
        self.longest_ms = 0.0
        self._task: asyncio.Task[None] | None = None

    async def __aenter__(self) -> LoopStalls:
        self._task = asyncio.get_running_loop().create_task(self._watch())
        await asyncio.sleep(0)
        return self

    async def __aexit__(self, *_: object) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    async def _watch(self) -> None:
        last = time.perf_counter()
        while True:
            await asyncio.sleep(0.001)
            now = time.perf_counter()
            self.longest_ms = max(self.longest_ms, 1000 * (now - last - 0.001))
            last = now
