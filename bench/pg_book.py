"""PostgreSQL beside TinyDB: turn cost, and `portfolio` / `customers` over a big book, one run.

`python -m bench.pg_book [--quick] [--rounds 5]` needs a PostgreSQL server it may create
databases on: `DATABASE_URL=postgresql://...` (any database of the server), or run it under
`scripts/with-test-postgres`, which exports the `PG*` variables of a throwaway server.

For each size a book of realistic customers (bench/book.py's generator: varied health, renewals,
touches) is stored in both backends: TinyDB files written directly plus the summary build, and a
fresh PostgreSQL database filled through the store's own import writer (2,000 customers per
transaction; timed). Then, in `--rounds` rounds (the backends' order alternates):

    status     whole turns `status <random customer>` (POST to /api/messages to reply sent),
               the bot (`create_app`, reminders off) hosted in this process on each backend
    assess     whole turns of the assess dialog: answer question 1, then `back`, alternately
    portfolio  the store's `portfolio` answer, page 1 with the KPIs and health bands
    customers  the store's `customers` answer (the first 50 by name and the count)

Sizes: turns at 100 and 10,000 customers, the two queries at 10,000 and 100,000 (`--quick`:
100 and 1,000 for both). Figures are medians of the per-round medians with the spread
`[min-max]`; ratios are PostgreSQL / TinyDB. The bot and this client share the process, the
same for both backends; PostgreSQL runs on this machine with fsync as configured by its server.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import aiohttp
import psycopg
from psycopg import sql

from bench.book import NOW, OWNER, SEED, TENANT, build_summaries, customer_document, generate
from bench.hosting import host
from bench.turn_setup import FakeConnector, activity
from bench.turns import post, start_assessment
from bot.app import create_app
from bot.settings import Settings
from engagement.book import PortfolioRequest
from engagement.models import Customer
from engagement.portfolio import PortfolioQuery
from engagement.ports import CustomerSummaries
from store import open_store
from store.pg import PostgresStore

TURNS = 20
IMPORT_CHUNK = 2_000
BACKENDS = ("tinydb", "postgres")
Samples = dict[str, list[float]]  # "backend measure size" -> per-round medians (seconds)


def server_url() -> str:
    """The server to create the bench databases on (DATABASE_URL, or libpq's PG* variables)."""
    return os.environ.get("DATABASE_URL", "")


def database_url(name: str) -> str:
    base = server_url()
    if not base:
        return f"postgresql:///{name}"
    head, _, _ = base.rpartition("/")
    return f"{head}/{name}"


def fresh_database(name: str) -> str:
    """Create (or re-create) database `name`; its URL."""
    with psycopg.connect(server_url(), autocommit=True) as admin:
        admin.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return database_url(name)


def drop_database(name: str) -> None:
    with psycopg.connect(server_url(), autocommit=True) as admin:
        admin.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )


async def fill_postgres(url: str, count: int) -> float:
    """Store `count` customers through the import writer; seconds it took."""
    store = PostgresStore(url, 4)
    await store.start()
    rng = random.Random(SEED)
    began = time.perf_counter()
    try:
        for start in range(0, count, IMPORT_CHUNK):
            chunk = [
                Customer.model_validate(customer_document(number, rng))
                for number in range(start, min(start + IMPORT_CHUNK, count))
            ]
            await store.customer_import.import_customers(TENANT, chunk, [])
    finally:
        await store.close()
    return time.perf_counter() - began


def settings_for(backend: str, where: str) -> Settings:
    """Local mode, reminders off, over the TinyDB directory or the PostgreSQL URL `where`."""
    chosen: dict[str, Any] = (
        {"DATABASE_URL": where, "DATA_DIR": Path(where).parent}
        if backend == "postgres"
        else {"DATA_DIR": Path(where)}
    )
    return Settings(
        _env_file=None,
        MicrosoftAppId="",
        LOG_LEVEL="WARNING",
        REMINDERS_ENABLED=False,
        **chosen,
    )


@contextlib.asynccontextmanager
async def summaries_of(backend: str, where: str) -> AsyncIterator[CustomerSummaries]:
    """The backend's summaries port over the stored book."""
    if backend == "tinydb":
        with open_store(Path(where)) as tiny:
            yield tiny.summaries
        return
    store = PostgresStore(where, 4)
    await store.start()
    try:
        yield store.summaries
    finally:
        await store.close()


async def timed(call: Callable[[], Awaitable[Any]], times: int) -> float:
    """The median seconds of `times` calls."""
    spent = []
    for _ in range(times):
        began = time.perf_counter()
        await call()
        spent.append(time.perf_counter() - began)
    return statistics.median(spent)


async def checked(posting: Awaitable[int]) -> None:
    """Await a POST to /api/messages; a status other than 200/201 stops the benchmark."""
    status = await posting
    if status not in (200, 201):
        raise RuntimeError(f"/api/messages answered {status}")


async def turn_round(where: str, backend: str, count: int, number: int, samples: Samples) -> None:
    """One round of status and assess turns against the bot on `backend`."""
    connector = FakeConnector()
    service = await host(connector.app())
    connector.url = service.url
    bot = await host(create_app(settings_for(backend, where)))
    rng = random.Random(number)
    try:
        async with aiohttp.ClientSession() as session:
            url = bot.url + "/api/messages"
            ids = iter(range(10**9))

            async def status() -> None:
                name = f"Customer {rng.randrange(count):06d}"
                body = activity(
                    connector.url, "a:bench-status", f"s{next(ids)}", text=f"status {name}"
                )
                await checked(post(session, url, body))

            samples.setdefault(f"{backend} status {count}", []).append(await timed(status, TURNS))
            conversation = await start_assessment(
                session, connector, bot.url, f"a:bench-assess-{number}", 900_000 + number
            )

            async def assess() -> None:
                await checked(post(session, url, conversation.next_body()))

            samples.setdefault(f"{backend} assess {count}", []).append(await timed(assess, TURNS))
    finally:
        await bot.close()
        await service.close()


async def query_round(where: str, backend: str, count: int, samples: Samples) -> None:
    """One round of the `portfolio` page-1 answer and the `customers` answer on `backend`."""
    async with summaries_of(backend, where) as summaries:
        await summaries.by_name(TENANT, limit=50)  # warm: connections, first read
        request = PortfolioRequest(PortfolioQuery(), OWNER.id, NOW)
        key = f"{backend} portfolio {count}"
        samples.setdefault(key, []).append(
            await timed(lambda: summaries.portfolio(TENANT, request), 3)
        )
        samples.setdefault(f"{backend} customers {count}", []).append(
            await timed(lambda: summaries.by_name(TENANT, limit=50), 3)
        )


def _spread(values: list[float]) -> str:
    return (
        f"{1000 * statistics.median(values):.1f} "
        f"[{1000 * min(values):.1f}-{1000 * max(values):.1f}]"
    )


def table(samples: Samples, measures: list[tuple[str, int]]) -> list[str]:
    """One line per measure and size: TinyDB, PostgreSQL (ms), PostgreSQL / TinyDB."""
    lines = [
        "| measure | customers | TinyDB ms | PostgreSQL ms | PostgreSQL / TinyDB |",
        "|---|---|---|---|---|",
    ]
    for measure, size in measures:
        tiny = samples.get(f"tinydb {measure} {size}", [])
        pg = samples.get(f"postgres {measure} {size}", [])
        if not tiny or not pg:
            continue
        ratio = statistics.median(p / t for p, t in zip(pg, tiny, strict=False))
        lines.append(f"| {measure} | {size:,} | {_spread(tiny)} | {_spread(pg)} | {ratio:.2f} |")
    return lines


async def run(quick: bool, rounds: int, say: Callable[[str], None]) -> list[str]:
    """Build the books, run the rounds, return the report lines."""
    turn_sizes = [100, 1_000] if quick else [100, 10_000]
    query_sizes = [100, 1_000] if quick else [10_000, 100_000]
    work = Path(tempfile.mkdtemp(prefix="csf-pg-book-"))
    places: dict[tuple[str, int], str] = {}
    lines: list[str] = []
    try:
        for size in sorted({*turn_sizes, *query_sizes}):
            data = work / f"tiny-{size}"
            began = time.perf_counter()
            await asyncio.to_thread(generate, data, size)
            built = await build_summaries(data)
            tiny_seconds = time.perf_counter() - began
            places[("tinydb", size)] = str(data)
            url = fresh_database(f"csf_bench_{size}")
            filled = await fill_postgres(url, size)
            places[("postgres", size)] = url
            line = (
                f"{size:,} customers stored: TinyDB files + summaries {tiny_seconds:.1f} s "
                f"(summary build {built:.1f} s); PostgreSQL through the import writer "
                f"{filled:.1f} s ({size / filled:,.0f} customers/s)"
            )
            say(line)
            lines.append(line)
        samples: Samples = {}
        for number in range(rounds):
            order = BACKENDS if number % 2 == 0 else BACKENDS[::-1]
            for size in turn_sizes:
                for backend in order:
                    await turn_round(places[(backend, size)], backend, size, number, samples)
            for size in query_sizes:
                for backend in order:
                    await query_round(places[(backend, size)], backend, size, samples)
            say(f"round {number + 1} of {rounds} done")
    finally:
        for size in sorted({*turn_sizes, *query_sizes}):
            with contextlib.suppress(psycopg.Error):
                drop_database(f"csf_bench_{size}")
        await asyncio.to_thread(_remove, work)
    measures = [(m, s) for m in ("status", "assess") for s in turn_sizes]
    measures += [(m, s) for m in ("portfolio", "customers") for s in query_sizes]
    return [*lines, "", *table(samples, measures)]


def _remove(path: Path) -> None:
    shutil.rmtree(path, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="PostgreSQL beside TinyDB (bench/pg_book.py)")
    parser.add_argument("--quick", action="store_true", help="100 and 1,000 customers only")
    parser.add_argument("--rounds", type=int, default=5)
    arguments = parser.parse_args(argv)

    def say(text: str) -> None:
        print(text, file=sys.stderr, flush=True)

    for line in asyncio.run(run(arguments.quick, max(1, arguments.rounds), say)):
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
