"""Summary cards: hostile text intact, charts with fallbacks, size limits."""

from __future__ import annotations

import pytest

from cards.forms import Button
from cards.library import wire_size
from cards.renderer import MAX_CARD_BYTES
from cards.summary import Fact, LevelStep, LinePoint, Section, SummaryView, summary_card
from tests.support.cards import walk

HOSTILE = 'Ada "Bobby" O\'Neil \\ </script> & <b>\n ${user} {{ x }} {% y %} **bold** 🎉'
BIG = (HOSTILE * 200)[:10_240]


def _view(text: str, n: int, *, trend: bool = False) -> SummaryView:
    """A summary with a line chart (readiness), or with the level trend (status, history)."""
    return SummaryView(
        title=text,
        subtitle=text,
        sections=[Section(text, facts=[Fact(text, text, "attention")] * n, lines=[text] * n)]
        * min(max(n, 1), 3),
        buttons=[Button(text, {"action": "run_command", "command": "status", "argument": text})],
        chart_title=text,
        points=[] if trend else [LinePoint(text, float(i % 4 + 1), text) for i in range(n)],
        levels_title=text,
        levels=[LevelStep(text, text, i % 5) for i in range(n)] if trend else [],
    )


@pytest.mark.parametrize("trend", [False, True])
@pytest.mark.parametrize("n", [0, 1, 3])
def test_hostile_text_round_trips(n: int, trend: bool) -> None:
    card = summary_card(_view(HOSTILE, n, trend=trend))
    runs = [node["text"] for node in walk(card) if node.get("type") == "TextRun"]
    assert HOSTILE in runs
    assert card["actions"][0]["data"]["argument"] == HOSTILE
    charts = [node for node in walk(card) if node.get("type") == "Chart.Line"]
    assert len(charts) == (1 if n and not trend else 0)
    assert all(chart["fallback"]["items"] for chart in charts)
    cells = "".join(t for t in runs if t and set(t) <= {"■", "□"})
    assert len(cells) == (4 * n if trend else 0)  # a bar of the four levels per iteration


@pytest.mark.parametrize("trend", [False, True])
def test_huge_text_and_the_most_items_shown_fit(trend: bool) -> None:
    assert wire_size(summary_card(_view(BIG, 8, trend=trend))) <= MAX_CARD_BYTES
    assert wire_size(summary_card(_view(BIG, 30, trend=trend))) <= MAX_CARD_BYTES


def test_long_lists_are_capped() -> None:
    card = summary_card(_view("x", 30, trend=True))
    assert len([n for n in walk(card) if n.get("type") == "ColumnSet"]) <= 3 * 8 + 2 * 6
    assert wire_size(card) <= MAX_CARD_BYTES
