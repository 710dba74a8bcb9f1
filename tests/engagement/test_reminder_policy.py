"""The reminder policy with an injected clock: what is due when, and stable identities."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from pydantic import ValidationError

from engagement.models import Customer, GoalOutcome, GoalStatus, Phase, Review
from engagement.reminder_index import index_time
from engagement.reminder_records import DeliveryRecord, DeliveryState
from engagement.reminders import (
    Reminder,
    ReminderKind,
    ReminderPolicy,
    due_reminders,
    next_due,
    reminder_id,
    upcoming,
)
from tests.support.reminders import NOW, OWNER, customer, in_phase, with_delivery, with_goals

POLICY = ReminderPolicy()
TODAY = NOW.date()


def due_of(
    kind: ReminderKind, made: Customer, at: datetime = NOW, **policy: object
) -> list[Reminder]:
    chosen = ReminderPolicy.model_validate(policy) if policy else POLICY
    return [r for r in due_reminders(made, at, chosen) if r.kind == kind]


def quiet(made: Customer) -> Customer:
    """`made` with a phase entered just now, so no stall reminder interferes."""
    return in_phase(made, made.current.phase, NOW)


# --- check-in ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("days_since_touch", "due"),
    [(0, False), (13, False), (14, True), (15, True), (27, True), (28, True)],
)
def test_check_in_is_due_14_days_after_the_last_touch(days_since_touch: int, due: bool) -> None:
    made = customer(
        created=NOW - timedelta(days=100), touched=[NOW - timedelta(days=days_since_touch)]
    )
    assert bool(due_of(ReminderKind.CHECK_IN, made)) is due


def test_check_in_counts_from_creation_when_never_touched() -> None:
    assert due_of(ReminderKind.CHECK_IN, customer(created=NOW - timedelta(days=14)))
    assert not due_of(ReminderKind.CHECK_IN, customer(created=NOW - timedelta(days=13, hours=23)))


def test_check_in_keeps_its_identity_while_due_and_a_new_one_two_weeks_later() -> None:
    made = customer(created=NOW - timedelta(days=100), touched=[NOW - timedelta(days=14)])
    (at_14,) = due_of(ReminderKind.CHECK_IN, made)
    (at_15,) = due_of(ReminderKind.CHECK_IN, made, NOW + timedelta(days=1))
    (at_28,) = due_of(ReminderKind.CHECK_IN, made, NOW + timedelta(days=14))
    assert at_14.id == at_15.id
    assert at_28.id != at_14.id
    assert at_28.due_on == TODAY + timedelta(days=14)


def test_a_new_touch_ends_the_check_in() -> None:
    made = customer(
        created=NOW - timedelta(days=100),
        touched=[NOW - timedelta(days=20), NOW - timedelta(days=2)],
    )
    assert not due_of(ReminderKind.CHECK_IN, made)
    assert next_due(quiet(made), NOW, POLICY) == NOW + timedelta(days=12)


def test_the_check_in_interval_is_a_setting() -> None:
    made = customer(created=NOW - timedelta(days=100), touched=[NOW - timedelta(days=7)])
    assert due_of(ReminderKind.CHECK_IN, made, check_in_days=7)
    assert not due_of(ReminderKind.CHECK_IN, made, check_in_days=8)


# --- renewal -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("days_to_renewal", "offset"),
    [
        (91, None),
        (90, 90),
        (89, 90),
        (61, 90),
        (60, 60),
        (45, 60),
        (30, 30),
        (1, 30),
        (0, 30),
        (-1, None),
    ],
)
def test_renewal_reminders_come_90_60_and_30_days_ahead(
    days_to_renewal: int, offset: int | None
) -> None:
    made = customer(renewal=TODAY + timedelta(days=days_to_renewal))
    due = due_of(ReminderKind.RENEWAL, made)
    assert [r.offset_days for r in due] == ([offset] if offset else [])


def test_a_renewal_entered_late_gets_only_the_latest_reminder() -> None:
    (due,) = due_of(ReminderKind.RENEWAL, customer(renewal=TODAY + timedelta(days=20)))
    assert due.offset_days == 30
    assert due.target == TODAY + timedelta(days=20)


def test_renewal_offsets_are_a_setting() -> None:
    made = customer(renewal=TODAY + timedelta(days=14))
    (due,) = due_of(ReminderKind.RENEWAL, made, renewal_offsets=(14, 7))
    assert due.offset_days == 14


def test_next_due_is_the_next_renewal_offset() -> None:
    made = customer(created=NOW, touched=[NOW], renewal=TODAY + timedelta(days=91))
    assert next_due(made, NOW, POLICY) == datetime.combine(
        TODAY + timedelta(days=1), datetime.min.time(), tzinfo=UTC
    )


def test_date_reminders_start_at_midnight_in_the_recipients_zone() -> None:
    made = customer(renewal=TODAY + timedelta(days=91))
    at = NOW + timedelta(hours=1)  # 10:30 UTC = 00:30 next day in Kiritimati (UTC+14)
    assert not [r for r in due_reminders(made, at, POLICY) if r.kind == ReminderKind.RENEWAL]
    kiritimati = ZoneInfo("Pacific/Kiritimati")
    (due,) = [r for r in due_reminders(made, at, POLICY, kiritimati) if r.kind == "renewal"]
    assert due.due_on == TODAY + timedelta(days=1)
    assert due.id == reminder_id(made.tenant_id, made.id, "renewal", due.subject, due.due_on)


# --- goals ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("due_in_days", "due", "title_day_offset"),
    [(1, False, None), (0, True, 0), (-3, True, 0), (-7, True, 7), (-8, True, 7), (-14, True, 14)],
)
def test_goal_is_due_on_its_date_then_overdue_weekly(
    due_in_days: int, due: bool, title_day_offset: int | None
) -> None:
    goal_due = TODAY + timedelta(days=due_in_days)
    made = with_goals(customer(), ("g1", goal_due), since=NOW - timedelta(days=5))
    found = due_of(ReminderKind.GOAL_DUE, made)
    assert bool(found) is due
    if found:
        assert found[0].target == goal_due
        assert found[0].due_on == goal_due + timedelta(days=title_day_offset or 0)


def test_an_overdue_goal_reminds_once_when_repeats_are_off() -> None:
    made = with_goals(customer(), ("g1", TODAY - timedelta(days=30)))
    (found,) = due_of(ReminderKind.GOAL_DUE, made, goal_overdue_repeat_days=0)
    assert found.due_on == TODAY - timedelta(days=30)
    assert next_due(made, NOW, ReminderPolicy(goal_overdue_repeat_days=0)) is not None


def test_a_goal_with_an_outcome_is_closed() -> None:
    made = with_goals(customer(), ("g1", TODAY), ("g2", TODAY), phase=Phase.ENSURE)
    made.current.review = Review(
        outcomes=[GoalOutcome(goal_id="g1", status=GoalStatus.ACHIEVED)], by=OWNER, at=NOW
    )
    assert [r.subject for r in due_of(ReminderKind.GOAL_DUE, made)] == ["goal:1:g2"]


@pytest.mark.parametrize("phase", [Phase.CLOSED, Phase.COMMIT, Phase.ASSESS])
def test_goals_are_reminded_only_while_delivering_or_ensuring(phase: Phase) -> None:
    made = with_goals(customer(), ("g1", TODAY - timedelta(days=1)), phase=phase)
    assert not due_of(ReminderKind.GOAL_DUE, made)


def test_goals_of_a_closed_iteration_are_closed() -> None:
    made = with_goals(customer(), ("g1", TODAY - timedelta(days=1)), phase=Phase.ENSURE)
    made.current.closed_at = NOW
    assert not due_of(ReminderKind.GOAL_DUE, made)


# --- stalled phases ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("phase", "days", "due"),
    [
        (Phase.ASSESS, 29, False),
        (Phase.ASSESS, 30, True),
        (Phase.COMMIT, 31, True),
        (Phase.DELIVER, 45, True),
        (Phase.ENSURE, 30, True),
        (Phase.CLOSED, 90, False),
    ],
)
def test_a_phase_held_30_days_is_stalled(phase: Phase, days: int, due: bool) -> None:
    made = in_phase(customer(), phase, NOW - timedelta(days=days))
    found = due_of(ReminderKind.PHASE_STALLED, made)
    assert bool(found) is due
    if found:
        assert found[0].about == phase.value


def test_a_stall_repeats_every_30_days_and_resets_on_a_new_phase() -> None:
    made = in_phase(customer(), Phase.COMMIT, NOW - timedelta(days=30))
    (first,) = due_of(ReminderKind.PHASE_STALLED, made)
    (later,) = due_of(ReminderKind.PHASE_STALLED, made, NOW + timedelta(days=30))
    assert first.id != later.id
    moved = in_phase(made, Phase.DELIVER, NOW - timedelta(days=1))
    assert not due_of(ReminderKind.PHASE_STALLED, moved)


# --- ensure follow-up ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("phase", "days_since_delivery", "due"),
    [
        (Phase.DELIVER, 6, False),
        (Phase.DELIVER, 7, True),
        (Phase.ENSURE, 12, True),
        (Phase.ASSESS, 7, False),
    ],
)
def test_follow_up_7_days_after_the_last_delivery(
    phase: Phase, days_since_delivery: int, due: bool
) -> None:
    made = with_goals(customer(), ("g1", TODAY + timedelta(days=60)), phase=phase)
    made = with_delivery(made, TODAY - timedelta(days=40), "d0")
    made = with_delivery(made, TODAY - timedelta(days=days_since_delivery), "d1")
    found = due_of(ReminderKind.ENSURE_FOLLOW_UP, made)
    assert bool(found) is due
    if found:
        assert found[0].subject == "follow_up:1:d1"


def test_no_follow_up_once_the_review_exists() -> None:
    made = with_goals(customer(), ("g1", TODAY + timedelta(days=60)), phase=Phase.ENSURE)
    made = with_delivery(made, TODAY - timedelta(days=10))
    made.current.review = Review(outcomes=[], by=OWNER, at=NOW)
    assert not due_of(ReminderKind.ENSURE_FOLLOW_UP, made)


def test_a_new_delivery_starts_a_new_follow_up() -> None:
    made = with_goals(customer(), ("g1", TODAY + timedelta(days=60)))
    made = with_delivery(made, TODAY - timedelta(days=8), "d1")
    (first,) = due_of(ReminderKind.ENSURE_FOLLOW_UP, made)
    made = with_delivery(made, TODAY - timedelta(days=1), "d2")
    assert not due_of(ReminderKind.ENSURE_FOLLOW_UP, made)
    assert next_due(quiet(made), NOW, POLICY) == datetime.combine(
        TODAY + timedelta(days=6), datetime.min.time(), tzinfo=UTC
    )
    assert first.subject == "follow_up:1:d1"


# --- identities ----------------------------------------------------------------------------


def test_identities_are_deterministic_strings() -> None:
    first = reminder_id("t", "c", "check_in", "touch", date(2026, 11, 2))
    assert first == reminder_id("t", "c", "check_in", "touch", date(2026, 11, 2))
    assert first.startswith("check_in-")
    assert len(first) == len("check_in-") + 32


@pytest.mark.parametrize(
    "other",
    [
        ("t2", "c", "check_in", "touch", date(2026, 11, 2)),
        ("t", "c2", "check_in", "touch", date(2026, 11, 2)),
        ("t", "c", "renewal", "touch", date(2026, 11, 2)),
        ("t", "c", "check_in", "touch2", date(2026, 11, 2)),
        ("t", "c", "check_in", "touch", date(2026, 11, 3)),
        ("tc", "", "check_in", "touch", date(2026, 11, 2)),
    ],
)
def test_identities_differ_in_every_part(other: tuple[str, str, str, str, date]) -> None:
    assert reminder_id(*other) != reminder_id("t", "c", "check_in", "touch", date(2026, 11, 2))


def test_every_due_reminder_of_a_busy_customer_has_its_own_id() -> None:
    made = with_goals(
        customer(created=NOW - timedelta(days=90), renewal=TODAY + timedelta(days=30)),
        ("g1", TODAY),
        ("g2", TODAY - timedelta(days=1)),
        since=NOW - timedelta(days=40),
    )
    made = with_delivery(made, TODAY - timedelta(days=9))
    due = due_reminders(made, NOW, POLICY)
    # The renewal checkpoints (12-15 and 3-6 months ahead) are long past 30 days before renewal;
    # without a review there is no detractor follow-up.
    missing = {
        ReminderKind.RENEWAL_PLANNING,
        ReminderKind.RENEWAL_EXECUTION,
        ReminderKind.DETRACTOR_FOLLOW_UP,
    }
    assert {r.kind for r in due} == set(ReminderKind) - missing
    assert len({r.id for r in due}) == len(due) == 6
    renamed = made.model_copy(update={"name": "Renamed Ltd"})
    assert [r.id for r in due_reminders(renamed, NOW, POLICY)] == [r.id for r in due]


def test_due_reminders_need_an_aware_now() -> None:
    with pytest.raises(ValueError, match="aware"):
        due_reminders(customer(), NOW.replace(tzinfo=None), POLICY)


# --- upcoming and the index time -----------------------------------------------------------


def test_upcoming_lists_due_and_next_occurrences_within_the_window() -> None:
    made = customer(created=NOW - timedelta(days=20), renewal=TODAY + timedelta(days=95))
    found = upcoming(made, NOW, NOW + timedelta(days=30), POLICY)
    assert [(r.kind, (r.due_at - NOW).days) for r in found] == [
        (ReminderKind.CHECK_IN, -6),  # due 6 days ago
        (ReminderKind.RENEWAL, 4),  # the 90-day reminder, at midnight in 5 days
        (ReminderKind.CHECK_IN, 8),
        (ReminderKind.PHASE_STALLED, 10),
    ]
    assert upcoming(made, NOW, NOW + timedelta(days=9), POLICY)[-1].kind == ReminderKind.CHECK_IN


def test_index_time_is_now_while_a_due_reminder_is_unsettled() -> None:
    made = quiet(customer(created=NOW - timedelta(days=15)))
    (due,) = due_reminders(made, NOW, POLICY)
    assert index_time(made, {}, NOW, POLICY) == NOW
    sent = DeliveryRecord.for_reminder(due, NOW)
    sent.state = DeliveryState.SENT
    assert index_time(made, {due.id: sent}, NOW, POLICY) == next_due(made, NOW, POLICY)
    sent.state = DeliveryState.SNOOZED
    sent.snoozed_until = NOW + timedelta(days=1)
    assert index_time(made, {due.id: sent}, NOW, POLICY) == NOW + timedelta(days=1)


# --- the policy itself ---------------------------------------------------------------------


def test_policy_is_frozen_with_the_seeded_defaults() -> None:
    assert (POLICY.check_in_days, POLICY.renewal_offsets, POLICY.stall_days) == (
        14,
        (90, 60, 30),
        30,
    )
    with pytest.raises(ValidationError):
        POLICY.check_in_days = 3  # type: ignore[misc]


def test_renewal_offsets_are_sorted_and_unique() -> None:
    assert ReminderPolicy(renewal_offsets=(30, 90, 30, 60)).renewal_offsets == (90, 60, 30)


@pytest.mark.parametrize(
    "bad",
    [
        {"default_time_zone": "Mars/Olympus"},
        {"renewal_offsets": (0,)},
        {"check_in_days": 0},
        {"working_hours_start": "18:00", "working_hours_end": "09:00"},
        {"surprise": 1},
    ],
)
def test_invalid_policies_are_rejected(bad: dict[str, object]) -> None:
    with pytest.raises(ValidationError):
        ReminderPolicy.model_validate(bad)
