"""Dates people type."""

from __future__ import annotations

from datetime import date

import pytest

from engagement.dates import DateNotUnderstood, parse_date

TODAY = date(2026, 11, 2)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-12-31", date(2026, 12, 31)),
        ("31.12.2026", date(2026, 12, 31)),
        ("31.12.26", date(2026, 12, 31)),
        ("12/31/2026", date(2026, 12, 31)),
        ("Dec 31 2026", date(2026, 12, 31)),
        ("Dec 31, 2026", date(2026, 12, 31)),
        ("31 December 2026", date(2026, 12, 31)),
        ("31. Dezember 2026", date(2026, 12, 31)),
        ("today", TODAY),
        ("Tomorrow", date(2026, 11, 3)),
        ("in 3 weeks", date(2026, 11, 23)),
        ("in 1 day", date(2026, 11, 3)),
        ("in 2 months", date(2027, 1, 1)),
    ],
)
def test_accepted_formats(text: str, expected: date) -> None:
    assert parse_date(text, TODAY) == expected


@pytest.mark.parametrize("text", ["", "soon", "31.02.2027", "2026-13-01", "in weeks", "Dec 2026"])
def test_unreadable_dates_explain_the_formats(text: str) -> None:
    with pytest.raises(DateNotUnderstood, match="2026-12-31"):
        parse_date(text, TODAY)
