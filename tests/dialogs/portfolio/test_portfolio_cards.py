"""Portfolio, KPI and health cards: shape, charts with fallbacks, hostile text, the 28 KB limit,
and paging through 0, 1 and 500 customers."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest

from cards.library import ELLIPSIS, wire_size
from cards.portfolio import (
    ChartSlice,
    HealthFactorView,
    HealthView,
    KpiView,
    PortfolioRowView,
    PortfolioView,
    health_card,
    portfolio_card,
)
from cards.renderer import MAX_CARD_BYTES, CardRenderError, card_size, render_card
from dialogs.portfolio.portfolio_commands import portfolio_command
from engagement.models import Customer
from engagement.portfolio import parse_query
from tests.support.cards import BIG, HOSTILE, MARK, of_type, strings, walk
from tests.support.portfolio import (
    BOB,
    NOW,
    TENANT,
    TODAY,
    MemoryCustomers,
    customer,
    healthy,
    license_line,
    touch,
)

Card = dict[str, Any]


def runs(card: Card) -> list[str]:
    return [run["text"] for run in of_type(card, "TextRun")]


def assert_card(card: Card) -> None:
    """Adaptive Card 1.5, no view text in Markdown, charts with fallbacks, under 28 KB."""
    assert card["type"] == "AdaptiveCard"
    assert card["version"] == "1.5"
    assert json.loads(json.dumps(card)) == card
    for element in walk(card):
        if element.get("type") == "TextBlock":
            assert element["wrap"] is True
            assert MARK not in element["text"]
        if str(element.get("type", "")).startswith("Chart."):
            assert "fallback" in element
        if element.get("type") == "Action.Submit":
            assert element["title"]
            assert isinstance(element["data"], dict)
    assert card_size(card) <= wire_size(card) <= MAX_CARD_BYTES


def row_view(text: str, i: int = 0) -> PortfolioRowView:
    return PortfolioRowView(
        name=text,
        phase_level=text,
        band=("red", "yellow", "green", "unknown", "purple")[i % 5],
        score_text=str(i),
        renewal=text,
        last_touch=text,
        health_data={"action": "run_command", "command": "health", "argument": f"c-{i}"},
    )


def portfolio_view(text: str, n: int) -> PortfolioView:
    return PortfolioView(
        title=text,
        scope=text,
        rows=[row_view(text, i) for i in range(n)],
        page=2,
        pages=3,
        total=n,
        empty_text=text,
        level_chart=[ChartSlice(text, i + 1, str(i % 5)) for i in range(n)],
        band_chart=[ChartSlice(text, i + 1, "red") for i in range(n)],
        kpis=KpiView(text, [(text, text)] * n),
        next_data={"action": "run_command", "command": "portfolio", "argument": "page 3"},
        previous_data={"action": "run_command", "command": "portfolio", "argument": "page 1"},
    )


def health_view(text: str, n: int, score: int | None = 42) -> HealthView:
    return HealthView(
        customer_name=text,
        score=score,
        band="yellow",
        summary=[text] * n,
        factors=[HealthFactorView(text, "red", text, text, text, text) for _ in range(n)],
        portfolio_data={"action": "run_command", "command": "portfolio"},
    )


# ---------------------------------------------------------------- card shape and text safety


@pytest.mark.parametrize("n", [0, 1, 3, 10])
def test_portfolio_card_keeps_hostile_text_exactly(n: int) -> None:
    card = portfolio_card(portfolio_view(HOSTILE, n))
    assert_card(card)
    assert HOSTILE in set(strings(card))
    for value in strings(card):
        if MARK in value:
            assert value == HOSTILE


@pytest.mark.parametrize("n", [0, 1, 3, 10])
def test_health_card_keeps_hostile_text_exactly(n: int) -> None:
    card = health_card(health_view(HOSTILE, n))
    assert_card(card)
    assert HOSTILE in set(runs(card))


@pytest.mark.parametrize("n", [0, 3, 25, 60])
def test_ten_kb_texts_are_clipped_to_fit(n: int) -> None:
    for card in (portfolio_card(portfolio_view(BIG, n)), health_card(health_view(BIG, n))):
        assert_card(card)
        for value in strings(card):
            if MARK in value:
                assert value.endswith(ELLIPSIS)
                assert BIG.startswith(value.removesuffix(ELLIPSIS))


def test_huge_submit_data_fails_loudly() -> None:
    view = portfolio_view("x", 1)
    view = PortfolioView(**{**view.__dict__, "next_data": {"blob": "x" * MAX_CARD_BYTES}})
    with pytest.raises(CardRenderError, match=r"portfolio\.json\.j2.*bytes"):
        portfolio_card(view)


@pytest.mark.parametrize("name", ["portfolio", "health"])
def test_missing_values_raise(name: str) -> None:
    with pytest.raises(CardRenderError, match="is undefined"):
        render_card(name)


def test_charts_are_a_donut_and_a_pie_with_legend_value_color_and_text_fallbacks() -> None:
    view = PortfolioView(
        title="Portfolio",
        scope="All customers",
        rows=[],
        page=1,
        pages=1,
        total=5,
        level_chart=[ChartSlice("Cloud affine", 2, "1"), ChartSlice("Not assessed", 3, "none")],
        band_chart=[ChartSlice("Red", 1, "red"), ChartSlice("Green", 4, "green")],
    )
    card = portfolio_card(view)
    [donut] = of_type(card, "Chart.Donut")
    [pie] = of_type(card, "Chart.Pie")
    assert donut["data"] == [
        {"legend": "Cloud affine", "value": 2, "color": "categoricalRed"},
        {"legend": "Not assessed", "value": 3, "color": "neutral"},
    ]
    assert pie["data"] == [
        {"legend": "Red", "value": 1, "color": "attention"},
        {"legend": "Green", "value": 4, "color": "good"},
    ]
    assert runs(donut["fallback"]) == ["Cloud affine", ": ", "2", "Not assessed", ": ", "3"]
    assert runs(pie["fallback"]) == ["Red", ": ", "1", "Green", ": ", "4"]


def test_health_card_shows_gauge_with_fallback_or_nothing_when_unknown() -> None:
    card = health_card(health_view("Contoso", 2, score=74))
    [gauge] = of_type(card, "Chart.Gauge")
    assert (gauge["value"], gauge["min"], gauge["max"]) == (74, 0, 100)
    assert gauge["fallback"]["text"] == "Score 74 of 100 (Yellow)"
    unknown = health_card(health_view("Contoso", 2, score=None))
    assert of_type(unknown, "Chart.Gauge") == []
    assert "Unknown" in runs(unknown)
    assert [a["title"] for a in card["actions"]] == ["Portfolio"]


def test_a_row_reads_on_a_phone_and_opens_the_health_card() -> None:
    row = PortfolioRowView(
        name="Contoso",
        phase_level="Iteration 2 · deliver · Cloud is a solution",
        band="red",
        score_text="31",
        renewal="renews in 45 days (17 Dec 2026)",
        last_touch="touched 3 days ago",
        health_data={"action": "run_command", "command": "health", "argument": "contoso"},
    )
    view = PortfolioView("Portfolio", "All customers", [row], 1, 1, 1)
    card = portfolio_card(view)
    [container] = [c for c in of_type(card, "Container") if "selectAction" in c]
    assert runs(container) == [
        "Contoso",
        "  ",
        "Red 31",
        "Iteration 2 · deliver · Cloud is a solution",
        "renews in 45 days (17 Dec 2026)",
        " | ",
        "touched 3 days ago",
    ]
    assert of_type(container, "ColumnSet") == []  # stacked, never side by side
    assert container["selectAction"]["data"] == row.health_data
    badge = next(r for r in of_type(container, "TextRun") if r["text"] == "Red 31")
    assert badge["color"] == "Attention"
    assert "actions" not in card


# ---------------------------------------------------------------- paging 0, 1 and 500 customers


async def pages_of(repository: MemoryCustomers, argument: str = "") -> list[Card]:
    """Every page, following the Next page buttons from page 1."""
    cards = []
    while True:
        card = await portfolio_command(argument, TENANT, "aad-ada", NOW, repository)
        assert isinstance(card, dict)
        assert_card(card)
        cards.append(card)
        nexts = [a for a in card.get("actions", []) if a["title"] == "Next page"]
        if not nexts:
            return cards
        data = nexts[0]["data"]
        assert (data["action"], data["command"]) == ("run_command", "portfolio")
        assert parse_query(data["argument"]).page == len(cards) + 1
        argument = data["argument"]


def names_on(card: Card) -> list[str]:
    return [
        c["items"][0]["inlines"][0]["text"]
        for c in of_type(card, "Container")
        if "selectAction" in c
    ]


async def test_no_customers_gives_one_small_page_with_a_hint() -> None:
    [card] = await pages_of(MemoryCustomers())
    assert "No customers yet. Type assess <name> or quick check <name> to add one." in runs(card)
    assert "Page 1 of 1 · 0 customers" in runs(card)
    assert of_type(card, "Chart.Donut") == []
    assert "actions" not in card


async def test_one_customer_is_one_page_with_charts_and_kpis() -> None:
    [card] = await pages_of(MemoryCustomers([healthy("Contoso", renewal_days=45)]))
    assert names_on(card) == ["Contoso"]
    assert "Page 1 of 1 · 1 customer" in runs(card)
    assert len(of_type(card, "Chart.Donut")) == 1
    assert len(of_type(card, "Chart.Pie")) == 1
    assert "Renewing within 90 days" in runs(card)


def many(count: int) -> list[Customer]:
    customers = []
    for i in range(count):
        name = f"Customer {i:03} " + "Ä" * 80  # 96 characters, non-ASCII: the widest names
        kind = i % 4
        if kind == 0:
            item = healthy(name, renewal_days=i % 300)
        elif kind == 1:
            item = customer(name, created_days_ago=i % 90)
            item.licenses = [license_line("E3", 100, i % 100)]
        elif kind == 2:
            item = customer(name, owner=BOB)
            touch(item, i % 40)
            item.renewal_date = TODAY + timedelta(days=i % 200)
        else:
            item = customer(name)
        customers.append(item)
    return customers


async def test_500_customers_page_under_28_kb_and_every_customer_appears_once() -> None:
    repository = MemoryCustomers(many(500))
    cards = await pages_of(repository)
    assert len(cards) == 50
    shown = [name for card in cards for name in names_on(card)]
    assert len(shown) == 500
    assert len(set(shown)) == 500
    assert max(wire_size(card) for card in cards) <= MAX_CARD_BYTES
    assert "Page 50 of 50 · 500 customers" in runs(cards[-1])
    assert [a["title"] for a in cards[-1]["actions"]] == ["Previous page"]
    assert [a["title"] for a in cards[1]["actions"]] == ["Previous page", "Next page"]
    assert of_type(cards[1], "Chart.Donut") == []  # charts and KPIs on page 1 only


async def test_paging_keeps_the_filters() -> None:
    repository = MemoryCustomers(many(120))
    cards = await pages_of(repository, "mine renewals 150")
    last = cards[-1]["actions"][0]["data"]
    assert last["argument"].startswith("mine renewals 150 page ")
    shown = [name for card in cards for name in names_on(card)]
    assert shown
    assert f"Filtered: mine, renewal within 150 days ({len(shown)} of 120)" in runs(cards[0])


async def test_a_page_size_above_the_card_limit_loses_no_customer() -> None:
    repository = MemoryCustomers([customer(f"C {i:02}") for i in range(45)])
    card = await portfolio_command("", TENANT, "aad-ada", NOW, repository, page_size=100)
    assert isinstance(card, dict)
    assert len(names_on(card)) == 20
    assert "Page 1 of 3 · 45 customers" in runs(card)
