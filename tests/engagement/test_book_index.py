"""`BookIndex` answers exactly as the tallies over the same summaries, after a load and after
any puts and removes (its order and counters are kept, not recounted)."""

from __future__ import annotations

import asyncio
import random
from collections.abc import AsyncIterator, Sequence
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest

import engagement.book_index as book_index
import engagement.slices as slices
from engagement.book import PortfolioAnswer, PortfolioRequest, answer_portfolio, list_by_name
from engagement.book_index import BookIndex
from engagement.health_factors import Band
from engagement.models import LifecycleStage, MaturityLevel, Phase
from engagement.portfolio import PortfolioQuery
from engagement.summary import CustomerSummary, RenewalFact, ReviewScore

NOW = datetime(2026, 11, 2, 9, 30, tzinfo=UTC)
TODAY = NOW.date()
OWNERS = ["aad-ada", "aad-bob", "aad-carl"]
NAMES = ["Ärzte", "zeta", "Zeta", "alpha", "Álvaro", "ß-Werk", "Contoso", "contoso"]


def summary(number: int, chance: random.Random, version: int = 1) -> CustomerSummary:
    """A varied summary: any band, phase, level, stage, owner; renewals past, soon, far or
    none; reviews and outcomes across fiscal years; health from today or earlier days."""

    def moment() -> datetime:
        return NOW - timedelta(days=chance.randrange(0, 800), hours=chance.randrange(24))

    renewal = TODAY + timedelta(days=chance.randrange(-60, 400)) if chance.random() < 0.8 else None
    return CustomerSummary(
        tenant_id="t",
        customer_id=f"c{number:04}",
        version=version,
        name=f"{chance.choice(NAMES)} {chance.randrange(40):02}",
        owner_id=chance.choice(OWNERS),
        owner_name="Someone",
        iteration=chance.randrange(1, 4),
        phase=chance.choice(list(Phase)),
        level=chance.choice([*MaturityLevel, None]),
        score=chance.choice([None, chance.randrange(101)]),
        band=chance.choice(list(Band)),
        renewal_date=renewal,
        last_touch=moment() if chance.random() < 0.7 else None,
        license_utilisation=None,
        reviews=tuple(
            ReviewScore(moment(), chance.randrange(3, 16) / 3, chance.randrange(11))
            for _ in range(chance.choice([0, 0, 1, 2]))
        ),
        as_of=NOW - timedelta(days=chance.choice([0, 0, 0, 1, 3])),
        renewal_outcomes=tuple(
            RenewalFact(moment(), won, "" if won else chance.choice(["price", "budget"]))
            for won in [chance.random() < 0.5 for _ in range(chance.choice([0, 0, 1]))]
        ),
        stage=chance.choice([*LifecycleStage, None]),
    )


QUERIES = [
    PortfolioQuery(),
    PortfolioQuery(page=2),
    PortfolioQuery(page=999),
    PortfolioQuery(page=0),
    PortfolioQuery(mine=True),
    PortfolioQuery(renewals_within=90),
    PortfolioQuery(renewals_within=0, page=3),
    PortfolioQuery(level=MaturityLevel.CLOUD_IS_AN_OPTION),
    PortfolioQuery(stage=LifecycleStage.LAND),
    PortfolioQuery(mine=True, renewals_within=400, page=2),
    PortfolioQuery(mine=True, renewals_within=30),
    PortfolioQuery(mine=True, level=MaturityLevel.CLOUD_AFFINE),
    PortfolioQuery(renewals_within=180, page=4),
    PortfolioQuery(renewals_within=3660, stage=LifecycleStage.ADOPT),
    PortfolioQuery(level=MaturityLevel.CLOUD_AFFINE, renewals_within=90, page=2),
    PortfolioQuery(level=MaturityLevel.CLOUD_IS_IN_USE, stage=LifecycleStage.LAND),
    PortfolioQuery(stage=LifecycleStage.ADOPT, page=3),
]


def same(found: PortfolioAnswer, wanted: PortfolioAnswer) -> None:
    assert found.page == wanted.page
    assert (found.stored, found.stale, found.bands) == (wanted.stored, wanted.stale, wanted.bands)
    if wanted.kpis is None or found.kpis is None:
        assert found.kpis is wanted.kpis
        return
    assert found.kpis.csat_average == pytest.approx(wanted.kpis.csat_average)
    assert found.kpis.__dict__ | {"csat_average": 0} == wanted.kpis.__dict__ | {"csat_average": 0}


async def agrees(index: BookIndex, summaries: Sequence[CustomerSummary]) -> None:
    """Every answer of the index is the tallies' answer over `summaries`."""
    assert len(index) == len(summaries)
    for query in QUERIES:
        for figures in (True, False):
            for start_month in (7, 1):
                request = PortfolioRequest(
                    query, "aad-ada", NOW, 7, figures=figures, fiscal_start_month=start_month
                )
                same(await index.portfolio(request), answer_portfolio(summaries, request))
    for contains, limit in [("", 50), ("", 3), ("ZETA", 4), ("ä", 100), ("nobody", 5)]:
        assert await index.by_name(contains, limit) == list_by_name(summaries, contains, limit)
    for owner in [*OWNERS, "aad-nobody"]:
        owned = sorted(s.customer_id for s in summaries if s.owner_id == owner)
        assert await index.owned_by(owner) == owned


async def groups_of(
    summaries: Sequence[CustomerSummary], size: int
) -> AsyncIterator[list[CustomerSummary]]:
    for start in range(0, len(summaries), size):
        yield list(summaries[start : start + size])


async def test_a_loaded_index_answers_as_the_tallies() -> None:
    chance = random.Random(3)
    book = [summary(n, chance) for n in range(300)]
    edges = [datetime(2026, 7, 1, tzinfo=UTC), datetime(2027, 7, 1, tzinfo=UTC)]  # FY2027's
    book[0].reviews = tuple(ReviewScore(at, 4.0, 9) for at in edges)
    book[1].renewal_outcomes = tuple(RenewalFact(at, False, "price") for at in edges)
    await agrees(await BookIndex.load(groups_of(book, 37)), book)
    await agrees(await BookIndex.load(groups_of([], 10)), [])


async def test_a_load_in_many_sorted_runs_answers_as_the_tallies(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Groups are sorted in runs of about _LOAD_RUN summaries, then merged."""
    monkeypatch.setattr(book_index, "_LOAD_RUN", 40)
    book = [summary(n, random.Random(n)) for n in range(300)]
    await agrees(await BookIndex.load(groups_of(book, 7)), book)


async def test_puts_and_removes_keep_every_answer_right() -> None:
    chance = random.Random(5)
    book = {s.customer_id: s for s in (summary(n, chance) for n in range(200))}
    index = await BookIndex.load(groups_of(list(book.values()), 50))
    for step in range(300):
        number = chance.randrange(260)  # some new customers, most changed ones
        customer_id = f"c{number:04}"
        old = book.get(customer_id)
        if old is not None and step % 7 == 0:
            index.remove(customer_id)
            del book[customer_id]
            continue
        version = old.version + 1 if old else 1
        book[customer_id] = summary(number, chance, version)
        index.put(book[customer_id])
        if step % 50 == 0:
            await agrees(index, list(book.values()))
    await agrees(index, list(book.values()))


async def test_an_older_version_never_replaces_a_newer_one() -> None:
    chance = random.Random(7)
    newer = summary(1, chance, version=3)
    index = await BookIndex.load(groups_of([newer], 5))
    index.put(replace(newer, version=2, name="Older", renewal_date=date(2020, 1, 1)))
    await agrees(index, [newer])
    same_version = replace(newer, band=Band.RED, as_of=NOW)  # a recomputed health: same version
    index.put(same_version)
    await agrees(index, [same_version])
    index.remove("c9999")  # unknown: nothing happens
    await agrees(index, [same_version])


async def test_changes_while_a_subset_is_built_are_kept(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(slices, "SLICE_SECONDS", -1.0)  # yield after every part
    chance = random.Random(11)
    book = {s.customer_id: s for s in (summary(n, chance) for n in range(2_000))}
    index = await BookIndex.load(groups_of(list(book.values()), 400))
    building = asyncio.gather(
        index.subset(("owner", "aad-ada")),
        index.subset(("level", MaturityLevel.CLOUD_AFFINE)),
        index.subset(("stage", LifecycleStage.ADOPT)),
    )
    await asyncio.sleep(0)
    await asyncio.sleep(0)
    for number in range(0, 2_100, 40):  # owners change both ways, some customers are new
        customer_id = f"c{number:04}"
        version = book[customer_id].version + 1 if customer_id in book else 1
        book[customer_id] = summary(number, chance, version)
        index.put(book[customer_id])
    index.remove("c0001")
    del book["c0001"]
    assert not building.done()  # the changes came while it was built
    await building
    await agrees(index, list(book.values()))
