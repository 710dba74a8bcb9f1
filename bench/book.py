"""A big book of business: whole turns, `portfolio`, import and export at 100 / 10,000 (/ 100,000)
customers, side by side from one run. `python -m bench.book [--quick] [--big] [--rounds N]`

For each size a data directory is generated (customer files written directly, varied health,
renewals and touches), its summaries are built once (timed: the first start after an upgrade or a
crash), and the bot is started on it in a process of its own (`python -m bench.servers`, reminders
off so the one-time reminder index build does not run during the rounds). Then, in at least five
rounds, the sizes take turns (the order rotates each round) at:

    status    `status <random customer>`, one after another (whole turn: POST to reply sent)
    touch     `touch <random customer> call: ...` (customer and summary written)
    portfolio `portfolio` (page 1 with the KPIs and charts), while a second conversation sends
              `status` turns back to back: their latency is the concurrent turn's
    then      one `portfolio mine`, `portfolio renewals 90`, `kpis` and `customers` turn each

Figures are medians over the rounds with the spread `[min-max]` of the per-round values. After the
rounds: the bot process's RSS (VmRSS; the process also hosts the tiny bare and echo servers).
Import and export run in this process through the commands' own functions (`import_command` with
the store's bulk writer, `export_command`) on a fresh store, once per size.

Also measured (bench/book_work.py): the reminder index's first build and finding due reminders
after it and after the import. Not measured here: the assess turn against the stock EchoBot
(bench/turns.py; `python -m bench` judges both in one summary), and anything on another disk or
more cores than this machine's.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
import json
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import aiohttp

from bench.book_report import format_report
from bench.book_work import exchange, first_start
from bench.hosting import host
from bench.turn_setup import FakeConnector, Servers, activity, start_servers
from bench.turns import post
from engagement.lifecycle import new_customer
from engagement.models import Contact, LicenseLine, Person, Touch, TouchKind
from store import open_store

TENANT = "tenant-bench"  # the tenant of bench.turns.activity
NOW = datetime.now(UTC)
SEED = 20
STATUS_TURNS, TOUCH_TURNS, ASSESS_TURNS = 20, 10, 10
BOOK_TURNS = [  # (key, text): the other views of the whole book, one turn each per round
    # (sent by OWNER, who owns every customer: `mine` selects the whole book)
    ("mine", "portfolio mine"),
    ("renewals", "portfolio renewals 90"),
    ("kpis", "kpis"),
    ("customers", "customers"),
]
OWNER = Person(id="aad-bench-user-0", name="Bench User")

Report = Callable[[str], None]


def customer_document(number: int, rng: random.Random) -> dict[str, Any]:
    """A realistic customer (~3 KB) whose health, renewal and touches vary with `rng`."""
    customer = new_customer(
        TENANT, f"customer-{number:06d}", f"Customer {number:06d}", OWNER, NOW - timedelta(days=90)
    )
    customer.contacts = [Contact(name=f"Contact {n}", role="IT lead") for n in range(2)]
    licensed = rng.choice([50, 200, 500, 3000])
    customer.licenses = [
        LicenseLine(
            product="Microsoft 365 E3",
            licensed=licensed,
            active=rng.randrange(licensed + 1),
            as_of=NOW.date(),
        )
    ]
    customer.touches = [
        Touch(
            at=NOW - timedelta(days=rng.randrange(60)),
            by=OWNER,
            kind=TouchKind.CALL,
            note="Check-in " * 8,
        )
        for _ in range(rng.randrange(4))
    ]
    if rng.random() < 0.8:
        customer.renewal_date = NOW.date() + timedelta(days=rng.randrange(-30, 400))
    customer.version = 1
    return customer.model_dump(mode="json")


def generate(data_dir: Path, count: int) -> None:
    """Write `count` customers of TENANT as shard files (no fsync: fixture data)."""
    store = open_store(data_dir)
    rng = random.Random(SEED)
    try:
        for number in range(count):
            document = customer_document(number, rng)
            path = store.customers.shard_path(TENANT, document["id"])
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps({"_default": {"1": document}}), encoding="utf-8")
    finally:
        store.close()


async def build_summaries(data_dir: Path) -> float:
    """Seconds to build the tenant's summaries from its customer files (first start)."""
    with open_store(data_dir) as store:
        began = time.perf_counter()
        await store.summaries.build(TENANT)
        return time.perf_counter() - began


@dataclass
class Size:
    """One book size: its bot, its conversations and what was measured."""

    label: str
    count: int
    servers: Servers
    samples: dict[str, list[float]] = field(default_factory=dict)  # per-round values
    errors: int = 0

    def add(self, key: str, value: float) -> None:
        self.samples.setdefault(key, []).append(value)


def _median_ms(values: Sequence[float]) -> float:
    return 1000 * statistics.median(values)


def _p99_ms(values: Sequence[float]) -> float:
    ordered = sorted(values)
    return 1000 * ordered[min(len(ordered) - 1, max(0, round(0.99 * len(ordered) + 0.5) - 1))]


async def _turn(session: aiohttp.ClientSession, size: Size, body: bytes) -> float:
    began = time.perf_counter()
    try:
        status = await post(session, size.servers.urls["bot"] + "/api/messages", body)
    except (TimeoutError, aiohttp.ClientError):
        status = 0
    if status not in (200, 201):
        size.errors += 1
    return time.perf_counter() - began


async def one_round(
    session: aiohttp.ClientSession, connector: str, size: Size, round_number: int, quick: bool
) -> None:
    rng = random.Random(round_number * 7919 + size.count)
    names = [f"Customer {rng.randrange(size.count):06d}" for _ in range(STATUS_TURNS)]

    def body(conversation: str, text: str, number: int) -> bytes:
        return activity(connector, f"a:{conversation}", f"r{round_number}-{number}", text=text)

    status = [
        await _turn(session, size, body("status", f"status {name}", n))
        for n, name in enumerate(names[: 6 if quick else STATUS_TURNS])
    ]
    size.add("status", statistics.median(status))
    touch = [
        await _turn(session, size, body("touch", f"touch {name} call: bench {n}", n))
        for n, name in enumerate(names[: 4 if quick else TOUCH_TURNS])
    ]
    size.add("touch", statistics.median(touch))
    assess = [  # each in a conversation of its own: the assessment's first question
        await _turn(session, size, body(f"assess-{round_number}-{n}", f"assess {name}", 0))
        for n, name in enumerate(names[: 2 if quick else ASSESS_TURNS])
    ]
    size.add("assess", statistics.median(assess))

    concurrent: list[float] = []
    done = asyncio.Event()

    async def other_turns() -> None:
        number = 0
        while not done.is_set():
            name = f"Customer {rng.randrange(size.count):06d}"
            concurrent.append(await _turn(session, size, body("other", f"status {name}", number)))
            number += 1

    others = asyncio.create_task(other_turns())
    await asyncio.sleep(0.05)  # the other conversation is under way
    portfolio = await _turn(session, size, body("portfolio", "portfolio", 0))
    done.set()
    await others
    size.add("portfolio", portfolio)
    size.add("concurrent_p99", _p99_ms(concurrent) / 1000)
    size.add("concurrent_max", max(concurrent))
    for number, (key, text) in enumerate(BOOK_TURNS):  # one each, alone, by OWNER ("a:0")
        size.add(key, await _turn(session, size, body("0", text, 100 + number)))


async def run_async(report: Report, quick: bool, big: bool, rounds: int) -> dict[str, Any]:
    counts = [100, 1_000 if quick else 10_000] + ([100_000] if big else [])
    os.environ["REMINDERS_ENABLED"] = "false"  # inherited by the bots' processes
    gc.freeze()  # this process imports and exports as the bot would: frozen at start as app.py
    results: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="book-") as temp:
        root = Path(temp)
        for count in counts:
            began = time.perf_counter()
            generate(root / str(count), count)
            built = await build_summaries(root / str(count))
            results[f"build_{count}_s"] = built
            report(
                f"{count:>7,} customers: generated in {time.perf_counter() - began - built:.1f} s; "
                f"summaries built from the customer files in {built:.2f} s"
            )
            results[f"first_start_{count}"] = await first_start(root / str(count), NOW)
            report(f"{count:>7,}: after a first start {results[f'first_start_{count}']}")
        connector = FakeConnector()
        async with contextlib.AsyncExitStack() as stack:
            hosted = await host(connector.app())
            stack.push_async_callback(hosted.close)
            sizes = [
                Size(f"{count:,}", count, await start_servers(root / str(count), stack))
                for count in counts
            ]
            session = await stack.enter_async_context(
                aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=300))
            )
            for size in sizes:  # warm-up: first turn of each conversation, not counted
                await one_round(session, hosted.url, size, -1, True)
                size.samples.clear()
            for number in range(rounds):
                shift = number % len(sizes)
                for size in sizes[shift:] + sizes[:shift]:
                    await one_round(session, hosted.url, size, number, quick)
                report(f"round {number + 1} of {rounds} done")
            for size in sizes:
                stats = await size.servers.stats(session)
                results[f"rss_{size.count}_mb"] = stats["rss_kib"] / 1024
                results[f"samples_{size.count}"] = size.samples
                results[f"errors_{size.count}"] = size.errors
        for count in counts:
            results[f"exchange_{count}"] = await exchange(
                root / str(count), TENANT, count, root / f"import-{count}", NOW
            )
            report(f"{count:>7,} customers: export and import {results[f'exchange_{count}']}")
    return results


def measure(quick: bool, big: bool, rounds: int) -> tuple[dict[str, Any], list[int]]:
    """Run the book benchmark (progress on stderr); its figures and the sizes measured."""
    counts = [100, 1_000 if quick else 10_000] + ([100_000] if big else [])

    def progress(line: str) -> None:
        print(line, file=sys.stderr, flush=True)

    return asyncio.run(run_async(progress, quick, big, max(rounds, 1))), counts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.book", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="1,000 instead of 10,000, fewer turns")
    parser.add_argument("--big", action="store_true", help="also 100,000 customers (minutes)")
    parser.add_argument("--rounds", type=int, default=5, help="interleaved rounds (default 5)")
    args = parser.parse_args(argv)
    results, counts = measure(args.quick, args.big, args.rounds)
    print("\n".join(format_report(results, counts, max(args.rounds, 1))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
