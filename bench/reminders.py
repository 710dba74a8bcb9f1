"""Finding the due reminders among 1,000 and 100,000 customers, side by side from one run.

`python -m bench.reminders [--quick]`

The index (`store/reminders.py`) keeps one small file per 10 UTC minutes with the customers due
in them.
This benchmark builds it directly for N synthetic customers whose next due times are spread
evenly over the 14-day check-in cycle (every customer always has a check-in ahead, so this is the
steady state), then plays sweep ticks one minute apart, as the scheduler does:

    find   `due(now)`: the entries due by now (what every tick costs, the figure that matters)
    move   rescheduling each found customer 14 days ahead (`schedule(..., replacing=entry)`),
           which the sweep does after handling a customer (two small durable writes)

`find` is timed per tick (median and p99 over the ticks); `first find` is the first tick on a
freshly opened store (its buckets read from disk). For contrast, `naive` loads every customer of a
1,000-customer store and asks the policy what is due: what a sweep without an index would do on
every tick (it grows linearly with customers; 100,000 would be ~100x).
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from engagement.lifecycle import new_customer
from engagement.models import Person, Touch
from engagement.reminder_records import IndexEntry
from engagement.reminders import ReminderPolicy, due_reminders
from store import open_store
from store.reminders import TinyReminderStore, open_reminder_store

SIZES = (1_000, 100_000)
TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47"
START = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
CYCLE = timedelta(days=14)
SEED = 11
POLICY = ReminderPolicy()


def _entries(count: int, rng: random.Random) -> list[IndexEntry]:
    seconds = int(CYCLE.total_seconds())
    return [
        IndexEntry(TENANT, f"customer-{n:06}", START + timedelta(seconds=rng.randrange(seconds)))
        for n in range(count)
    ]


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


async def _measure(root: Path, count: int, ticks: int) -> dict[str, float]:
    rng = random.Random(SEED)
    built = time.perf_counter()
    open_reminder_store(root).bulk_load(_entries(count, rng))
    build_s = time.perf_counter() - built
    store: TinyReminderStore = open_reminder_store(root)  # fresh: nothing cached
    now = START
    finds: list[float] = []
    moves: list[float] = []
    found_total = 0
    first_find = 0.0
    for tick in range(ticks):
        now += timedelta(minutes=1)
        started = time.perf_counter()
        due = await store.due(now, 10_000)
        elapsed = time.perf_counter() - started
        if tick == 0:
            first_find = elapsed
        else:
            finds.append(elapsed)
        found_total += len(due)
        for entry in due:
            started = time.perf_counter()
            await store.schedule(
                entry.tenant_id, entry.customer_id, entry.due + CYCLE, replacing=entry
            )
            moves.append(time.perf_counter() - started)
    buckets = len(list((root / "due").glob("*.json")))
    return {
        "customers": count,
        "build_s": build_s,
        "buckets": buckets,
        "first_ms": 1000 * first_find,
        "find_p50_ms": 1000 * statistics.median(finds),
        "find_p99_ms": 1000 * _percentile(finds, 0.99),
        "due_per_tick": found_total / ticks,
        "move_ms": 1000 * statistics.median(moves) if moves else 0.0,
    }


async def _naive(root: Path, count: int) -> float:
    """Seconds to load every customer of a `count`-customer store and compute what is due."""
    owner = Person(id="aad-bench", name="Bench")
    with open_store(root) as store:
        for n in range(count):
            made = new_customer(TENANT, f"c{n:05}", f"C{n:05}", owner, START - CYCLE)
            made.touches = [Touch(at=START - timedelta(days=n % 28), by=owner)]
            await store.customers.add(made)
    with open_store(root) as store:
        started = time.perf_counter()
        customers = await store.customers.list(TENANT)
        due = [r for c in customers for r in due_reminders(c, START, POLICY)]
        elapsed = time.perf_counter() - started
    assert len(customers) == count
    assert due
    return elapsed


def _row(result: dict[str, float]) -> str:
    return (
        f"{int(result['customers']):>9,}  {int(result['buckets']):>7}  "
        f"{result['first_ms']:>8.2f}  {result['find_p50_ms']:>8.3f}  "
        f"{result['find_p99_ms']:>8.3f}  {result['due_per_tick']:>9.1f}  "
        f"{result['move_ms']:>7.2f}  {result['build_s']:>7.1f}"
    )


async def run(quick: bool) -> str:
    ticks = 60 if quick else 240
    naive_customers = 200 if quick else 1_000
    lines = [
        f"Reminder index: {ticks} sweep ticks one minute apart, next due times spread over 14 days",
        "",
        "customers  buckets  first ms  find p50  find p99  due/tick  move ms  build s",
    ]
    results = []
    with tempfile.TemporaryDirectory(prefix="bench-reminders-") as temp:
        for count in SIZES:
            result = await _measure(Path(temp) / f"index-{count}", count, ticks)
            results.append(result)
            lines.append(_row(result))
        naive_s = await _naive(Path(temp) / "naive", naive_customers)
    small, large = results
    ratio = large["find_p50_ms"] / small["find_p50_ms"]
    lines += [
        "",
        f"find (median per tick): {large['find_p50_ms']:.3f} ms at 100,000 customers vs "
        f"{small['find_p50_ms']:.3f} ms at 1,000: {ratio:.1f}x for 100x the customers "
        f"(it reads only the current bucket: ~{large['customers'] / large['buckets']:.0f} entries "
        "at 100,000)",
        f"naive scan without an index: {1000 * naive_s:.0f} ms for {naive_customers:,} customers "
        f"on every tick (linear: ~{100_000 / naive_customers * naive_s:.0f} s at 100,000)",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.reminders", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="fewer ticks, smaller naive store")
    args = parser.parse_args(argv)
    print(asyncio.run(run(args.quick)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
