"""Summary cards (proof of execution, account status, history): facts, lines, an optional chart.

Same rules as `cards.library`: text in TextRuns, fitted under the size limit. A chart is a Teams
chart element built here from numbers and labels, always with a plain fallback for clients that
cannot draw it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from cards.forms import Button, _actions
from cards.library import URL_CHARS, _fitted, _Limits
from cards.renderer import render_card

MAX_SECTIONS = 5
MAX_FACTS = 8
MAX_LINES = 10
MAX_POINTS = 12
LEVEL_COUNT = 4  # the framework's maturity levels
MAX_TREND = 6  # the last iterations shown on the level trend
FILLED, EMPTY = "■", "□"


@dataclass(frozen=True)
class Fact:
    """A label and its value; `color` is a text color: default, good, warning or attention."""

    label: str
    value: str
    color: str = "default"


@dataclass(frozen=True)
class Section:
    """A heading with facts and lines under it."""

    heading: str
    facts: Sequence[Fact] = ()
    lines: Sequence[str] = ()


@dataclass(frozen=True)
class LinePoint:
    """One point of a line chart: a label (e.g. "Iteration 2") and a value."""

    label: str
    value: float
    value_text: str


@dataclass(frozen=True)
class LevelStep:
    """One iteration on the level trend: "Iteration 2", its level's name and rank (0: none yet)."""

    label: str
    level: str
    rank: int


@dataclass(frozen=True)
class SummaryView:
    """A whole summary card."""

    title: str
    subtitle: str
    sections: Sequence[Section]
    buttons: Sequence[Button] = ()
    chart_title: str = ""
    points: Sequence[LinePoint] = field(default_factory=tuple)
    # The maturity level per iteration, by name, with a bar of LEVEL_COUNT cells.
    levels_title: str = ""
    levels: Sequence[LevelStep] = field(default_factory=tuple)


def _chart(view: SummaryView, lim: _Limits) -> dict[str, Any] | None:
    points = list(view.points)[-MAX_POINTS:]
    if not points:
        return None
    fallback_rows = [
        {
            "type": "RichTextBlock",
            "spacing": "None",
            "inlines": [
                {"type": "TextRun", "text": f"{lim.short(p.label)}: {lim.short(p.value_text)}"}
            ],
        }
        for p in points
    ]
    return {
        "type": "Chart.Line",
        "title": lim.short(view.chart_title),
        "spacing": "Medium",
        "data": [
            {
                "legend": lim.short(view.chart_title),
                "values": [{"x": lim.short(p.label), "y": p.value} for p in points],
            }
        ],
        "fallback": {"type": "Container", "items": fallback_rows},
    }


_URL = re.compile(r"https?://[^\s()<>]+")


def _line_runs(text: str) -> list[dict[str, Any]]:
    """A line as text runs; a web address in it (evidence, materials) opens when tapped."""
    runs: list[dict[str, Any]] = []
    position = 0
    for match in _URL.finditer(text):
        url = match.group().rstrip(".,;:")
        if len(url) > URL_CHARS:
            continue
        if match.start() > position:
            runs.append({"type": "TextRun", "text": text[position : match.start()]})
        link = {"type": "Action.OpenUrl", "url": url}
        runs.append({"type": "TextRun", "text": url, "color": "Accent", "selectAction": link})
        position = match.start() + len(url)
    if position < len(text):
        runs.append({"type": "TextRun", "text": text[position:]})
    return runs


def _run(text: str, **style: Any) -> dict[str, Any]:
    return {"type": "RichTextBlock", "inlines": [{"type": "TextRun", "text": text, **style}]}


def _level_trend(view: SummaryView, lim: _Limits) -> dict[str, Any] | None:
    """Iteration by iteration: its name, its level by name, and how far up the four levels it is
    (■■□□). Plain text in columns: every client shows it (a line chart of one point is a dot)."""
    # A card of the most and longest items shown has room for the last two iterations only.
    steps = list(view.levels)[-(MAX_TREND if lim.scale > 0 else 2) :]
    if not steps:
        return None
    rows: list[dict[str, Any]] = [_run(lim.short(view.levels_title), weight="Bolder")]
    for step in steps:
        rank = max(0, min(step.rank, LEVEL_COUNT))
        bar = {
            "type": "RichTextBlock",
            "inlines": [
                {"type": "TextRun", "text": FILLED * rank, "color": "Accent"},
                {"type": "TextRun", "text": EMPTY * (LEVEL_COUNT - rank), "isSubtle": True},
            ],
        }
        level = lim.short(step.level)
        columns = [
            {"type": "Column", "width": 2, "items": [_run(lim.short(step.label), isSubtle=True)]},
            {"type": "Column", "width": 3, "items": [_run(level, weight="Bolder")]},
            {"type": "Column", "width": 1, "items": [bar]},
        ]
        rows.append({"type": "ColumnSet", "spacing": "Small", "columns": columns})
    return {"type": "Container", "spacing": "Medium", "items": rows}


def summary_card(view: SummaryView) -> dict[str, Any]:
    """Render a summary card."""

    def build(lim: _Limits) -> dict[str, Any]:
        sections = [
            {
                "heading": lim.short(s.heading),
                "facts": [
                    {"label": lim.short(f.label), "value": lim.line(f.value), "color": f.color}
                    for f in list(s.facts)[:MAX_FACTS]
                ],
                "lines": [_line_runs("• " + lim.line(line)) for line in list(s.lines)[:MAX_LINES]],
            }
            for s in list(view.sections)[:MAX_SECTIONS]
        ]
        return render_card(
            "summary",
            title=lim.short(view.title),
            subtitle=lim.line(view.subtitle),
            chart=_chart(view, lim),
            trend=_level_trend(view, lim),
            sections=sections,
            actions=_actions(view.buttons, lim),
        )

    return _fitted("summary", build)
