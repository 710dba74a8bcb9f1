"""The reminder text commands and card actions, over a real temporary store."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from dialogs.reminders.license_commands import licenses_command
from dialogs.reminders.reminder_actions import REMINDER_ACTIONS, TOUCH_NOTE, handle_reminder_action
from dialogs.reminders.reminder_commands import (
    ReminderServices,
    digest_command,
    pause_command,
    reminders_command,
    renewal_command,
    resume_command,
)
from dialogs.reminders.reminder_texts import reminder_view
from engagement.clock import FixedClock
from engagement.models import LicenseLine, Phase
from engagement.ports import CustomerRepository
from engagement.reminder_index import SchedulingCustomerRepository
from engagement.reminder_records import DeliveryRecord, DeliveryState
from engagement.reminders import due_reminders
from store import open_store
from store.reminders import TinyReminderStore, open_reminder_store
from tests.support.cards import runs as texts
from tests.support.reminders import (
    ANY_TIME,
    NOW,
    OTHER,
    OWNER,
    TENANT,
    click,
    customer,
    in_phase,
    with_delivery,
    with_goals,
)

TODAY = NOW.date()


@pytest.fixture
async def services(tmp_path: Path) -> AsyncIterator[ReminderServices]:
    with open_store(tmp_path / "data") as data:
        reminders = open_reminder_store(tmp_path / "data" / "reminders")
        clock = FixedClock(NOW)
        customers = SchedulingCustomerRepository(data.customers, reminders, ANY_TIME, clock)
        built = ReminderServices(customers, reminders, ANY_TIME, clock, data.summaries)
        await customers.add(customer("contoso-ltd", created=NOW - timedelta(days=2)))
        yield built


def store_of(services: ReminderServices) -> TinyReminderStore:
    assert isinstance(services.reminders, TinyReminderStore)
    return services.reminders


# --- dates (the shared parser of engagement.dates) --------------------------------------------


@pytest.mark.parametrize(
    "text",
    ["2026-12-31", "31.12.2026", "Dec 31 2026", "December 31, 2026", "31 Dec 2026", "12/31/2026"],
)
async def test_renewal_dates_people_write(services: ReminderServices, text: str) -> None:
    reply = await renewal_command(f"Contoso Ltd {text}", TENANT, OWNER, NOW, services)
    assert isinstance(reply, str)
    assert reply.startswith("Renewal of Contoso-Ltd set to Thu 31 Dec 2026.")


async def test_relative_dates_count_from_the_users_today(services: ReminderServices) -> None:
    reply = await pause_command("until in 2 weeks", TENANT, OWNER, NOW, services)
    assert isinstance(reply, str)
    assert "Mon 16 Nov 2026" in reply


# --- renewal -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "argument", ["Contoso Ltd 2027-02-01", "Contoso Ltd 01.02.2027", "contoso ltd Feb 1 2027"]
)
async def test_renewal_sets_the_date(services: ReminderServices, argument: str) -> None:
    reply = await renewal_command(argument, TENANT, OWNER, NOW, services)
    assert reply == (
        "Renewal of Contoso-Ltd set to Mon 1 Feb 2027. The owner is reminded 90, 60, 30 days "
        "ahead. The next one comes on Tue 3 Nov 2026."
    )
    stored = await services.customers.get(TENANT, "contoso-ltd")
    assert stored is not None
    assert stored.renewal_date == date(2027, 2, 1)
    # The index now looks at it when the 90-day reminder comes.
    scheduled = await store_of(services).scheduled(TENANT, "contoso-ltd")
    assert scheduled == datetime(2026, 11, 3, tzinfo=UTC)


async def test_a_close_renewal_is_reminded_with_the_next_round(
    services: ReminderServices,
) -> None:
    reply = await renewal_command("Contoso Ltd 2026-11-20", TENANT, OWNER, NOW, services)
    assert isinstance(reply, str)
    assert reply.endswith("One is due now: it comes with the next round of reminders.")
    assert await store_of(services).scheduled(TENANT, "contoso-ltd") == NOW


async def test_renewal_can_be_cleared(services: ReminderServices) -> None:
    await renewal_command("Contoso Ltd 2027-01-31", TENANT, OWNER, NOW, services)
    reply = await renewal_command("Contoso Ltd none", TENANT, OWNER, NOW, services)
    assert reply == "Cleared the renewal date of Contoso-Ltd: no renewal reminders for it."
    stored = await services.customers.get(TENANT, "contoso-ltd")
    assert stored is not None
    assert stored.renewal_date is None


@pytest.mark.parametrize(
    ("argument", "reply"),
    [
        ("", "Tell me the customer and the date"),
        ("Contoso", "Tell me the customer and the date"),
        ("Contoso Ltd 31/12/2026", "I can't read '31/12/2026' as a date. Try 2026-12-31"),
        ("Contoso Ltd 2026-11-01", "Sun 1 Nov 2026 is in the past"),
        ("Contoso Ltd 2040-01-01", "more than 10 years away"),
        ("Fabrikam 2027-01-31", 'I don\'t know a customer "Fabrikam"'),
        ("!!! 2027-01-31", '"!!!" is not a customer name I can use'),
    ],
)
async def test_renewal_explains_what_is_wrong(
    services: ReminderServices, argument: str, reply: str
) -> None:
    answer = await renewal_command(argument, TENANT, OWNER, NOW, services)
    assert isinstance(answer, str)
    assert reply in answer


# --- licenses ------------------------------------------------------------------------------


async def test_licenses_replace_the_azure_line_and_keep_others(
    services: ReminderServices,
) -> None:
    stored = await services.customers.get(TENANT, "contoso-ltd")
    assert stored is not None
    stored.licenses = [
        LicenseLine(product="azure", licensed=1, active=1, as_of=TODAY - timedelta(days=9)),
        LicenseLine(product="Microsoft 365 E3", licensed=50, active=40, as_of=TODAY),
    ]
    await services.customers.save(stored)
    reply = await licenses_command("Contoso Ltd 500 320", TENANT, OWNER, NOW, services)
    assert reply == (
        "Azure licenses of Contoso-Ltd: 500 licensed, 320 active (64% in use), "
        "as of Mon 2 Nov 2026. All lines, worst first: Azure: 320 of 500 licensed users active "
        "(64 %), Low risk; Microsoft 365 E3: 40 of 50 licensed users active (80 %), Low risk."
    )
    stored = await services.customers.get(TENANT, "contoso-ltd")
    assert stored is not None
    assert [(line.product, line.licensed, line.active) for line in stored.licenses] == [
        ("Microsoft 365 E3", 50, 40),
        ("Azure", 500, 320),
    ]


async def test_more_active_than_licensed_is_accepted_with_a_note(
    services: ReminderServices,
) -> None:
    reply = await licenses_command("Contoso Ltd 10 12", TENANT, OWNER, NOW, services)
    assert isinstance(reply, str)
    assert reply.endswith("More users are active than licensed: check for a true-up.")


@pytest.mark.parametrize(
    ("argument", "reply"),
    [
        ("500 320", "Tell me the customer, licensed and active users"),
        ("Contoso Ltd 500", '"Ltd" is not a whole number. Tell me the customer'),
        ("Contoso Ltd -5 3", "License counts cannot be negative."),
        ("Contoso Ltd five 3", '"five" is not a whole number.'),
        ("Contoso Ltd 1.5 3", '"1.5" is not a whole number.'),
        ("Contoso Ltd 99999999999 3", "License counts above 10,000,000 are not accepted"),
        ("Fabrikam 5 3", 'I don\'t know a customer "Fabrikam"'),
    ],
)
async def test_licenses_explain_what_is_wrong(
    services: ReminderServices, argument: str, reply: str
) -> None:
    answer = await licenses_command(argument, TENANT, OWNER, NOW, services)
    assert isinstance(answer, str)
    assert reply in answer


# --- pause, resume, digest -----------------------------------------------------------------


async def test_pause_and_resume(services: ReminderServices) -> None:
    reply = await pause_command("until Dec 24 2026", TENANT, OWNER, NOW, services)
    assert isinstance(reply, str)
    assert reply.startswith("Reminders paused: you get them again from Thu 24 Dec 2026.")
    preferences = await services.reminders.preferences(TENANT, OWNER.id)
    assert preferences.paused_until == date(2026, 12, 24)
    assert await resume_command("", TENANT, OWNER, NOW, services) == (
        "Reminders resumed: what came due during the pause comes with the next round."
    )
    assert (await services.reminders.preferences(TENANT, OWNER.id)).paused_until is None
    assert await resume_command("", TENANT, OWNER, NOW, services) == "Reminders are not paused."


async def test_resuming_brings_the_users_customers_forward(services: ReminderServices) -> None:
    await pause_command("2026-12-24", TENANT, OWNER, NOW, services)
    await store_of(services).schedule(TENANT, "contoso-ltd", datetime(2026, 12, 24, tzinfo=UTC))
    await resume_command("", TENANT, OWNER, NOW, services)
    assert await store_of(services).scheduled(TENANT, "contoso-ltd") == NOW


@pytest.mark.parametrize(
    ("argument", "reply"),
    [
        ("", "Until when?"),
        ("until soon", "I can't read 'soon' as a date."),
        ("2026-11-02", "Please give a date after today."),
        ("2028-01-01", "Reminders can be paused for a year at most."),
    ],
)
async def test_pause_explains_what_is_wrong(
    services: ReminderServices, argument: str, reply: str
) -> None:
    answer = await pause_command(argument, TENANT, OWNER, NOW, services)
    assert isinstance(answer, str)
    assert answer.startswith(reply)


async def test_digest_on_and_off(services: ReminderServices) -> None:
    reply = await digest_command("ON", TENANT, OWNER, NOW, services)
    assert isinstance(reply, str)
    assert reply.startswith("Digest on")
    assert (await services.reminders.preferences(TENANT, OWNER.id)).digest
    reply = await digest_command("off", TENANT, OWNER, NOW, services)
    assert isinstance(reply, str)
    assert reply.startswith("Digest off")
    assert not (await services.reminders.preferences(TENANT, OWNER.id)).digest
    reply = await digest_command("maybe", TENANT, OWNER, NOW, services)
    assert reply == "Type `digest on` (one card a day with everything due) or `digest off`."


# --- the "reminders" list ------------------------------------------------------------------


async def test_reminders_lists_my_customers_due_and_coming(services: ReminderServices) -> None:
    await services.customers.add(customer("overdue", created=NOW - timedelta(days=20)))
    await services.customers.add(
        customer("not-mine", created=NOW - timedelta(days=20), owner=OTHER)
    )
    await renewal_command("Contoso Ltd 2027-02-01", TENANT, OWNER, NOW, services)
    card = await reminders_command("", TENANT, OWNER, NOW, services)
    shown = texts(card)
    assert shown[0] == "Reminders for your customers, next 30 days"
    rows = [text for text in shown if text in {"Overdue", "Contoso-Ltd", "Not-Mine"}]
    # Overdue's check-in (due), Contoso's 90-day renewal, then check-ins and stalls to come.
    assert rows == ["Overdue", "Contoso-Ltd", "Overdue", "Overdue", "Contoso-Ltd", "Contoso-Ltd"]
    assert shown[1] == "due now"
    assert "Tue 3 Nov 2026" in shown  # the 90-day renewal reminder


async def test_reminders_leaves_out_done_ones_and_shows_snoozes(
    services: ReminderServices,
) -> None:
    made = in_phase(customer("overdue", created=NOW - timedelta(days=20)), Phase.ASSESS, NOW)
    await services.customers.add(made)
    (due,) = due_reminders(made, NOW, ANY_TIME)
    record = DeliveryRecord.for_reminder(due, NOW)
    record.state = DeliveryState.SNOOZED
    record.snoozed_until = NOW + timedelta(days=7)
    await services.reminders.put_records([record])
    assert "snoozed until Mon 9 Nov 2026" in texts(
        await reminders_command("", TENANT, OWNER, NOW, services)
    )
    record.state = DeliveryState.DONE
    await services.reminders.put_records([record])
    assert "due now" not in texts(await reminders_command("", TENANT, OWNER, NOW, services))


async def test_reminders_for_someone_without_customers(services: ReminderServices) -> None:
    await digest_command("on", TENANT, OTHER, NOW, services)
    await pause_command("2026-12-01", TENANT, OTHER, NOW, services)
    shown = texts(await reminders_command("", TENANT, OTHER, NOW, services))
    assert shown == [
        "Reminders for your customers, next 30 days (paused until Tue 1 Dec 2026, daily digest on)",
        "You own no customers yet: the customers you assess are yours.",
    ]


class NoListing:
    """A customer repository that fails when asked for every customer."""

    def __init__(self, customers: CustomerRepository) -> None:
        self._customers = customers

    def __getattr__(self, name: str) -> Any:
        if name == "list":
            raise AssertionError("the reminder commands must not list every customer")
        return getattr(self._customers, name)


async def test_reminder_commands_read_only_the_users_customers(
    services: ReminderServices,
) -> None:
    for number in range(3):
        await services.customers.add(
            customer(f"theirs-{number}", created=NOW - timedelta(days=20), owner=OTHER)
        )
    await services.customers.add(customer("overdue", created=NOW - timedelta(days=20)))
    listed = await reminders_command("", TENANT, OWNER, NOW, services)
    unlisted = replace(services, customers=NoListing(services.customers))
    with pytest.raises(AssertionError):
        await unlisted.customers.list(TENANT)
    assert await reminders_command("", TENANT, OWNER, NOW, unlisted) == listed
    assert "Overdue" in texts(listed)
    assert not any(text.startswith("Theirs") for text in texts(listed))
    await pause_command("2026-12-01", TENANT, OWNER, NOW, unlisted)
    assert (await resume_command("", TENANT, OWNER, NOW, unlisted)).startswith("Reminders resumed")
    assert (await digest_command("off", TENANT, OWNER, NOW, unlisted)).startswith("Digest off")


# --- card actions --------------------------------------------------------------------------


async def sent_reminder(services: ReminderServices) -> str:
    """A due, already sent check-in of a customer `overdue`; returns its id."""
    made = customer("overdue", created=NOW - timedelta(days=20))
    await services.customers.add(made)
    (due, *_) = due_reminders(made, NOW, ANY_TIME)
    record = DeliveryRecord.for_reminder(due, NOW)
    record.state = DeliveryState.SENT
    await services.reminders.put_records([record])
    return due.id


async def test_log_touch_adds_a_touch_and_ends_the_reminder(services: ReminderServices) -> None:
    reminder_id = await sent_reminder(services)
    value = {"action": "log_touch", "customer": "overdue", "reminder": reminder_id, "msteams": {}}
    reply = await handle_reminder_action(click(value), TENANT, OTHER, NOW, services)
    assert reply == (
        "Logged a touch with Overdue. The next check-in reminder comes on Mon 16 Nov 2026 unless "
        "you touch it again before."
    )
    stored = await services.customers.get(TENANT, "overdue")
    assert stored is not None
    assert [(t.by.id, t.note, t.at) for t in stored.touches] == [(OTHER.id, TOUCH_NOTE, NOW)]
    records = await services.reminders.records(TENANT, "overdue")
    assert records[reminder_id].state == DeliveryState.DONE
    again = await handle_reminder_action(click(value), TENANT, OTHER, NOW, services)
    assert again == "That reminder about Overdue is already done; nothing was changed."
    stored = await services.customers.get(TENANT, "overdue")
    assert stored is not None
    assert len(stored.touches) == 1


async def test_snooze_and_done(services: ReminderServices) -> None:
    reminder_id = await sent_reminder(services)
    snooze = {"action": "snooze", "customer": "overdue", "reminder": reminder_id, "days": 7}
    reply = await handle_reminder_action(click(snooze), TENANT, OWNER, NOW, services)
    assert reply == "Snoozed: I'll remind you about Overdue again on Mon 9 Nov 2026."
    record = (await services.reminders.records(TENANT, "overdue"))[reminder_id]
    assert (record.state, record.snoozed_until) == (DeliveryState.SNOOZED, NOW + timedelta(days=7))
    done = {"action": "reminder_done", "customer": "overdue", "reminder": reminder_id}
    reply = await handle_reminder_action(click(done), TENANT, OWNER, NOW, services)
    assert reply == "Done: I won't remind you about this again (Overdue)."
    assert (await services.reminders.records(TENANT, "overdue"))[reminder_id].state == "done"


async def test_a_click_on_a_reminder_no_longer_due_changes_nothing(
    services: ReminderServices,
) -> None:
    """Broken data never reaches the handler (tests/bot/test_typed_card_actions.py)."""
    await sent_reminder(services)
    value = {"action": "reminder_done", "customer": "overdue", "reminder": "unknown-id"}
    reply = await handle_reminder_action(click(value), TENANT, OWNER, NOW, services)
    assert reply.startswith("That card is out of date, so nothing was changed.")


async def test_a_click_for_a_deleted_customer(services: ReminderServices) -> None:
    value = {"action": "reminder_done", "customer": "gone", "reminder": "r"}
    reply = await handle_reminder_action(click(value), TENANT, OWNER, NOW, services)
    assert reply == "I can't find that customer any more, so nothing was changed."


async def test_a_click_remembers_where_the_customer_is_managed(
    services: ReminderServices,
) -> None:
    reminder_id = await sent_reminder(services)
    value = {"action": "snooze", "customer": "overdue", "reminder": reminder_id, "days": 1}
    await handle_reminder_action(
        click(value), TENANT, OWNER, NOW, services, conversation_id="19:team@thread.tacv2"
    )
    assert await services.reminders.customer_conversation(TENANT, "overdue") == (
        "19:team@thread.tacv2"
    )


def test_the_action_names_match_the_cards() -> None:
    assert frozenset({"log_touch", "snooze", "reminder_done"}) == REMINDER_ACTIONS


def test_wording_of_every_kind() -> None:
    made = with_goals(
        customer(created=NOW - timedelta(days=90), renewal=TODAY + timedelta(days=30)),
        ("g1", TODAY - timedelta(days=3)),
        since=NOW - timedelta(days=40),
    )
    made = with_delivery(made, TODAY - timedelta(days=9))
    views = {
        r.kind: reminder_view(r, NOW, ANY_TIME.zone(None))
        for r in due_reminders(made, NOW, ANY_TIME)
    }
    assert {kind: (view.title, view.due) for kind, view in views.items()} == {
        "check_in": ("Check in with Contoso", "Tue 27 Oct 2026 (6 days ago)"),
        "renewal": ("Contoso renews in 30 days", "today (Mon 2 Nov 2026)"),
        "goal_due": ("Goal overdue: Goal g1", "Fri 30 Oct 2026 (3 days ago)"),
        "phase_stalled": ("Contoso is stuck in the Deliver phase", "Fri 23 Oct 2026 (10 days ago)"),
        "ensure_follow_up": (
            "Follow up with Contoso on the delivery",
            "Sat 31 Oct 2026 (2 days ago)",
        ),
    }
    assert views["check_in"].why.startswith("90 days since the customer was added (Tue 4 Aug 2026)")
    assert views["goal_due"].overdue
    assert "(30-day reminder)" in views["renewal"].why
