"""Working hours in the recipient's time zone: whether a reminder may be sent now, and when next.

Pure functions of an injected `now` (aware). Time zones are IANA names (`Europe/Berlin`), as
Teams reports them (`localTimezone`, the `clientInfo` entity); an unknown or malformed name falls
back to the default zone, so a bad value from a client never stops reminders.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

SATURDAY = 5
_MAX_NAME_LENGTH = 64


@lru_cache(maxsize=512)
def zone_or_none(name: str) -> ZoneInfo | None:
    """The zone named `name`, or None when the name is not a known IANA zone."""
    if not name or len(name) > _MAX_NAME_LENGTH:
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):  # OSError: a directory such as "Europe"
        return None


def resolve_zone(name: str | None, default: str) -> ZoneInfo:
    """The zone named `name`; the `default` zone when `name` is empty, unknown or malformed.

    Raises:
        ValueError: `default` itself is not a known zone (a configuration error).
    """
    zone = zone_or_none(name) if name else None
    if zone is not None:
        return zone
    fallback = zone_or_none(default)
    if fallback is None:
        raise ValueError(f"unknown default time zone {default!r}")
    return fallback


def start_of_day(day: date, zone: ZoneInfo) -> datetime:
    """Midnight at the start of `day` in `zone`, as an aware UTC datetime."""
    return datetime.combine(day, time(0), tzinfo=zone).astimezone(UTC)


def local_date(moment: datetime, zone: ZoneInfo) -> date:
    """The calendar date of `moment` in `zone`."""
    return moment.astimezone(zone).date()


@dataclass(frozen=True)
class WorkingHours:
    """When messages may be sent: from `start` to `end` local time, weekdays unless `weekends`.

    Args:
        start: The first minute a message may be sent (local time).
        end: The end of the working day (exclusive).
        weekends: True allows Saturdays and Sundays too.
    """

    start: time = time(9)
    end: time = time(17)
    weekends: bool = False

    def __post_init__(self) -> None:
        if self.start >= self.end:
            raise ValueError("working hours must start before they end (no overnight windows)")

    def allows(self, now: datetime, zone: ZoneInfo) -> bool:
        """True when `now` is inside the working hours of a working day in `zone`."""
        return self.next_send_time(now, zone) == now

    def next_send_time(self, now: datetime, zone: ZoneInfo) -> datetime:
        """`now` if a message may be sent now, else the start of the next working period (UTC)."""
        if now.tzinfo is None:
            raise ValueError("now must be an aware datetime")
        today = local_date(now, zone)
        for offset in range(8):
            day = today + timedelta(days=offset)
            if not self.weekends and day.weekday() >= SATURDAY:
                continue
            opens = datetime.combine(day, self.start, tzinfo=zone).astimezone(UTC)
            closes = datetime.combine(day, self.end, tzinfo=zone).astimezone(UTC)
            if now < opens:
                return opens
            if now < closes:
                return now
        raise AssertionError("a week always has a working day")  # pragma: no cover

    def next_day_opening(self, now: datetime, zone: ZoneInfo) -> datetime:
        """The start of working hours on the next working day after `now`'s local date (UTC)."""
        tomorrow = local_date(now, zone) + timedelta(days=1)
        return self.next_send_time(start_of_day(tomorrow, zone), zone)
