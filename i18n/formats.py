"""Dates, numbers and percentages in the current language (Babel's CLDR data).

    format_date(date(2027, 3, 31))   # "March 31, 2027" / "31. März 2027"
    format_number(4.3)               # "4.3" / "4,3" (one decimal at most, by default)
    format_fixed(2.5)                # "2.50" / "2,50" (always two decimals, by default)
    format_percent(0.75)             # "75%" / "75 %" (German puts a no-break space before %)

Views call these instead of hand formatting, so the language of the turn decides.
"""

from __future__ import annotations

from datetime import date, datetime

from babel import Locale, dates, numbers

from i18n import current_language

_LOCALES = {"en": "en_US", "de": "de_DE"}


def _locale() -> str:
    return _LOCALES.get(current_language(), "en_US")


def format_date(value: date | datetime, form: str = "long") -> str:
    """`March 31, 2027` / `31. März 2027` (`form`: short, medium, long, full or a pattern)."""
    day = value.date() if isinstance(value, datetime) else value
    return str(dates.format_date(day, format=form, locale=_locale()))


def format_number(value: float, decimals: int = 1) -> str:
    """`1,234.5` / `1.234,5`: grouped, at most `decimals` decimals (trailing zeros dropped)."""
    pattern = "#,##0" + ("." + "#" * decimals if decimals > 0 else "")
    return str(numbers.format_decimal(value, format=pattern, locale=_locale()))


def format_fixed(value: float, decimals: int = 2) -> str:
    """`2.50` / `2,50`: exactly `decimals` decimals (a score), not grouped."""
    pattern = "0" + ("." + "0" * decimals if decimals > 0 else "")
    return str(numbers.format_decimal(value, format=pattern, locale=_locale()))


def format_percent(ratio: float, decimals: int = 0) -> str:
    """`75%` / `75 %` for a ratio of 0.75 (the German space is a no-break space, U+00A0)."""
    locale = Locale.parse(_locale())
    pattern = str(locale.percent_formats[None].pattern)  # "#,##0%" / "#,##0\u00a0%"
    if decimals > 0:
        head, tail = pattern.rsplit("0", 1)
        pattern = f"{head}0.{'#' * decimals}{tail}"
    return str(numbers.format_percent(ratio, format=pattern, locale=locale))
