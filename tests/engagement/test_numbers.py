"""Whole numbers people type, in each language's grouping."""

from __future__ import annotations

import pytest

from engagement.numbers import NumberNotUnderstood, parse_count


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        ("1000", "en", 1000),
        ("1,000", "en", 1000),
        ("1_000", "en", 1000),
        ("-5", "en", -5),
        ("0", "en", 0),
        ("1000", "de", 1000),
        ("1.000", "de", 1000),
        ("1.250.000", "de", 1_250_000),
        ("1_000", "de", 1000),
        ("+7", "de", 7),
    ],
)
def test_whole_numbers_in_each_language(text: str, language: str, expected: int) -> None:
    assert parse_count(text, language) == expected


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("1.000", "en"),  # a decimal point: not a whole number
        ("1,000", "de"),  # a decimal comma: one or a thousand? refused, not guessed
        ("4,5", "de"),
        ("1.0000", "de"),  # misplaced grouping
        ("10,00", "en"),
        ("zehn", "de"),
        ("", "en"),
        ("1 000", "de"),
        ("1234567890123", "en"),
    ],
)
def test_what_is_not_a_whole_number_is_refused(text: str, language: str) -> None:
    with pytest.raises(NumberNotUnderstood) as raised:
        parse_count(text, language)
    assert raised.value.text == text.strip()[:20]
