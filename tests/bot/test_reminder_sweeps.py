"""Sweeps end to end over a real store and the fake connector: once only, restarts, working hours,
pause, snooze, digest, routing and the index."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.outbound.pacing import RateLimiter
from bot.outbound.sending import AdapterTransport, ReminderSender
from bot.reminder_sweep import ReminderSweeper
from dialogs.reminders.reminder_actions import handle_reminder_action
from dialogs.reminders.reminder_commands import ReminderServices
from engagement.models import Touch
from engagement.reminder_records import DeliveryState
from engagement.reminders import ReminderPolicy, due_reminders
from tests.support.connector import FakeConnector
from tests.support.reminders import (
    ANY_TIME,
    NOW,
    OTHER,
    OWNER,
    PERSONAL,
    TENANT,
    Rig,
    build_rig,
    click,
    customer,
    reference,
    reminder_ids,
)

GROUP = "19:contoso-team@thread.v2"
BERLIN_HOURS = ReminderPolicy(default_time_zone="Europe/Berlin")


class Crash(BaseException):
    """Stands in for the process dying at this point."""


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def crash_on(step: str) -> Any:
    def trace(name: str, ids: Sequence[str]) -> None:
        if name == step:
            raise Crash(step)

    return trace


async def state(rig: Rig, customer_id: str = "contoso") -> list[tuple[str, DeliveryState]]:
    records = await rig.reminders.records(TENANT, customer_id)
    return [(record.kind, record.state) for record in records.values()]


# --- once only -----------------------------------------------------------------------------


async def test_two_sweeps_at_the_same_time_send_once(rig: Rig) -> None:
    await rig.personal_chat()
    await rig.add(customer(created=NOW - timedelta(days=15)))
    first = await rig.sweeper.sweep(NOW)
    second = await rig.sweeper.sweep(NOW)
    assert (first.sent, second.sent) == (1, 0)
    assert len(rig.connector.messages()) == 1


async def test_concurrent_sweeps_do_not_overlap(rig: Rig) -> None:
    await rig.personal_chat()
    await rig.add(*(customer(f"c{n}", created=NOW - timedelta(days=15)) for n in range(3)))
    reports = await asyncio.gather(*(rig.sweeper.sweep(NOW) for _ in range(3)))
    assert sorted(report.sent for report in reports) == [0, 0, 3]
    assert len(rig.connector.messages()) == 3


async def test_a_sweep_loads_only_the_due_customers(rig: Rig) -> None:
    await rig.personal_chat()
    await rig.add(*(customer(f"quiet{n}", created=NOW - timedelta(days=3)) for n in range(30)))
    await rig.add(customer("due-a", created=NOW - timedelta(days=15)))
    await rig.add(customer("due-b", created=NOW - timedelta(days=14)))
    report = await rig.sweeper.sweep(NOW)
    assert (report.customers, report.sent) == (2, 2)
    assert (await rig.sweeper.sweep(NOW + timedelta(days=1))).customers == 0


async def test_a_big_sweep_lets_other_work_run_between_customers(rig: Rig) -> None:
    """Customers imported together fall due together; turns must not wait for the whole batch."""
    await rig.add(*(customer(f"c{n:02d}", created=NOW - timedelta(days=15)) for n in range(40)))
    ticks = 0
    sweeping = True

    async def other_turns() -> None:
        nonlocal ticks
        while sweeping:
            ticks += 1
            await asyncio.sleep(0)

    ticker = asyncio.create_task(other_turns())
    report = await rig.sweeper.sweep(NOW)
    sweeping = False
    await ticker

    assert report.customers == 40
    assert ticks >= 40  # the planning of every customer yielded
    assert await rig.reminders.due(NOW, 100) == []  # every customer moved on


async def test_a_customer_saved_while_the_sweep_ran_is_looked_at_again_at_once(
    rig: Rig,
) -> None:
    """Its save may have asked for an earlier look than the sweep planned with the old data."""
    await rig.personal_chat()
    made = customer(created=NOW - timedelta(days=15))
    await rig.add(made)
    saved: list[asyncio.Task[Any]] = []

    async def a_turn_saves_the_customer() -> None:
        stored = await rig.customers.get(TENANT, made.id)
        assert stored is not None
        stored.touches = [Touch(at=NOW, by=OWNER)]
        await rig.customers.save(stored)

    def during_delivery(step: str, ids: Sequence[str]) -> None:
        if step == "intent" and not saved:  # runs while the sweep waits on Teams
            saved.append(asyncio.get_running_loop().create_task(a_turn_saves_the_customer()))

    sweeper = sweeper_with(rig, AdapterTransport(rig.adapter, ""), during_delivery)
    report = await sweeper.sweep(NOW)
    await saved[0]

    assert report.sent == 1
    assert await rig.reminders.scheduled(TENANT, made.id) == NOW
    assert (await sweeper.sweep(NOW + timedelta(minutes=1))).customers == 1  # with its new data


async def test_a_reminder_whose_cause_is_gone_is_not_sent(rig: Rig) -> None:
    await rig.personal_chat()
    made = customer(created=NOW - timedelta(days=15))
    await rig.add(made)
    stored = await rig.store.customers.get(TENANT, made.id)
    assert stored is not None
    stored.touches = [Touch(at=NOW - timedelta(hours=1), by=OWNER)]
    await rig.store.customers.save(stored)  # behind the index's back: the sweep re-checks
    report = await rig.sweeper.sweep(NOW)
    assert (report.customers, report.due, report.sent) == (1, 0, 0)
    assert await rig.reminders.scheduled(TENANT, made.id) == NOW + timedelta(days=14, hours=-1)


async def test_a_deleted_customer_leaves_the_index(rig: Rig) -> None:
    await rig.reminders.schedule(TENANT, "ghost", NOW - timedelta(minutes=5))
    report = await rig.sweeper.sweep(NOW)
    assert report.customers == 0
    assert await rig.reminders.due(NOW) == []


# --- restarts ------------------------------------------------------------------------------


class CrashAfterAccept:
    """Sends for real, then dies before the sweep can record it."""

    def __init__(self, inner: AdapterTransport) -> None:
        self.inner = inner

    async def send(self, reference: dict[str, Any], card: dict[str, Any]) -> str:
        await self.inner.send(reference, card)
        raise Crash("after accept")


class CrashBeforeSend:
    async def send(self, reference: dict[str, Any], card: dict[str, Any]) -> str:
        raise Crash("before send")


def sweeper_with(rig: Rig, transport: Any, trace: Any = None) -> ReminderSweeper:
    return ReminderSweeper(
        customers=rig.customers,
        reminders=rig.reminders,
        references=rig.store.references,
        sender=ReminderSender(transport, RateLimiter(1000, 1000)),
        policy=ANY_TIME,
        trace=trace,
    )


async def restart(rig: Rig) -> Rig:
    """A new process over the same data directory."""
    await rig.close()
    return build_rig(rig.data_dir, rig.connector)


async def test_a_crash_after_the_intent_sends_on_the_next_sweep(
    tmp_path: Path, connector: FakeConnector
) -> None:
    rig = build_rig(tmp_path / "data", connector)
    await rig.personal_chat()
    await rig.add(customer(created=NOW - timedelta(days=15)))
    with pytest.raises(Crash):
        await sweeper_with(rig, CrashBeforeSend()).sweep(NOW)
    assert await state(rig) == [("check_in", DeliveryState.SENDING)]
    rig = await restart(rig)
    try:
        assert (await rig.sweeper.sweep(NOW + timedelta(seconds=5))).sent == 1
        assert len(connector.messages()) == 1  # the first attempt never reached Teams
        assert await state(rig) == [("check_in", DeliveryState.SENT)]
    finally:
        await rig.close()


async def test_a_crash_after_recording_sent_does_not_send_again(
    tmp_path: Path, connector: FakeConnector
) -> None:
    rig = build_rig(tmp_path / "data", connector)
    await rig.personal_chat()
    await rig.add(customer(created=NOW - timedelta(days=15)))
    crashing = sweeper_with(rig, AdapterTransport(rig.adapter, ""), crash_on("sent"))
    with pytest.raises(Crash):
        await crashing.sweep(NOW)
    assert [e.customer_id for e in await rig.reminders.due(NOW)] == ["contoso"]  # index not moved
    rig = await restart(rig)
    try:
        report = await rig.sweeper.sweep(NOW + timedelta(seconds=5))
        assert (report.customers, report.settled, report.sent) == (1, 1, 0)
        assert len(connector.messages()) == 1
    finally:
        await rig.close()


async def test_a_crash_between_accept_and_record_is_the_one_duplicate(
    tmp_path: Path, connector: FakeConnector
) -> None:
    rig = build_rig(tmp_path / "data", connector)
    await rig.personal_chat()
    await rig.add(customer(created=NOW - timedelta(days=15)))
    with pytest.raises(Crash):
        await sweeper_with(rig, CrashAfterAccept(AdapterTransport(rig.adapter, ""))).sweep(NOW)
    rig = await restart(rig)
    try:
        assert (await rig.sweeper.sweep(NOW)).sent == 1
        ids = [reminder_ids(sent) for sent in connector.messages()]
        assert len(ids) == 2  # at least once: the documented duplicate
        assert ids[0] == ids[1]
    finally:
        await rig.close()


# --- working hours, pause, snooze, done ----------------------------------------------------


async def test_reminders_wait_for_the_recipients_working_hours(
    tmp_path: Path, connector: FakeConnector
) -> None:
    rig = build_rig(tmp_path / "data", connector, policy=BERLIN_HOURS)
    try:
        await rig.personal_chat()
        early = utc("2026-11-02T06:00")  # 07:00 in Berlin
        rig.clock.set(early)
        await rig.add(customer(created=NOW - timedelta(days=20)))
        report = await rig.sweeper.sweep(early)
        assert (report.due, report.deferred, report.sent) == (1, 1, 0)
        assert await rig.reminders.scheduled(TENANT, "contoso") == utc("2026-11-02T08:00")
        assert (await rig.sweeper.sweep(utc("2026-11-02T08:00"))).sent == 1
    finally:
        await rig.close()


async def test_the_owners_own_zone_wins_over_the_default(
    tmp_path: Path, connector: FakeConnector
) -> None:
    rig = build_rig(tmp_path / "data", connector, policy=BERLIN_HOURS)
    try:
        await rig.personal_chat()
        await rig.reminders.remember_user_conversation(
            TENANT, OWNER.id, PERSONAL, is_personal=True, time_zone="America/Los_Angeles"
        )
        await rig.add(customer(created=NOW - timedelta(days=20)))
        assert (await rig.sweeper.sweep(NOW)).sent == 0  # 01:30 in Los Angeles
        assert await rig.reminders.scheduled(TENANT, "contoso") == utc("2026-11-02T17:00")
        assert (await rig.sweeper.sweep(utc("2026-11-02T17:00"))).sent == 1
    finally:
        await rig.close()


async def test_a_weekend_reminder_comes_on_monday(tmp_path: Path, connector: FakeConnector) -> None:
    rig = build_rig(tmp_path / "data", connector, policy=BERLIN_HOURS)
    try:
        await rig.personal_chat()
        saturday = utc("2026-11-07T10:00")
        rig.clock.set(saturday)
        await rig.add(customer(created=saturday - timedelta(days=14)))
        assert (await rig.sweeper.sweep(saturday)).sent == 0
        assert await rig.reminders.scheduled(TENANT, "contoso") == utc("2026-11-09T08:00")
    finally:
        await rig.close()


async def test_a_pause_defers_reminders_without_losing_them(rig: Rig) -> None:
    await rig.personal_chat()
    preferences = await rig.reminders.preferences(TENANT, OWNER.id)
    preferences.paused_until = NOW.date() + timedelta(days=3)
    await rig.reminders.put_preferences(preferences)
    await rig.add(customer(created=NOW - timedelta(days=15)))
    report = await rig.sweeper.sweep(NOW)
    assert (report.deferred, report.sent) == (1, 0)
    resume = datetime.combine(NOW.date() + timedelta(days=3), time(0), tzinfo=UTC)
    assert await rig.reminders.scheduled(TENANT, "contoso") == resume
    assert (await rig.sweeper.sweep(resume)).sent == 1


async def test_a_snoozed_reminder_comes_again_after_the_snooze(rig: Rig) -> None:
    await rig.personal_chat()
    await rig.add(customer(created=NOW - timedelta(days=15)))
    await rig.sweeper.sweep(NOW)
    (reminder_id,) = reminder_ids(rig.connector.messages()[0])
    services = ReminderServices(
        rig.customers, rig.reminders, ANY_TIME, rig.clock, rig.store.summaries
    )
    value = {"action": "snooze", "customer": "contoso", "reminder": reminder_id, "days": 1}
    reply = await handle_reminder_action(click(value), TENANT, OWNER, NOW, services)
    assert reply.startswith("Snoozed")
    assert (await rig.sweeper.sweep(NOW + timedelta(hours=23))).sent == 0
    report = await rig.sweeper.sweep(NOW + timedelta(days=1))
    assert report.sent == 1
    assert [reminder_ids(sent) for sent in rig.connector.messages()] == [[reminder_id]] * 2
    assert await state(rig) == [("check_in", DeliveryState.SENT)]
    assert (await rig.sweeper.sweep(NOW + timedelta(days=2))).sent == 0


async def test_a_reminder_marked_done_before_it_was_sent_never_comes(rig: Rig) -> None:
    await rig.personal_chat()
    made = customer(created=NOW - timedelta(days=15))
    await rig.add(made)
    (due,) = due_reminders(made, NOW, ANY_TIME)
    services = ReminderServices(
        rig.customers, rig.reminders, ANY_TIME, rig.clock, rig.store.summaries
    )
    value = {"action": "reminder_done", "customer": made.id, "reminder": due.id}
    assert (await handle_reminder_action(click(value), TENANT, OWNER, NOW, services)).startswith(
        "Done"
    )
    assert (await rig.sweeper.sweep(NOW)).sent == 0
    assert rig.connector.messages() == []


# --- digest --------------------------------------------------------------------------------


async def test_digest_mode_sends_one_card_a_day_with_everything_due(rig: Rig) -> None:
    await rig.personal_chat()
    preferences = await rig.reminders.preferences(TENANT, OWNER.id)
    preferences.digest = True
    await rig.reminders.put_preferences(preferences)
    await rig.add(*(customer(f"c{n}", created=NOW - timedelta(days=15)) for n in range(3)))
    report = await rig.sweeper.sweep(NOW)
    assert (report.sent, report.cards) == (3, 1)
    (card,) = rig.connector.messages()
    assert len(reminder_ids(card)) == 3
    # Something else comes due later the same day: it waits for tomorrow's digest.
    await rig.add(customer("late", created=NOW - timedelta(days=14) + timedelta(hours=2)))
    later = NOW + timedelta(hours=3)
    assert (await rig.sweeper.sweep(later)).sent == 0
    tomorrow = datetime.combine(NOW.date() + timedelta(days=1), time(0), tzinfo=UTC)
    assert await rig.reminders.scheduled(TENANT, "late") == tomorrow
    report = await rig.sweeper.sweep(tomorrow)
    assert (report.sent, report.cards) == (1, 1)


async def test_a_long_digest_is_split_into_cards(rig: Rig) -> None:
    await rig.personal_chat()
    preferences = await rig.reminders.preferences(TENANT, OWNER.id)
    preferences.digest = True
    await rig.reminders.put_preferences(preferences)
    await rig.add(*(customer(f"c{n:02}", created=NOW - timedelta(days=15)) for n in range(12)))
    report = await rig.sweeper.sweep(NOW)
    assert (report.sent, report.cards) == (12, 2)
    assert sorted(len(reminder_ids(sent)) for sent in rig.connector.messages()) == [2, 10]


# --- where reminders go ----------------------------------------------------------------------


async def test_without_any_chat_the_reminder_waits(rig: Rig) -> None:
    await rig.add(customer(created=NOW - timedelta(days=15)))
    report = await rig.sweeper.sweep(NOW)
    assert (report.sent, report.failed) == (0, 1)
    (record,) = (await rig.reminders.records(TENANT, "contoso")).values()
    assert record.state == DeliveryState.PENDING
    assert record.retry_at == NOW + timedelta(hours=1)
    assert "no conversation" in record.last_error
    await rig.personal_chat()
    assert (await rig.sweeper.sweep(NOW + timedelta(hours=1))).sent == 1


async def test_the_customers_conversation_is_the_fallback(rig: Rig) -> None:
    await rig.store.references.put(TENANT, GROUP, reference(rig.connector.url, GROUP, OTHER))
    await rig.reminders.remember_customer_conversation(TENANT, "contoso", GROUP)
    await rig.add(customer(created=NOW - timedelta(days=15)))
    assert (await rig.sweeper.sweep(NOW)).sent == 1
    assert [sent.conversation_id for sent in rig.connector.messages()] == [GROUP]


async def test_the_personal_chat_wins_and_a_stale_one_falls_back(rig: Rig) -> None:
    await rig.personal_chat()
    await rig.store.references.put(TENANT, GROUP, reference(rig.connector.url, GROUP, OTHER))
    await rig.reminders.remember_customer_conversation(TENANT, "contoso", GROUP)
    await rig.reminders.remember_customer_conversation(TENANT, "fabrikam", GROUP)
    await rig.add(customer(created=NOW - timedelta(days=15)))
    await rig.sweeper.sweep(NOW)
    await rig.store.references.mark_stale(TENANT, PERSONAL)
    await rig.add(customer("fabrikam", created=NOW - timedelta(days=15)))
    await rig.sweeper.sweep(NOW)
    assert [sent.conversation_id for sent in rig.connector.messages()] == [PERSONAL, GROUP]


async def test_each_owner_gets_their_own_reminders(rig: Rig) -> None:
    await rig.personal_chat()
    await rig.personal_chat(OTHER, "a:personal-per")
    await rig.add(customer("mine", created=NOW - timedelta(days=15)))
    await rig.add(customer("theirs", created=NOW - timedelta(days=15), owner=OTHER))
    await rig.sweeper.sweep(NOW)
    by_chat = {sent.conversation_id: sent.cards[0] for sent in rig.connector.messages()}
    assert set(by_chat) == {PERSONAL, "a:personal-per"}
    assert "Mine" in str(by_chat[PERSONAL])
    assert "Theirs" in str(by_chat["a:personal-per"])


async def test_a_burst_of_reminders_comes_as_one_card(rig: Rig) -> None:
    await rig.personal_chat()
    await rig.add(*(customer(f"c{n}", created=NOW - timedelta(days=15)) for n in range(6)))
    report = await rig.sweeper.sweep(NOW)
    assert (report.sent, report.cards) == (6, 1)
    assert (await rig.reminders.preferences(TENANT, OWNER.id)).last_digest_on is None


async def test_a_digest_never_mixes_conversations(rig: Rig) -> None:
    preferences = await rig.reminders.preferences(TENANT, OWNER.id)
    preferences.digest = True
    await rig.reminders.put_preferences(preferences)
    for name in ("alpha", "beta"):
        chat = f"19:{name}@thread.v2"
        await rig.store.references.put(TENANT, chat, reference(rig.connector.url, chat, OTHER))
        await rig.reminders.remember_customer_conversation(TENANT, name, chat)
        await rig.add(customer(name, created=NOW - timedelta(days=15)))
    report = await rig.sweeper.sweep(NOW)
    assert (report.sent, report.cards) == (2, 2)
    by_chat = {sent.conversation_id: texts_of(sent) for sent in rig.connector.messages()}
    assert "Alpha" in by_chat["19:alpha@thread.v2"]
    assert "Beta" not in by_chat["19:alpha@thread.v2"]


def texts_of(sent: Any) -> str:
    return str(sent.cards)
