"""The PostgreSQL summaries: written with every customer, recomputed when a day has passed,
built at start-up when missing, never replaced by an older version."""

from __future__ import annotations

from datetime import timedelta

import psycopg
from store_support import NOW, make_customer

from engagement.book import PortfolioRequest
from engagement.clock import FixedClock
from engagement.health_factors import DEFAULT_POLICY
from engagement.portfolio import PortfolioQuery
from store.pg import PostgresStore
from store.pg.summary_rows import write_summaries
from tests.support.postgres import started_pg_store

TENANT = "tenant-pg-summaries"


def request(clock: FixedClock) -> PortfolioRequest:
    return PortfolioRequest(PortfolioQuery(), "nobody", clock.now(), page_size=5)


async def test_summaries_from_an_earlier_day_are_recomputed_in_the_background(
    postgres_url: str,
) -> None:
    clock = FixedClock(NOW)
    async with started_pg_store(postgres_url, clock=clock) as store:
        for number in range(7):
            await store.customers.add(make_customer(TENANT, f"c{number}"))
        assert (await store.summaries.portfolio(TENANT, request(clock))).stale == 0

        clock.set(NOW + timedelta(days=1))
        answer = await store.summaries.portfolio(TENANT, request(clock))
        assert (answer.stale, answer.stored) == (7, 7)  # answered from yesterday's meanwhile
        assert await store.summaries.refresh_later(TENANT) == 7
        assert (await store.summaries.portfolio(TENANT, request(clock))).stale == 0


async def test_missing_summaries_are_built_when_a_replica_starts(postgres_url: str) -> None:
    clock = FixedClock(NOW)
    async with started_pg_store(postgres_url, clock=clock) as store:
        for number in range(12):
            await store.customers.add(make_customer(TENANT, f"c{number:02}"))
    with psycopg.connect(postgres_url, autocommit=True) as connection:
        connection.execute("DELETE FROM customer_summaries")  # as after migration 0003

    replica = PostgresStore(postgres_url, 2, clock)
    await replica.start()
    try:
        answer = await replica.summaries.portfolio(TENANT, request(clock))
        listing = await replica.summaries.by_name(TENANT, contains="C1")
    finally:
        await replica.close()
    assert answer.stored == 12
    assert [s.customer_id for s in listing.summaries] == ["c10", "c11"]


async def test_an_older_summary_never_replaces_a_newer_one(pg_store: PostgresStore) -> None:
    first = await pg_store.customers.add(make_customer(TENANT, "c1", "First name"))
    first.name = "Second name"
    await pg_store.customers.save(first)
    first.name = "Stale copy"  # still version 1

    async with pg_store.pool.connection() as connection:
        await write_summaries(connection, [first], NOW, DEFAULT_POLICY)
    listing = await pg_store.summaries.by_name(TENANT)
    assert [(s.name, s.version) for s in listing.summaries] == [("Second name", 2)]
