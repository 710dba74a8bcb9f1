"""The call brief's rules: renewal checkpoints, the weakest health factor, talking points."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from cards.reminders import ReminderItemView, brief_data, reminder_card
from engagement.brief import build_brief, renewal_checkpoint, weakest_factor
from engagement.health import assess_health
from engagement.lifecycle import new_customer
from engagement.models import Person, Touch, TouchKind
from tests.support.cards import submit_actions

NOW = datetime(2026, 11, 2, 9, 30, tzinfo=UTC)
TODAY = NOW.date()


@pytest.mark.parametrize(
    ("days", "name"),
    [
        (500, "later"),
        (456, "planning"),
        (365, "planning"),
        (364, "later"),
        (183, "execution"),
        (91, "execution"),
        (90, "final"),
        (0, "final"),
        (-1, "overdue"),
    ],
)
def test_renewal_checkpoints_follow_the_seed(days: int, name: str) -> None:
    assert renewal_checkpoint(TODAY + timedelta(days=days), TODAY).name == name


def test_between_checkpoints_the_next_one_is_named() -> None:
    assert (
        "planning checkpoint starts in 44"
        in renewal_checkpoint(TODAY + timedelta(days=500), TODAY).text
    )
    assert (
        "execution checkpoint starts in 17"
        in renewal_checkpoint(TODAY + timedelta(days=200), TODAY).text
    )


def test_a_new_customer_gets_three_talking_points_from_what_is_missing() -> None:
    customer = new_customer("t", "contoso", "Contoso", Person(id="u", name="Ada"), NOW)
    customer.renewal_date = TODAY + timedelta(days=60)
    health = assess_health(customer, NOW)
    brief = build_brief(customer, health, [], {}, NOW)
    assert brief.trend == "not assessed"
    assert brief.checkpoint is not None
    assert brief.checkpoint.name == "final"
    assert len(brief.talking_points) == 3
    assert brief.talking_points[0].startswith("Renewal on 01 Jan 2027 (in 60 days)")
    assert any("quick check" in point for point in brief.talking_points)


def test_last_three_touches_newest_first_and_the_weakest_factor() -> None:
    customer = new_customer("t", "contoso", "Contoso", Person(id="u", name="Ada"), NOW)
    by = Person(id="u", name="Ada")
    customer.touches = [
        Touch(at=NOW - timedelta(days=d), by=by, kind=TouchKind.CALL, note=f"n{d}")
        for d in (40, 30, 20, 10)
    ]
    health = assess_health(customer, NOW)
    brief = build_brief(customer, health, [], {}, NOW)
    assert [t.note for t in brief.touches] == ["n10", "n20", "n30"]
    assert brief.days_since_touch == 10
    assert brief.weakest == weakest_factor(health)
    assert brief.weakest is not None


def test_check_in_and_renewal_reminder_cards_offer_the_brief() -> None:
    item = ReminderItemView("r1", "contoso", "Contoso", "Check in", "why", "today", brief=True)
    actions = submit_actions(reminder_card(item))
    assert ("Call brief", brief_data("Contoso")) in actions
    plain = ReminderItemView("r2", "contoso", "Contoso", "Goal due", "why", "today")
    assert "Call brief" not in [title for title, _ in submit_actions(reminder_card(plain))]
