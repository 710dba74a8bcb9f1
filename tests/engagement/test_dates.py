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
        ("next Monday", date(2026, 11, 9)),
        ("Wednesday", date(2026, 11, 4)),
    ],
)
def test_accepted_formats(text: str, expected: date) -> None:
    assert parse_date(text, TODAY) == expected
    assert parse_date(text, TODAY, "de") == expected  # English keeps working for German users


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("31. März 2027", date(2027, 3, 31)),
        ("31. Maerz 2027", date(2027, 3, 31)),
        ("31.3.2027", date(2027, 3, 31)),
        ("1. Mai 2027", date(2027, 5, 1)),
        ("3. Okt. 2027", date(2027, 10, 3)),
        ("15 Sept. 2027", date(2027, 9, 15)),
        ("heute", TODAY),
        ("Morgen", date(2026, 11, 3)),
        ("in 3 Wochen", date(2026, 11, 23)),
        ("in 1 Woche", date(2026, 11, 9)),
        ("in 2 Tagen", date(2026, 11, 4)),
        ("in 1 Monat", date(2026, 12, 2)),
        ("in 2 Monaten", date(2027, 1, 1)),
        ("nächsten Montag", date(2026, 11, 9)),
        ("naechsten Montag", date(2026, 11, 9)),
        ("am Freitag", date(2026, 11, 6)),
        ("Montag", date(2026, 11, 9)),  # today is a Monday: the next one
    ],
)
def test_german_dates(text: str, expected: date) -> None:
    assert parse_date(text, TODAY, "de") == expected
    assert parse_date(text, TODAY) == expected  # understood whatever the language


def test_the_language_decides_what_a_slashed_date_means() -> None:
    assert parse_date("1/2/2027", TODAY, "en") == date(2027, 1, 2)
    assert parse_date("1/2/2027", TODAY, "de") == date(2027, 2, 1)
    assert parse_date("31/12/2026", TODAY, "de") == date(2026, 12, 31)
    assert parse_date("12/31/2026", TODAY, "de") == date(2026, 12, 31)


@pytest.mark.parametrize(
    "text",
    ["", "soon", "31.02.2027", "2026-13-01", "in weeks", "Dec 2026", "in 3 Jahren", "So", "bald"],
)
def test_unreadable_dates_name_the_text(text: str) -> None:
    for language in ("en", "de"):
        with pytest.raises(DateNotUnderstood) as raised:
            parse_date(text, TODAY, language)
        assert raised.value.text == text
