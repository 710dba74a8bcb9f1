"""Dates people type, in English or German: ISO, `31.12.2026`, `31.3.2027`, `12/31/2026`
(`31/12/2026` for German users), `Dec 31 2026`, `31 December 2026`, `31. März 2027`,
`today`/`heute`, `tomorrow`/`morgen`, `in 3 weeks`/`in 3 Wochen`, `next Monday`/`nächsten Montag`.

Month and weekday names and the `in N weeks` patterns come from Babel's locale data (CLDR) for
every supported language, so a German user's English date still works and the other way round
(no word means different dates in the two languages). The language only decides what slashed
dates (`1/2/2027`) mean. Pure: `today` and the language are passed in, never read from a clock or
a context variable.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from functools import cache

from babel import Locale
from babel.dates import get_day_names, get_month_names

LANGUAGES = ("en", "de")
_TODAY = frozenset({"today", "heute"})
_TOMORROW = frozenset({"tomorrow", "morgen"})
# Before a weekday: `next Monday`, `nächsten Montag`, `am Montag` (the weekday's next date).
_NEXT = frozenset({"next", "this", "on", "nächsten", "nächster", "kommenden", "am", "diesen"})
_UNITS_IN_DAYS = {"day": 1, "week": 7, "month": 30}


class DateNotUnderstood(ValueError):
    """The text is not a date in any format we accept; `text` is what was typed (the dialogs word
    the message in the user's language)."""

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.text = text


def parse_date(text: str, today: date, language: str = "en") -> date:
    """The date `text` means, relative to `today` where it is relative.

    Raises DateNotUnderstood when nothing matches or the day does not exist (`31.02.2027`).
    """
    cleaned = " ".join(_fold(text).replace(",", " ").split()).rstrip(".")
    if cleaned in _TODAY:
        return today
    if cleaned in _TOMORROW:
        return today + timedelta(days=1)
    for pattern, unit in _relative_patterns():
        relative = pattern.fullmatch(cleaned)
        if relative:
            return today + timedelta(days=int(relative.group(1)) * _UNITS_IN_DAYS[unit])
    weekday = _weekday(cleaned)
    if weekday is not None:
        return today + timedelta(days=(weekday - today.weekday() - 1) % 7 + 1)
    try:
        return _absolute(cleaned, language)
    except ValueError:
        pass
    raise DateNotUnderstood(text.strip()[:40])


def _fold(text: str) -> str:
    """Case-folded, with `ae`/`oe`/`ue` read as umlauts (`Maerz`, `naechsten`)."""
    folded = text.strip().casefold()
    for plain, umlaut in (("ae", "ä"), ("oe", "ö"), ("ue", "ü")):
        folded = folded.replace(plain, umlaut)
    return folded


def _name_fold(name: str) -> str:
    return _fold(name).rstrip(".")


@cache
def _months() -> dict[str, int]:
    """Every language's month names, wide and abbreviated, folded: {"märz": 3, "dec": 12, ...}."""
    names: dict[str, int] = {}
    for language in LANGUAGES:
        for width in ("wide", "abbreviated"):
            for context in ("format", "stand-alone"):
                for number, name in get_month_names(width, context, language).items():
                    names[_name_fold(name)] = number
    return names


@cache
def _weekdays() -> dict[str, int]:
    """Every language's weekday names, folded, as Python weekdays (Monday 0); wide names only,
    since `So` or `Sun` could end a customer's name."""
    names: dict[str, int] = {}
    for language in LANGUAGES:
        for number, name in get_day_names("wide", "format", language).items():
            names[_name_fold(name)] = number
    return names


@cache
def _relative_patterns() -> tuple[tuple[re.Pattern[str], str], ...]:
    """`in {0} weeks`, `in {0} Wochen`, ... from CLDR's relative-time data, as regexes."""
    patterns: list[tuple[re.Pattern[str], str]] = []
    for language in LANGUAGES:
        fields = Locale.parse(language)._data["date_fields"]
        for unit in _UNITS_IN_DAYS:
            for form in fields[unit]["future"].values():
                before, _, after = _fold(form).partition("{0}")
                regex = re.escape(before) + r"(\d{1,3})" + re.escape(after)
                patterns.append((re.compile(regex), unit))
    return tuple(patterns)


def _weekday(cleaned: str) -> int | None:
    """The weekday of `monday`, `next monday`, `nächsten montag`, `am montag`."""
    words = cleaned.split()
    if len(words) == 2 and words[0] in _NEXT:
        words = words[1:]
    if len(words) != 1:
        return None
    return _weekdays().get(words[0])


def _absolute(cleaned: str, language: str) -> date:
    # Slashes are month first in English; German users get day first, then the English reading.
    slashed = ("%d/%m/%Y", "%m/%d/%Y") if language == "de" else ("%m/%d/%Y",)
    for pattern in ("%Y-%m-%d", "%d.%m.%Y", *slashed, "%Y/%m/%d", "%d.%m.%y"):
        try:
            return datetime.strptime(cleaned, pattern).date()  # noqa: DTZ007 - a date, no time
        except ValueError:
            continue
    words = cleaned.replace(".", " ").split()
    months = _months()
    if len(words) == 3:
        first, second, third = words
        if first in months and second.isdigit() and third.isdigit():  # dec 31 2026
            return date(int(third), months[first], int(second))
        if second in months and first.isdigit() and third.isdigit():  # 31 dec 2026
            return date(int(third), months[second], int(first))
    raise ValueError(cleaned)
