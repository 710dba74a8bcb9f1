"""Dates people type: ISO, `31.12.2026`, `12/31/2026`, `Dec 31 2026`, `31 December 2026`,
`today`, `tomorrow`, `in 3 weeks`. Pure; `today` is passed in, never read from a clock."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("jan", "january", "januar"),
            ("feb", "february", "februar"),
            ("mar", "march", "mär", "märz", "maerz"),
            ("apr", "april"),
            ("may", "mai"),
            ("jun", "june", "juni"),
            ("jul", "july", "juli"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october", "okt", "oktober"),
            ("nov", "november"),
            ("dec", "december", "dez", "dezember"),
        ],
        start=1,
    )
    for name in names
}
_RELATIVE = re.compile(r"^in\s+(\d{1,3})\s+(day|days|week|weeks|month|months)$")
_UNITS_IN_DAYS = {"day": 1, "week": 7, "month": 30}


class DateNotUnderstood(ValueError):
    """The text is not a date in any format we accept."""


def parse_date(text: str, today: date) -> date:
    """The date `text` means, relative to `today` where it is relative.

    Raises DateNotUnderstood with the accepted formats when nothing matches or the day does not
    exist (`31.02.2027`).
    """
    cleaned = " ".join(text.strip().casefold().replace(",", " ").split()).rstrip(".")
    if cleaned in {"today", "heute"}:
        return today
    if cleaned in {"tomorrow", "morgen"}:
        return today + timedelta(days=1)
    relative = _RELATIVE.match(cleaned)
    if relative:
        count, unit = int(relative.group(1)), relative.group(2).rstrip("s")
        return today + timedelta(days=count * _UNITS_IN_DAYS[unit])
    try:
        return _absolute(cleaned)
    except ValueError:
        pass
    raise DateNotUnderstood(
        f"I can't read {text.strip()[:40]!r} as a date. Try 2026-12-31, 31.12.2026, "
        "Dec 31 2026 or 'in 3 weeks'."
    )


def _absolute(cleaned: str) -> date:
    for pattern in ("%Y-%m-%d", "%d.%m.%Y", "%m/%d/%Y", "%Y/%m/%d", "%d.%m.%y"):
        try:
            return datetime.strptime(cleaned, pattern).date()  # noqa: DTZ007 - a date, no time
        except ValueError:
            continue
    words = cleaned.replace(".", " ").split()
    if len(words) == 3:
        first, second, third = words
        if first in _MONTHS and second.isdigit() and third.isdigit():  # dec 31 2026
            return date(int(third), _MONTHS[first], int(second))
        if second in _MONTHS and first.isdigit() and third.isdigit():  # 31 dec 2026
            return date(int(third), _MONTHS[second], int(first))
    raise ValueError(cleaned)
