"""The store's customer summaries: current on every save, rebuilt when missing, stale or cut
off by a crash, answered in slices."""

from __future__ import annotations

import asyncio
import os
import shutil
import signal
import sys
import textwrap
from dataclasses import fields
from datetime import date, timedelta
from pathlib import Path

import orjson
import pytest
from store_support import NOW, make_customer

import engagement.slices as slices
from engagement.book import PortfolioRequest
from engagement.clock import FixedClock
from engagement.health_factors import Band
from engagement.models import LifecycleStage, MaturityLevel, Phase
from engagement.portfolio import PortfolioQuery
from engagement.summary import CustomerSummary, RenewalFact, ReviewScore
from store import open_store
from store.shards import digest
from store.summaries import decode, encode
from store.summary_codec import Row, bucket_of

TENANT = "tenant-summaries"
ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent


def request(page: int = 1) -> PortfolioRequest:
    return PortfolioRequest(PortfolioQuery(page=page), "nobody", NOW, page_size=5)


async def test_every_add_and_save_keeps_the_summary_current(tmp_path: Path) -> None:
    with open_store(tmp_path, clock=FixedClock(NOW)) as store:
        for number in range(12):
            await store.customers.add(make_customer(TENANT, f"c{number:02}"))
        customer = await store.customers.get(TENANT, "c03")
        assert customer is not None
        customer.renewal_date = date(2025, 3, 20)
        await store.customers.save(customer)

        answer = await store.summaries.portfolio(TENANT, request())
        assert answer.stored == 12
        assert answer.page.rows[0].customer_id == "c03"  # the only renewal date: first
        assert answer.page.rows[0].renewal_in_days == 19
        listing = await store.summaries.by_name(TENANT, contains="C1", limit=5)
        assert [s.customer_id for s in listing.summaries] == ["c10", "c11"]
        assert listing.total == 2
        other = await store.summaries.portfolio("another-tenant", request())
        assert other.stored == 0


async def test_missing_summaries_are_rebuilt_from_the_customer_files(tmp_path: Path) -> None:
    with open_store(tmp_path, clock=FixedClock(NOW)) as store:
        for number in range(30):
            await store.customers.add(make_customer(TENANT, f"c{number:02}"))
    shutil.rmtree(tmp_path / "summaries")  # as after an upgrade from a store without them
    with open_store(tmp_path, clock=FixedClock(NOW)) as store:
        assert not store.summaries.built(TENANT)
        listing = await store.summaries.by_name(TENANT, limit=100)
        assert [s.customer_id for s in listing.summaries] == [f"c{n:02}" for n in range(30)]
        assert store.summaries.built(TENANT)


async def test_summaries_in_an_earlier_layout_are_rebuilt_in_the_current_one(
    tmp_path: Path,
) -> None:
    """A store whose summaries were written with 2-character buckets (256 per tenant)."""
    with open_store(tmp_path, clock=FixedClock(NOW)) as store:
        for number in range(30):
            await store.customers.add(make_customer(TENANT, f"c{number:02}"))
        await store.summaries.by_name(TENANT)  # built
    tenant_dir = tmp_path / "summaries" / digest(TENANT)
    earlier: dict[str, dict[str, Row]] = {}
    for path in tenant_dir.glob("*.json"):
        if path.name != "built.json":
            for customer_id, row in orjson.loads(path.read_bytes()).items():
                row[1] = "Old " + row[1]  # what only the earlier layout's files say
                earlier.setdefault(path.name[:2], {})[customer_id] = row
            path.unlink()
    for bucket, rows in earlier.items():
        (tenant_dir / f"{bucket}.json").write_bytes(orjson.dumps(rows))
    (tenant_dir / "built.json").write_bytes(orjson.dumps({"customers": 30}))

    with open_store(tmp_path, clock=FixedClock(NOW)) as store:
        assert not store.summaries.built(TENANT)
        listing = await store.summaries.by_name(TENANT, limit=100)
        assert [s.name for s in listing.summaries] == [f"C{n:02}" for n in range(30)]
        assert store.summaries.built(TENANT)
    names = sorted(path.name for path in tenant_dir.iterdir())
    assert all(name[2] in "048c" for name in names if name != "built.json")
    assert len(names) == 1 + len({bucket_of(f"c{n:02}") for n in range(30)})


async def test_summaries_from_an_earlier_day_are_recomputed_in_the_background(
    tmp_path: Path,
) -> None:
    clock = FixedClock(NOW)
    with open_store(tmp_path, clock=clock) as store:
        added = await store.customers.add(make_customer(TENANT, "contoso"))
        await store.summaries.portfolio(TENANT, request())  # builds the tenant's summaries
        clock.set(NOW + timedelta(days=2))
        later = PortfolioRequest(PortfolioQuery(), "x", clock.now())
        first = await store.summaries.portfolio(TENANT, later)
        assert first.stale == 1
        await store.summaries.build(TENANT)  # what the answer started in the background
        second = await store.summaries.portfolio(TENANT, later)
        assert second.stale == 0
        assert second.page.rows[0].customer_id == added.id


async def test_saves_between_the_renames_of_a_bulk_write_are_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The bulk write renames its buckets in slices: saves run in between, never undone."""
    monkeypatch.setattr(slices, "SLICE_SECONDS", -1.0)  # yield after every item
    with open_store(tmp_path, clock=FixedClock(NOW)) as store:
        stale = [await store.customers.add(make_customer(TENANT, f"c{n:03}")) for n in range(60)]
        await store.summaries.by_name(TENANT)  # built
        bulk = asyncio.create_task(store.summaries.record_many(TENANT, stale))
        saves = 0
        while not bulk.done():
            customer = await store.customers.get(TENANT, f"c{saves % 60:03}")
            assert customer is not None
            await store.customers.save(customer)
            saves += 1
            await asyncio.sleep(0)
        await bulk
        stored = {c.id: c.version for c in await store.customers.list(TENANT)}
        listing = await store.summaries.by_name(TENANT, limit=100)
    assert saves > 60  # saves ran while the buckets were merged, synced and renamed
    assert {s.customer_id: s.version for s in listing.summaries} == stored


async def test_an_import_records_every_summary_once(tmp_path: Path) -> None:
    with open_store(tmp_path, clock=FixedClock(NOW)) as store:
        await store.customers.add(make_customer(TENANT, "kept"))
        imported = [make_customer(TENANT, f"i{n:03}") for n in range(40)]
        await store.customer_import.import_customers(TENANT, imported, [])
        listing = await store.summaries.by_name(TENANT, limit=100)
        assert listing.total == 41
        assert {s.version for s in listing.summaries} == {1}


async def test_a_turn_is_answered_while_a_big_book_is_read(tmp_path: Path) -> None:
    with open_store(tmp_path, clock=FixedClock(NOW)) as store:
        imported = [make_customer(TENANT, f"c{n:04}") for n in range(1500)]
        await store.customer_import.import_customers(TENANT, imported, [])
        ticks = 0

        async def other_turns() -> None:
            nonlocal ticks
            while True:
                ticks += 1
                await asyncio.sleep(0)

        ticker = asyncio.create_task(other_turns())
        try:
            answer = await store.summaries.portfolio(TENANT, request(page=3))
        finally:
            ticker.cancel()
        assert answer.page.number == 3
        assert ticks > 1  # the loop ran other work while the summaries were read


KILLED_BETWEEN_WRITES = textwrap.dedent(
    """
    import asyncio, os, signal, sys
    from datetime import date
    from pathlib import Path
    from store_support import make_customer
    from store import open_store
    from store.summaries import TinyCustomerSummaries

    async def main() -> None:
        store = open_store(Path(sys.argv[1]))
        customer = await store.customers.add(make_customer("{tenant}", "contoso"))
        TinyCustomerSummaries.record = lambda self, customer: os.kill(os.getpid(), signal.SIGKILL)
        customer.renewal_date = date(2025, 4, 1)
        await store.customers.save(customer)  # the customer file is written, then the kill

    asyncio.run(main())
    """
).replace("{tenant}", TENANT)


def test_a_kill_between_the_customer_write_and_its_summary_is_repaired(tmp_path: Path) -> None:
    script = tmp_path / "killed.py"
    script.write_text(KILLED_BETWEEN_WRITES, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), str(HERE)])}
    child = asyncio.run(_run(sys.executable, str(script), str(tmp_path / "data"), env=env))
    assert child == -signal.SIGKILL

    async def check() -> None:
        with open_store(tmp_path / "data", clock=FixedClock(NOW)) as store:
            stored = await store.customers.get(TENANT, "contoso")
            assert stored is not None
            assert stored.version == 2
            answer = await store.summaries.portfolio(TENANT, request())
            [row] = answer.page.rows
            assert row.renewal_date == date(2025, 4, 1)

    asyncio.run(check())


async def _run(*command: str, env: dict[str, str]) -> int:
    process = await asyncio.create_subprocess_exec(*command, env=env)
    return await process.wait()


def test_a_summary_row_keeps_every_field() -> None:
    summary = CustomerSummary(
        tenant_id=TENANT,
        customer_id="contoso",
        version=7,
        name="Contoso",
        owner_id="aad-1",
        owner_name="Ada",
        iteration=2,
        phase=Phase.DELIVER,
        level=MaturityLevel.CLOUD_IS_IN_USE,
        score=64,
        band=Band.YELLOW,
        renewal_date=date(2025, 6, 30),
        last_touch=NOW - timedelta(days=3),
        license_utilisation=0.75,
        reviews=(ReviewScore(NOW - timedelta(days=30), 4.3, 9),),
        as_of=NOW,
        renewal_outcomes=(RenewalFact(NOW - timedelta(days=60), False, "price"),),
        stage=LifecycleStage.ADOPT,
    )
    # Every field is set to a value other than its default, so a field added later fails here.
    unset = [f.name for f in fields(CustomerSummary) if getattr(summary, f.name) == f.default]
    assert not unset, f"set these fields in the test: {unset}"
    assert decode(TENANT, "contoso", encode(summary)) == summary
