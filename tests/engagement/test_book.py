"""The streaming answers over a book of summaries equal sorting and filtering everything."""

from __future__ import annotations

import random
from datetime import timedelta

import pytest

from engagement.book import (
    NameTally,
    PortfolioRequest,
    PortfolioTally,
    answer_portfolio,
    list_by_name,
)
from engagement.kpis import partner_kpis
from engagement.models import Customer
from engagement.portfolio import PortfolioQuery, paginate, portfolio_rows, select
from engagement.summary import CustomerSummary, summarize
from tests.support.portfolio import BOB, NOW, TODAY, customer, healthy, license_line, touch


def book(size: int) -> list[Customer]:
    chance = random.Random(size)
    customers = []
    for i in range(size):
        kind = chance.randrange(4)
        if kind == 0:
            target = healthy(f"Healthy {i:03}", renewal_days=chance.randrange(-30, 400))
        else:
            target = customer(f"Customer {i:03}", owner=BOB if kind == 1 else customer().owner)
            if kind == 2:
                target.licenses = [license_line("E3", 100, chance.randrange(0, 100))]
            if chance.random() < 0.5:
                touch(target, chance.randrange(0, 60))
            if chance.random() < 0.7:
                target.renewal_date = TODAY + timedelta(days=chance.randrange(-30, 400))
        customers.append(target)
    return customers


def sliced(summaries: list[CustomerSummary], tally: PortfolioTally | NameTally) -> None:
    shuffled = summaries[:]
    random.Random(7).shuffle(shuffled)
    for start in range(0, len(shuffled), 7):
        tally.add_all(shuffled[start : start + 7])


@pytest.mark.parametrize(
    "query",
    [
        PortfolioQuery(),
        PortfolioQuery(page=3),
        PortfolioQuery(page=99),
        PortfolioQuery(mine=True, renewals_within=90),
        PortfolioQuery(renewals_within=0, page=2),
    ],
)
def test_a_page_from_slices_in_any_order_equals_sorting_everything(query: PortfolioQuery) -> None:
    customers = book(80)
    summaries = [summarize(c, NOW) for c in customers]
    request = PortfolioRequest(query, "aad-ada", NOW, page_size=6)
    tally = PortfolioTally(request)
    sliced(summaries, tally)
    answer = tally.answer()

    expected_rows = select(portfolio_rows(customers, NOW), query, "aad-ada", TODAY)
    expected = paginate(expected_rows, query.page, 6)
    assert answer.page == expected
    assert answer.stored == 80
    chosen = {row.customer_id for row in expected_rows}
    assert answer.kpis == partner_kpis([c for c in customers if c.id in chosen], NOW)
    assert answer.bands is not None
    assert sum(answer.bands.values()) == len(expected_rows)
    assert answer == answer_portfolio(summaries, request)


def test_stale_summaries_are_counted() -> None:
    summaries = [summarize(c, NOW - timedelta(days=1)) for c in book(5)]
    answer = answer_portfolio(summaries, PortfolioRequest(PortfolioQuery(), "x", NOW))
    assert answer.stale == 5


def test_names_from_slices_are_the_first_by_name_with_the_total() -> None:
    summaries = [summarize(c, NOW) for c in book(60)]
    tally = NameTally("customer 0", limit=4)
    sliced(summaries, tally)
    listing = tally.answer()
    matching = sorted(s.name for s in summaries if "customer 0" in s.name.casefold())
    assert [s.name for s in listing.summaries] == matching[:4]
    assert listing.total == len(matching) > 4
    assert listing == list_by_name(summaries, "Customer 0", 4)
