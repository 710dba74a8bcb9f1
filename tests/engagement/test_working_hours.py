"""Working hours across time zones, weekends, daylight saving and invalid zone names."""

from __future__ import annotations

from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

import pytest

from engagement.reminders import ReminderPolicy
from engagement.working_hours import WorkingHours, resolve_zone

BERLIN = ZoneInfo("Europe/Berlin")
LOS_ANGELES = ZoneInfo("America/Los_Angeles")
HOURS = WorkingHours(time(9), time(17))


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


@pytest.mark.parametrize(
    ("now", "zone", "expected"),
    [
        # Monday 2 Nov 2026: Berlin is UTC+1, Los Angeles UTC-8.
        ("2026-11-02T09:30", BERLIN, "2026-11-02T09:30"),  # 10:30 in Berlin: now
        ("2026-11-02T07:59", BERLIN, "2026-11-02T08:00"),  # 08:59: at nine
        ("2026-11-02T08:00", BERLIN, "2026-11-02T08:00"),  # 09:00 sharp: now
        ("2026-11-02T15:59", BERLIN, "2026-11-02T15:59"),  # 16:59: still now
        ("2026-11-02T16:00", BERLIN, "2026-11-03T08:00"),  # 17:00: tomorrow at nine
        ("2026-11-02T09:30", LOS_ANGELES, "2026-11-02T17:00"),  # 01:30 in LA: at nine there
        ("2026-11-03T00:30", LOS_ANGELES, "2026-11-03T00:30"),  # Mon 16:30 in LA: now
        ("2026-11-03T01:00", LOS_ANGELES, "2026-11-03T17:00"),  # Mon 17:00 in LA: Tuesday
        ("2026-11-06T16:30", BERLIN, "2026-11-09T08:00"),  # Friday 17:30: Monday
        ("2026-11-07T10:00", BERLIN, "2026-11-09T08:00"),  # Saturday: Monday
        ("2026-11-08T23:30", BERLIN, "2026-11-09T08:00"),  # Monday 00:30 already: at nine
        ("2026-11-07T03:00", LOS_ANGELES, "2026-11-09T17:00"),  # Friday 19:00 in LA: Monday
        ("2026-03-30T06:30", BERLIN, "2026-03-30T07:00"),  # after the spring change: UTC+2
        ("2026-10-26T07:30", BERLIN, "2026-10-26T08:00"),  # after the autumn change: UTC+1
    ],
)
def test_next_send_time_in_the_recipients_zone(now: str, zone: ZoneInfo, expected: str) -> None:
    assert HOURS.next_send_time(utc(now), zone) == utc(expected)
    assert HOURS.allows(utc(now), zone) is (now == expected)


def test_weekends_can_be_allowed() -> None:
    saturday = utc("2026-11-07T10:00")
    weekends = WorkingHours(time(9), time(17), weekends=True)
    assert weekends.allows(saturday, BERLIN)
    assert weekends.next_send_time(utc("2026-11-07T18:00"), BERLIN) == utc("2026-11-08T08:00")


def test_next_day_opening_skips_the_rest_of_today_and_the_weekend() -> None:
    assert HOURS.next_day_opening(utc("2026-11-02T07:00"), BERLIN) == utc("2026-11-03T08:00")
    assert HOURS.next_day_opening(utc("2026-11-06T10:00"), BERLIN) == utc("2026-11-09T08:00")


@pytest.mark.parametrize(
    "name", [None, "", "Mars/Olympus", "../../etc/passwd", "Europe", "Berlin", "x" * 500, "\x00"]
)
def test_an_invalid_zone_falls_back_to_the_default(name: str | None) -> None:
    assert resolve_zone(name, "Europe/Berlin") == BERLIN
    assert ReminderPolicy(default_time_zone="America/Los_Angeles").zone(name) == LOS_ANGELES


def test_a_valid_zone_is_used() -> None:
    assert resolve_zone("America/Los_Angeles", "Europe/Berlin") == LOS_ANGELES


def test_an_invalid_default_zone_is_a_configuration_error() -> None:
    with pytest.raises(ValueError, match="Nowhere/Land"):
        resolve_zone(None, "Nowhere/Land")


def test_windows_must_not_wrap_midnight() -> None:
    with pytest.raises(ValueError, match="start before"):
        WorkingHours(time(22), time(6))


def test_policy_working_hours_follow_its_settings() -> None:
    policy = ReminderPolicy(
        working_hours_start=time(8), working_hours_end=time(12), weekend_sending=True
    )
    assert policy.working_hours == WorkingHours(time(8), time(12), weekends=True)


def test_now_must_be_aware() -> None:
    with pytest.raises(ValueError, match="aware"):
        HOURS.next_send_time(datetime(2026, 11, 2, 9), BERLIN)  # noqa: DTZ001 (on purpose)
