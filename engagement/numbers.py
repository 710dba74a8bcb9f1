"""Whole numbers people type, grouped the way their language groups them: `1,000` in English,
`1.000` in German (`1000` and `1_000` in both). Pure; the language is passed in."""

from __future__ import annotations

import re
from decimal import Decimal

from babel.numbers import NumberFormatError, get_decimal_symbol, parse_decimal

MAX_DIGITS = 12
_SHAPE = re.compile(r"[+-]?[\d.,_]{1,20}")


class NumberNotUnderstood(ValueError):
    """The text is not a whole number in the user's language; `text` is what was typed."""

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.text = text


def parse_count(text: str, language: str = "en") -> int:
    """The whole number `text` means in `language` (Babel's grouping and decimal symbols).

    A decimal separator is refused rather than guessed at: `1,000` from a German user could be
    one or a thousand, so both `1,000` (German) and `1.000` (English) raise NumberNotUnderstood.
    """
    cleaned = text.strip()
    if not _SHAPE.fullmatch(cleaned) or get_decimal_symbol(language) in cleaned:
        raise NumberNotUnderstood(cleaned[:20])
    try:
        number = parse_decimal(cleaned.replace("_", ""), language, strict=True)
    except NumberFormatError as error:
        raise NumberNotUnderstood(cleaned[:20]) from error
    if number != number.to_integral_value() or len(str(abs(int(number)))) > MAX_DIGITS:
        raise NumberNotUnderstood(cleaned[:20])
    return int(Decimal(number))
