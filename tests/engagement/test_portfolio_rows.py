"""Portfolio rows: risk order, filters, argument parsing and paging."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from engagement.health_factors import Band
from engagement.models import Customer, MaturityLevel, Phase
from engagement.portfolio import (
    PortfolioQuery,
    QueryNotUnderstood,
    level_by_label,
    paginate,
    parse_query,
    portfolio_rows,
    select,
)
from tests.support.portfolio import BOB, NOW, TODAY, customer, healthy, license_line, touch


def red(name: str, renewal_days: int | None = None) -> Customer:
    target = customer(name)
    target.licenses = [license_line("E3", 100, 0)]
    target.renewal_date = TODAY + timedelta(days=renewal_days) if renewal_days is not None else None
    return target


def yellow(name: str, renewal_days: int | None = None) -> Customer:
    target = customer(name)
    touch(target, 20)
    target.renewal_date = TODAY + timedelta(days=renewal_days) if renewal_days is not None else None
    return target


def unknown(name: str, renewal_days: int | None = None) -> Customer:
    target = customer(name)
    target.renewal_date = TODAY + timedelta(days=renewal_days) if renewal_days is not None else None
    return target


def test_rows_sort_red_yellow_unknown_green_then_renewal_then_name() -> None:
    customers = [
        healthy("Green A", renewal_days=100),
        unknown("Unknown A"),
        yellow("Yellow B", 300),
        red("Red C"),
        red("Red B", 200),
        red("Red A", 200),
        yellow("Yellow A", 100),  # within 90 days a weak customer would turn red
        unknown("Unknown B", 5),
    ]
    rows = portfolio_rows(customers, NOW)
    assert [row.name for row in rows] == [
        "Red A",
        "Red B",
        "Red C",  # no renewal date: after the dated ones
        "Yellow A",
        "Yellow B",
        "Unknown B",
        "Unknown A",
        "Green A",
    ]
    assert [row.band for row in rows] == [Band.RED] * 3 + [Band.YELLOW] * 2 + [Band.UNKNOWN] * 2 + [
        Band.GREEN
    ]


def test_a_row_has_name_phase_level_band_renewal_and_last_touch() -> None:
    [row] = portfolio_rows([healthy("Contoso", renewal_days=45)], NOW)
    assert row.name == "Contoso"
    assert row.phase == Phase.ASSESS
    assert row.iteration == 2
    assert row.level == MaturityLevel.CLOUD_IS_AN_OPTION  # from the closed iteration
    assert row.renewal_in_days == 45
    assert row.days_since_touch == 2
    [fresh] = portfolio_rows([customer("Fabrikam")], NOW)
    assert (fresh.level, fresh.renewal_in_days, fresh.last_touch) == (None, None, None)


def test_filters_mine_renewals_and_level() -> None:
    rows = portfolio_rows(
        [
            healthy("Mine soon", renewal_days=30),
            healthy("Mine late", renewal_days=120),
            healthy("Bobs soon", owner=BOB, renewal_days=10),
            healthy("Overdue", renewal_days=-3),
            customer("Unassessed"),
        ],
        NOW,
    )

    def names(query: PortfolioQuery, user: str = "aad-ada") -> set[str]:
        return {row.name for row in select(rows, query, user, TODAY)}

    assert names(PortfolioQuery(mine=True)) == {"Mine soon", "Mine late", "Overdue", "Unassessed"}
    assert names(PortfolioQuery(mine=True), user="aad-bob") == {"Bobs soon"}
    assert names(PortfolioQuery(renewals_within=30)) == {"Mine soon", "Bobs soon", "Overdue"}
    assert names(PortfolioQuery(renewals_within=9)) == {"Overdue"}
    assert names(PortfolioQuery(level=MaturityLevel.CLOUD_IS_AN_OPTION)) == {
        "Mine soon",
        "Mine late",
        "Bobs soon",
        "Overdue",
    }
    assert names(PortfolioQuery(level=MaturityLevel.CLOUD_AFFINE)) == set()
    assert names(PortfolioQuery(mine=True, renewals_within=60)) == {"Mine soon", "Overdue"}


@pytest.mark.parametrize(
    ("text", "query"),
    [
        ("", PortfolioQuery()),
        ("all", PortfolioQuery()),
        ("mine", PortfolioQuery(mine=True)),
        ("MY", PortfolioQuery(mine=True)),
        ("renewals 60", PortfolioQuery(renewals_within=60)),
        ("renewals", PortfolioQuery(renewals_within=90)),
        ("renewal 30 days", PortfolioQuery(renewals_within=30)),
        ("renewing 45d", PortfolioQuery(renewals_within=45)),
        ("level 2", PortfolioQuery(level=MaturityLevel.CLOUD_IS_AN_OPTION)),
        ("level Cloud is in use", PortfolioQuery(level=MaturityLevel.CLOUD_IS_IN_USE)),
        ("level affine page 3", PortfolioQuery(level=MaturityLevel.CLOUD_AFFINE, page=3)),
        (
            "mine, renewals 90, level 3, page 2",
            PortfolioQuery(True, 90, MaturityLevel.CLOUD_IS_A_SOLUTION, 2),
        ),
        ("page 4 mine", PortfolioQuery(mine=True, page=4)),
        ("mine 3", PortfolioQuery(mine=True, page=3)),
    ],
)
def test_parse_query_is_forgiving(text: str, query: PortfolioQuery) -> None:
    assert parse_query(text) == query


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("overdue", 'I don\'t know the filter "overdue". Valid filters: `mine`, `renewals <days>`'),
        ("level", "level needs a level name or number"),
        ("level 7", 'I don\'t know the level "7". The levels are: 1. Cloud affine'),
        ("page", "page needs a number"),
        ("page two", 'page needs a number from 0 to 1,000,000, not "two"'),
        ("renewals 99999", "renewals needs a number from 0 to 3,660"),
    ],
)
def test_unknown_filters_are_named_with_the_valid_ones(text: str, message: str) -> None:
    with pytest.raises(QueryNotUnderstood, match="^" + re.escape(message)):
        parse_query(text)


def test_filter_text_reads_back_to_the_same_query() -> None:
    query = PortfolioQuery(True, 60, MaturityLevel.CLOUD_IS_A_SOLUTION, 5)
    assert parse_query(f"{query.filter_text()} page 5") == query
    assert query.describe() == "mine, renewal within 60 days, level Cloud is a solution"


@pytest.mark.parametrize(
    ("text", "level"),
    [
        ("1", MaturityLevel.CLOUD_AFFINE),
        ("cloud_is_an_option", MaturityLevel.CLOUD_IS_AN_OPTION),
        ("Level 3", MaturityLevel.CLOUD_IS_A_SOLUTION),
        ("in use", MaturityLevel.CLOUD_IS_IN_USE),
        ("cloud", None),  # in every label: ambiguous
        ("", None),
    ],
)
def test_levels_by_label(text: str, level: MaturityLevel | None) -> None:
    assert level_by_label(text) == level


@pytest.mark.parametrize(
    ("total", "size", "number", "expected"),
    [
        (0, 10, 1, (1, 1, 0)),
        (1, 10, 1, (1, 1, 1)),
        (10, 10, 1, (1, 1, 10)),
        (11, 10, 2, (2, 2, 1)),
        (500, 10, 50, (50, 50, 10)),
        (500, 10, 51, (50, 50, 10)),  # clamped to the last page
        (500, 10, 0, (1, 50, 10)),
    ],
)
def test_paging(total: int, size: int, number: int, expected: tuple[int, int, int]) -> None:
    rows = portfolio_rows([customer(f"C {i:03}") for i in range(total)], NOW)
    page = paginate(rows, number, size)
    assert (page.number, page.count, len(page.rows)) == expected
    assert page.total == total
    assert page.has_next == (page.number < page.count)
    assert page.has_previous == (page.number > 1)


def test_page_size_must_be_positive() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        paginate([], 1, 0)
