"""`portfolio`, `kpis`, `portfolio renewals N` and `customers` answer the same on both stores.

The TinyDB store streams its summary files through `engagement.book`'s tallies; the PostgreSQL
store answers with SQL over `customer_summaries`. Both must give exactly what the domain gives
over every customer (`answer_portfolio` / `list_by_name` over `summarize`): rows, order, page,
counts, KPIs and health bands, for every filter.
"""

from __future__ import annotations

import random
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import pytest

from engagement.book import PortfolioAnswer, PortfolioRequest, answer_portfolio, list_by_name
from engagement.clock import FixedClock
from engagement.models import Customer, LifecycleStage, MaturityLevel, RenewalOutcome
from engagement.portfolio import PortfolioQuery
from engagement.summary import summarize
from store import Store, open_store
from store.pg import PostgresStore
from tests.support.portfolio import (
    ADA,
    BOB,
    NOW,
    TENANT,
    TODAY,
    customer,
    healthy,
    license_line,
    run_iteration,
    satisfied,
    touch,
)
from tests.support.postgres import started_pg_store

Backend = Store | PostgresStore


@pytest.fixture(params=["tinydb", "postgres"])
async def backend(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Backend]:
    """Both stores, their summaries computed at NOW."""
    if request.param == "tinydb":
        with open_store(tmp_path / "data", clock=FixedClock(NOW)) as tiny:
            yield tiny
        return
    url = request.getfixturevalue("postgres_url")
    async with started_pg_store(url, clock=FixedClock(NOW)) as pg:
        yield pg


def book(size: int) -> list[Customer]:
    """A varied book: healthy and closed iterations (CSAT, NPS), renewals won and lost, owners,
    levels, stages, licenses, touches, overdue and missing renewal dates, odd names."""
    chance = random.Random(size)
    names = ["Ärzte", "zeta", "Zeta", "alpha", "Álvaro", "ß-Werk", "Contoso", "contoso"]
    customers = []
    for i in range(size):
        name = f"{chance.choice(names)} {i:03}"
        kind = chance.randrange(5)
        if kind == 0:
            target = healthy(name, owner=chance.choice([ADA, BOB]), renewal_days=i % 400 - 30)
        else:
            target = customer(name, owner=BOB if kind == 1 else ADA, created_days_ago=40)
            if kind == 2:
                target.licenses = [license_line("E3", 100, chance.randrange(0, 100))]
            if kind == 3:
                clock = FixedClock(NOW - timedelta(days=chance.randrange(5, 500)))
                run_iteration(
                    target,
                    clock,
                    level=chance.choice(list(MaturityLevel)),
                    satisfaction=satisfied(
                        chance.randrange(1, 6), chance.randrange(1, 6), 4, chance.randrange(11)
                    ),
                )
            if chance.random() < 0.5:
                touch(target, chance.randrange(0, 60))
            if chance.random() < 0.7:
                target.renewal_date = TODAY + timedelta(days=chance.randrange(-30, 400))
        if chance.random() < 0.2:
            target.stage = chance.choice(list(LifecycleStage))
        if chance.random() < 0.2:
            renewed = chance.random() < 0.5
            target.renewals = [
                RenewalOutcome(
                    renewal_date=TODAY - timedelta(days=20),
                    renewed=renewed,
                    reason="" if renewed else chance.choice(["price", "budget", "moved"]),
                    by=ADA,
                    at=NOW - timedelta(days=chance.randrange(1, 400)),
                )
            ]
        customers.append(target)
    return customers


QUERIES = [
    PortfolioQuery(),
    PortfolioQuery(page=2),
    PortfolioQuery(page=99),
    PortfolioQuery(mine=True),
    PortfolioQuery(renewals_within=90),
    PortfolioQuery(renewals_within=0, page=2),
    PortfolioQuery(level=MaturityLevel.CLOUD_IS_AN_OPTION),
    PortfolioQuery(stage=LifecycleStage.LAND),
    PortfolioQuery(mine=True, renewals_within=400, level=MaturityLevel.CLOUD_AFFINE),
]


def same(found: PortfolioAnswer, wanted: PortfolioAnswer) -> None:
    assert found.page == wanted.page
    assert (found.stored, found.stale, found.bands) == (wanted.stored, wanted.stale, wanted.bands)
    if wanted.kpis is None or found.kpis is None:
        assert found.kpis is wanted.kpis
        return
    assert found.kpis.csat_average == pytest.approx(wanted.kpis.csat_average)
    assert found.kpis.__dict__ | {"csat_average": 0} == wanted.kpis.__dict__ | {"csat_average": 0}


async def test_portfolio_and_kpis_answer_as_the_domain(backend: Backend) -> None:
    for target in book(90):
        await backend.customers.add(target)
    await backend.customers.add(customer("Elsewhere", tenant_id="another-tenant"))
    stored = [summarize(c, NOW) for c in await backend.customers.list(TENANT)]
    assert stored
    for owner in (ADA, BOB):
        owned = sorted(s.customer_id for s in stored if s.owner_id == owner.id)
        assert owned
        assert await backend.summaries.owned_by(TENANT, owner.id) == owned
    assert await backend.summaries.owned_by("another-tenant", BOB.id) == []
    for query in QUERIES:
        for figures in (True, False):
            request = PortfolioRequest(query, ADA.id, NOW, page_size=7, figures=figures)
            found = await backend.summaries.portfolio(TENANT, request)
            same(found, answer_portfolio(stored, request))
    listing = await backend.summaries.by_name(TENANT, contains="ZETA", limit=6)
    wanted = list_by_name(stored, "ZETA", 6)
    assert [s.customer_id for s in listing.summaries] == [s.customer_id for s in wanted.summaries]
    assert listing.summaries == wanted.summaries
    assert listing.total == wanted.total


async def test_a_save_and_an_import_move_the_customer_in_the_portfolio(backend: Backend) -> None:
    quiet = await backend.customers.add(customer("Quiet", created_days_ago=3))
    await backend.customers.add(healthy("Happy"))
    request = PortfolioRequest(PortfolioQuery(renewals_within=30), ADA.id, NOW)
    assert (await backend.summaries.portfolio(TENANT, request)).page.total == 0

    quiet.renewal_date = TODAY + timedelta(days=10)
    await backend.customers.save(quiet)
    answer = await backend.summaries.portfolio(TENANT, request)
    assert [row.name for row in answer.page.rows] == ["Quiet"]
    assert answer.page.rows[0].renewal_in_days == 10

    imported = customer("Imported")
    imported.renewal_date = TODAY + timedelta(days=5)
    await backend.customer_import.import_customers(TENANT, [imported], [])
    answer = await backend.summaries.portfolio(TENANT, request)
    assert [row.name for row in answer.page.rows] == ["Imported", "Quiet"]
    assert answer.stored == 3
