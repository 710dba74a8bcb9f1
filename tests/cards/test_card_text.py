"""Markdown documents: user text can neither break a table nor inject formatting or links."""

from __future__ import annotations

import re

import pytest
from jinja2 import UndefinedError

from cards.text import escape_markdown, render_text


def test_escape_markdown_neutralises_inline_syntax() -> None:
    assert escape_markdown("a | b **c** [x](http://e) `d` <i>\nnext") == (
        "a \\| b \\*\\*c\\*\\* \\[x\\](http://e) \\`d\\` \\<i\\> next"
    )


def test_sow_table_survives_hostile_text() -> None:
    hostile = "Evil | Corp **x** [y](http://z)\n| injected |"
    text = render_text(
        "sow",
        customer=hostile,
        iteration=1,
        level="Cloud affine",
        start="2026-12-01",
        end="2027-01-31",
        contact=hostile,
        workshops=[hostile],
        goals=[{"title": hostile, "kpi": hostile, "owner": "partner", "due": "2027-03-31"}],
        factors=[("Scenarios", hostile)],
        agreements=["Partner: not agreed yet"],
    )
    goal_rows = [line for line in text.splitlines() if line.startswith("| 1 |")]
    assert len(goal_rows) == 1
    cells = re.split(r"(?<!\\)\|", goal_rows[0])[1:-1]  # split on unescaped pipes only
    assert len(cells) == 5
    assert "| injected |" not in text


def test_missing_values_raise() -> None:
    with pytest.raises(UndefinedError):
        render_text("sow", customer="x")
