"""Renewal checkpoints (12-15 and 3-6 months ahead) and renewal outcomes, in the domain."""

from __future__ import annotations

from datetime import timedelta

import pytest

from dialogs.reminders.reminder_texts import reminder_reason, reminder_title, reminder_view
from dialogs.reminders.renewals import parse_outcome
from engagement.kpis import partner_kpis
from engagement.models import Person
from engagement.reminders import ReminderKind, due_reminders, upcoming
from engagement.renewals import NoRenewalDate, record_renewal_outcome
from tests.support.reminders import ANY_TIME, NOW, customer

TODAY = NOW.date()
BY = Person(id="u", name="Ada")


def _due_kinds(days_ahead: int) -> list[ReminderKind]:
    made = customer(renewal=TODAY + timedelta(days=days_ahead))
    return [r.kind for r in due_reminders(made, NOW, ANY_TIME) if r.kind != ReminderKind.CHECK_IN]


@pytest.mark.parametrize(
    ("days_ahead", "kinds"),
    [
        (500, []),  # planning opens 15 months (456 days) ahead
        (456, [ReminderKind.RENEWAL_PLANNING]),
        (400, [ReminderKind.RENEWAL_PLANNING]),
        (395, []),  # under a month left of the planning window: too late to start it
        (200, []),
        (183, [ReminderKind.RENEWAL_EXECUTION]),
        (130, [ReminderKind.RENEWAL_EXECUTION]),
        (121, []),
        (90, [ReminderKind.RENEWAL]),
    ],
)
def test_checkpoints_come_in_their_windows(days_ahead: int, kinds: list[ReminderKind]) -> None:
    assert _due_kinds(days_ahead) == kinds


def test_the_next_checkpoint_is_planned_and_the_reminder_card_carries_its_checklist() -> None:
    made = customer(renewal=TODAY + timedelta(days=500))
    coming = upcoming(made, NOW, NOW + timedelta(days=60), ANY_TIME)
    planning = next(r for r in coming if r.kind == ReminderKind.RENEWAL_PLANNING)
    assert planning.due_on == TODAY + timedelta(days=44)
    assert reminder_title(planning, TODAY).startswith("Renewal planning: Contoso")
    assert "identify risks" in reminder_reason(planning, TODAY)
    execution = next(
        r
        for r in due_reminders(customer(renewal=TODAY + timedelta(days=150)), NOW, ANY_TIME)
        if r.kind == ReminderKind.RENEWAL_EXECUTION
    )
    reason = reminder_reason(execution, TODAY)
    assert "manage the risks found" in reason
    assert "`renewal Contoso lost <reason>`" in reason
    assert reminder_view(execution, NOW, ANY_TIME.zone(None)).brief


@pytest.mark.parametrize(
    ("argument", "parsed"),
    [
        ("Contoso done", ("Contoso", True, "")),
        ("Contoso Ltd renewed", ("Contoso Ltd", True, "")),
        ("Contoso lost price too high", ("Contoso", False, "price too high")),
        ("Contoso Ltd lost: competitor", ("Contoso Ltd", False, "competitor")),
        ("Contoso lost", ("Contoso", False, "")),
        ("Contoso 2027-06-30", None),
        ("done", None),
    ],
)
def test_outcome_lines(argument: str, parsed: tuple[str, bool, str] | None) -> None:
    line = parse_outcome(argument)
    assert (None if line is None else (line.customer, line.renewed, line.reason)) == parsed


def test_outcomes_close_the_renewal_and_count_in_the_kpis() -> None:
    won = customer("won", renewal=TODAY + timedelta(days=10))
    lost = customer("lost", renewal=TODAY + timedelta(days=20))
    record_renewal_outcome(won, renewed=True, reason="", by=BY, now=NOW)
    record_renewal_outcome(lost, renewed=False, reason="  Price ", by=BY, now=NOW)
    assert won.renewal_date is None
    assert lost.renewals[-1].reason == "Price"
    with pytest.raises(NoRenewalDate):
        record_renewal_outcome(won, renewed=True, reason="", by=BY, now=NOW)
    kpis = partner_kpis([won, lost, customer("open")], NOW)
    assert (kpis.renewed, kpis.lost, kpis.renewal_rate) == (1, 1, 0.5)
    assert kpis.lost_reasons == {"price": 1}
    last_year = partner_kpis([won, lost], NOW + timedelta(days=400))
    assert last_year.renewal_rate is None


def test_a_lost_renewal_needs_its_reason() -> None:
    made = customer(renewal=TODAY)
    with pytest.raises(ValueError, match="reason"):
        record_renewal_outcome(made, renewed=False, reason=" ", by=BY, now=NOW)
    assert made.renewal_date == TODAY
