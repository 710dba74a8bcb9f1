"""Markdown documents: user text can neither break a line nor inject formatting or links."""

from __future__ import annotations

import pytest
from jinja2 import UndefinedError

from cards.text import _environment, escape_markdown, evidence_markdown, render_text


def test_escape_markdown_neutralises_inline_syntax() -> None:
    assert escape_markdown("a | b **c** [x](http://e) `d` <i>\nnext") == (
        "a \\| b \\*\\*c\\*\\* \\[x\\](http://e) \\`d\\` \\<i\\> next"
    )


def test_sow_lines_survive_hostile_text() -> None:
    hostile = "Evil | Corp **x** [y](http://z)\n- injected"
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
    goal_lines = [line for line in text.splitlines() if line.startswith("1. ")]
    assert len(goal_lines) == 1  # the newline in the title did not start a list item
    assert "\n- injected" not in text
    assert "[y](http://z)" not in text  # no link or bold from user text
    assert "**x**" not in text


@pytest.mark.parametrize(
    ("evidence", "expected"),
    [
        (
            "https://contoso.example/report",
            "[https://contoso.example/report](https://contoso.example/report)",
        ),
        ("see https://x.example", "see https://x.example"),
        ("[x](javascript:alert(1))", "\\[x\\](javascript:alert(1))"),
        ("https://x.example/a)b", "https://x.example/a)b"),
    ],
)
def test_only_a_plain_web_address_becomes_a_link(evidence: str, expected: str) -> None:
    assert evidence_markdown(evidence) == expected


def test_missing_values_raise() -> None:
    with pytest.raises(UndefinedError):
        render_text("sow", customer="x")


def test_text_templates_are_compiled_once_without_file_checks_per_render() -> None:
    assert not _environment().auto_reload
