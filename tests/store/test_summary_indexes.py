"""The embedded store answers from its in-memory summary index: loaded once per tenant, current
after every save, import and rebuild, never mixing tenants, losing no save made while it loads."""

from __future__ import annotations

import asyncio
import gc
from datetime import date, timedelta
from pathlib import Path

import pytest
from store_support import NOW, make_customer

import engagement.slices as slices
import store.summary_indexes as summary_indexes
from engagement.book import PortfolioRequest
from engagement.clock import FixedClock
from engagement.health_factors import Band
from engagement.models import Customer, Touch, TouchKind
from engagement.portfolio import PortfolioQuery
from store import Store, open_store
from store.summary_codec import Row, bucket_of

TENANT = "tenant-index"
OTHER = "tenant-other"


def request(
    query: PortfolioQuery | None = None, clock: FixedClock | None = None
) -> PortfolioRequest:
    return PortfolioRequest(query or PortfolioQuery(), "nobody", (clock or FixedClock(NOW)).now())


def touched(customer: Customer) -> Customer:
    """A customer called today, renewing in 100 days: green today, red 60 days on."""
    customer.touches = [Touch(at=NOW, by=customer.owner, kind=TouchKind.CALL, note="call")]
    customer.renewal_date = NOW.date() + timedelta(days=100)
    return customer


async def first_names(store: Store, tenant_id: str = TENANT) -> list[str]:
    answer = await store.summaries.portfolio(tenant_id, request())
    return [row.customer_id for row in answer.page.rows]


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Every bucket file the index loader reads."""
    read: list[Path] = []
    original = summary_indexes.read_bucket

    def counted(path: Path) -> dict[str, Row]:
        read.append(path)
        return original(path)

    monkeypatch.setattr(summary_indexes, "read_bucket", counted)
    return read


async def test_queries_read_the_files_once_and_a_save_shows_at_once(
    tmp_path: Path, reads: list[Path]
) -> None:
    with open_store(tmp_path, clock=FixedClock(NOW)) as store:
        for number in range(20):
            await store.customers.add(make_customer(TENANT, f"c{number:02}"))
        assert (await store.summaries.portfolio(TENANT, request())).stored == 20
        loaded = len(reads)
        assert loaded > 0

        saved = await store.customers.get(TENANT, "c13")
        assert saved is not None
        saved.renewal_date = date(2025, 3, 10)
        await store.customers.save(saved)
        assert (await first_names(store))[0] == "c13"  # the only renewal date: first
        await store.customers.add(make_customer(TENANT, "a-new-one"))
        listing = await store.summaries.by_name(TENANT, limit=1)
        assert ([s.customer_id for s in listing.summaries], listing.total) == (["a-new-one"], 21)
        kpis = await store.summaries.portfolio(TENANT, request(PortfolioQuery(renewals_within=30)))
        assert [row.customer_id for row in kpis.page.rows] == ["c13"]
        assert await store.summaries.owned_by(TENANT, saved.owner.id) == sorted(
            ["a-new-one", *(f"c{n:02}" for n in range(20))]
        )
        assert len(reads) == loaded  # no file read after the load


async def test_a_load_holds_off_full_collections_and_then_restores_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    thresholds = gc.get_threshold()
    seen: list[tuple[int, int, int]] = []
    with open_store(tmp_path, clock=FixedClock(NOW)) as store:
        await store.customers.add(make_customer(TENANT, "contoso"))
        original = summary_indexes.read_bucket

        def noting(path: Path) -> dict[str, Row]:
            seen.append(gc.get_threshold())
            return original(path)

        monkeypatch.setattr(summary_indexes, "read_bucket", noting)
        await store.summaries.portfolio(TENANT, request())
    assert seen
    assert all(full > thresholds[2] for _, _, full in seen)
    assert gc.get_threshold() == thresholds


async def test_an_import_and_a_rebuild_after_the_load_show_in_the_answers(tmp_path: Path) -> None:
    clock = FixedClock(NOW)
    with open_store(tmp_path, clock=clock) as store:
        await store.customers.add(make_customer(TENANT, "kept"))
        assert (await store.summaries.portfolio(TENANT, request())).stored == 1  # loaded
        imported = [touched(make_customer(TENANT, f"i{n:03}")) for n in range(30)]
        await store.customer_import.import_customers(TENANT, imported, [])
        answer = await store.summaries.portfolio(TENANT, request())
        assert answer.stored == 31
        assert answer.kpis is not None
        assert answer.kpis.customers == 31

        clock.set(NOW + timedelta(days=60))  # no touch for 60 days: health falls
        later = request(clock=clock)
        stale = await store.summaries.portfolio(TENANT, later)
        assert stale.stale == 31
        await store.summaries.build(TENANT)  # what that answer started in the background
        rebuilt = await store.summaries.portfolio(TENANT, later)
        assert rebuilt.stale == 0
        assert stale.bands == {Band.RED: 0, Band.YELLOW: 0, Band.UNKNOWN: 1, Band.GREEN: 30}
        assert rebuilt.bands == {Band.RED: 30, Band.YELLOW: 0, Band.UNKNOWN: 1, Band.GREEN: 0}
        assert rebuilt.page.rows[0].band == Band.RED


async def test_two_tenants_never_mix(tmp_path: Path) -> None:
    with open_store(tmp_path, clock=FixedClock(NOW)) as store:
        await store.customers.add(make_customer(TENANT, "ours"))
        await store.customers.add(make_customer(OTHER, "theirs"))
        assert await first_names(store) == ["ours"]
        assert await first_names(store, OTHER) == ["theirs"]
        await store.customers.add(make_customer(OTHER, "theirs-too"))
        await store.customers.add(make_customer(TENANT, "ours-too"))
        assert await first_names(store) == ["ours", "ours-too"]
        assert await first_names(store, OTHER) == ["theirs", "theirs-too"]
        assert (await store.summaries.by_name(OTHER, contains="ours")).total == 0
        assert await store.summaries.owned_by("tenant-nobody", "aad-owner-1") == []


async def test_saves_made_while_the_index_loads_are_not_lost(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, reads: list[Path]
) -> None:
    with open_store(tmp_path, clock=FixedClock(NOW)) as store:
        imported = [make_customer(TENANT, f"c{n:03}") for n in range(300)]
        await store.customer_import.import_customers(TENANT, imported, [])
        monkeypatch.setattr(summary_indexes, "SLICE_SECONDS", -1.0)  # yield after every bucket
        loading = asyncio.create_task(store.summaries.portfolio(TENANT, request()))
        for _ in range(10_000):  # until about half of the buckets are read
            if len(reads) >= 100:
                break
            await asyncio.sleep(0)
        changed = []
        for number in range(0, 300, 15):  # in buckets read already and still to read
            customer = await store.customers.get(TENANT, f"c{number:03}")
            assert customer is not None
            customer.renewal_date = date(2025, 3, 2) + timedelta(days=number)
            await store.customers.save(customer)
            changed.append(customer.id)
        await store.customers.add(make_customer(TENANT, "added-meanwhile"))
        assert not loading.done()  # the saves came while it loaded
        assert (await loading).stored == 301
        answer = await store.summaries.portfolio(
            TENANT, request(PortfolioQuery(renewals_within=400))
        )
        assert [row.customer_id for row in answer.page.rows] == changed[:10]
        assert answer.page.total == len(changed)
        assert (await store.summaries.by_name(TENANT, contains="added")).total == 1


async def test_a_bulk_write_while_the_index_loads_makes_it_start_over(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with open_store(tmp_path, clock=FixedClock(NOW)) as store:
        first = [make_customer(TENANT, f"c{n:03}") for n in range(300)]
        await store.customer_import.import_customers(TENANT, first, [])
        read: list[str] = []
        original = summary_indexes.read_bucket

        def reading(path: Path) -> dict[str, Row]:
            read.append(path.name)
            if len(read) == 100:  # what an import or a build does when it has written
                store.summaries._indexes.replaced(TENANT)
            return original(path)

        monkeypatch.setattr(summary_indexes, "read_bucket", reading)
        answer = await store.summaries.portfolio(TENANT, request())
        assert answer.stored == 300
        buckets = len(set(read))
        assert len(read) == buckets + 100  # read again from the start after the 100th


async def test_a_save_during_a_daily_rebuild_shows_at_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock = FixedClock(NOW)
    with open_store(tmp_path, clock=clock) as store:
        imported = [touched(make_customer(TENANT, f"c{n:03}")) for n in range(200)]
        await store.customer_import.import_customers(TENANT, imported, [])
        assert (await store.summaries.portfolio(TENANT, request())).stale == 0  # loaded
        clock.set(NOW + timedelta(days=60))
        monkeypatch.setattr(slices, "SLICE_SECONDS", -1.0)  # the build yields after each one
        rebuilding = asyncio.create_task(store.summaries.build(TENANT))
        for _ in range(20):
            await asyncio.sleep(0)
        saved = await store.customers.get(TENANT, "c150")
        assert saved is not None
        saved.renewal_date = NOW.date() + timedelta(days=61)  # renews tomorrow, as of then
        await store.customers.save(saved)
        soon = request(PortfolioQuery(renewals_within=1), clock)
        assert not rebuilding.done()
        assert [
            row.customer_id for row in (await store.summaries.portfolio(TENANT, soon)).page.rows
        ] == ["c150"]
        await rebuilding
        answer = await store.summaries.portfolio(TENANT, request(clock=clock))
        assert answer.stale == 0
        assert answer.bands is not None
        assert answer.bands[Band.RED] == 200  # every one, c150 too: its renewal is near
        assert answer.page.rows[0].customer_id == "c150"  # red, and renewing first


async def test_a_query_building_a_subset_survives_the_index_being_replaced(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with open_store(tmp_path, clock=FixedClock(NOW)) as store:
        imported = [make_customer(TENANT, f"c{n:04}") for n in range(1_200)]
        await store.customer_import.import_customers(TENANT, imported, [])
        assert (await store.summaries.portfolio(TENANT, request())).stored == 1_200  # loaded
        monkeypatch.setattr(slices, "SLICE_SECONDS", -1.0)  # the subset is built in parts
        mine = PortfolioRequest(PortfolioQuery(mine=True), "aad-owner-1", NOW)
        building = asyncio.create_task(store.summaries.portfolio(TENANT, mine))
        await asyncio.sleep(0)
        await asyncio.sleep(0)
        assert not building.done()
        store.summaries._indexes.replaced(TENANT)  # what an import or a build does at its end
        assert (await building).page.total == 1_200


async def test_after_a_build_the_old_index_answers_until_the_new_one_is_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, reads: list[Path]
) -> None:
    clock = FixedClock(NOW)
    with open_store(tmp_path, clock=clock) as store:
        imported = [touched(make_customer(TENANT, f"c{n:03}")) for n in range(200)]
        await store.customer_import.import_customers(TENANT, imported, [])
        assert (await store.summaries.portfolio(TENANT, request())).stale == 0  # loaded
        loaded = len(reads)
        clock.set(NOW + timedelta(days=60))
        monkeypatch.setattr(summary_indexes, "SLICE_SECONDS", -1.0)  # yield after every bucket
        rebuilding = asyncio.create_task(store.summaries.build(TENANT))
        for _ in range(200_000):  # until the rebuilt summaries are being read
            if len(reads) > loaded:
                break
            await asyncio.sleep(0)
        meanwhile = await store.summaries.portfolio(TENANT, request(clock=clock))
        assert not rebuilding.done()  # answered without waiting for the new index
        assert meanwhile.stale == 200  # from the index loaded before the build
        first_read = min(imported, key=lambda c: bucket_of(c.id))  # its bucket is read already
        saved = await store.customers.get(TENANT, first_read.id)
        assert saved is not None
        saved.renewal_date = NOW.date() + timedelta(days=61)  # renews tomorrow, as of then
        await store.customers.save(saved)
        await rebuilding
        after = await store.summaries.portfolio(TENANT, request(clock=clock))
        assert after.stale == 0
        assert len(reads) == loaded * 2
        assert after.page.rows[0].customer_id == saved.id  # the save made during the reload
