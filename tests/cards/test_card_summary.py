"""Summary cards: hostile text intact, charts with fallbacks, size limits."""

from __future__ import annotations

import pytest

from cards.forms import Button
from cards.library import wire_size
from cards.renderer import MAX_CARD_BYTES
from cards.summary import Fact, LinePoint, Section, SummaryView, summary_card
from tests.support.cards import walk

HOSTILE = 'Ada "Bobby" O\'Neil \\ </script> & <b>\n ${user} {{ x }} {% y %} **bold** 🎉'
BIG = (HOSTILE * 200)[:10_240]


def _view(text: str, n: int) -> SummaryView:
    return SummaryView(
        title=text,
        subtitle=text,
        sections=[Section(text, facts=[Fact(text, text, "attention")] * n, lines=[text] * n)]
        * min(max(n, 1), 3),
        buttons=[Button(text, {"action": "run_command", "command": "status", "argument": text})],
        chart_title=text,
        points=[LinePoint(text, float(i % 4 + 1), text) for i in range(n)],
    )


@pytest.mark.parametrize("n", [0, 1, 3])
def test_hostile_text_round_trips(n: int) -> None:
    card = summary_card(_view(HOSTILE, n))
    runs = [node["text"] for node in walk(card) if node.get("type") == "TextRun"]
    assert HOSTILE in runs
    assert card["actions"][0]["data"]["argument"] == HOSTILE
    charts = [node for node in walk(card) if node.get("type") == "Chart.Line"]
    assert len(charts) == (1 if n else 0)
    assert all(chart["fallback"]["items"] for chart in charts)


def test_huge_text_and_the_most_items_shown_fit() -> None:
    assert wire_size(summary_card(_view(BIG, 8))) <= MAX_CARD_BYTES


def test_long_lists_are_capped() -> None:
    card = summary_card(_view("x", 30))
    assert len([n for n in walk(card) if n.get("type") == "ColumnSet"]) <= 3 * 8
    assert wire_size(card) <= MAX_CARD_BYTES
