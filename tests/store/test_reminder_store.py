"""TinyReminderStore: the bucketed next-due index, delivery records, preferences, first build."""

from __future__ import annotations

import asyncio
import threading
from datetime import timedelta
from pathlib import Path

import pytest

import store.atomic_storage
import store.pointers
import store.shards
from engagement.clock import FixedClock
from engagement.errors import ConcurrencyConflict
from engagement.models import Touch
from engagement.reminder_index import SchedulingCustomerRepository
from engagement.reminder_records import DeliveryRecord, DeliveryState, IndexEntry, Rescheduled
from engagement.reminders import ReminderPolicy, due_reminders
from store import open_store
from store.reminders import TinyReminderStore, bucket_of, open_reminder_store
from tests.support.durable_writes import count_durable_writes
from tests.support.reminders import NOW, OWNER, TENANT, customer

POLICY = ReminderPolicy()


@pytest.fixture
def reminders(tmp_path: Path) -> TinyReminderStore:
    return open_reminder_store(tmp_path / "reminders")


@pytest.fixture
def writes(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Every durable single-file write, by path."""
    return count_durable_writes(monkeypatch)


def bucket_files(reminders: TinyReminderStore) -> list[str]:
    return sorted(p.stem for p in (reminders.root / "due").glob("*.json"))


async def test_entries_are_due_once_their_time_has_come(reminders: TinyReminderStore) -> None:
    times = {
        "a": NOW - timedelta(hours=3),
        "b": NOW + timedelta(minutes=5),  # same bucket as now, later
        "c": NOW + timedelta(days=3),
    }
    for customer_id, due in times.items():
        await reminders.schedule(TENANT, customer_id, due)
    assert [e.customer_id for e in await reminders.due(NOW)] == ["a"]
    assert [e.customer_id for e in await reminders.due(NOW + timedelta(minutes=5))] == ["a", "b"]
    assert bucket_files(reminders) == ["20261102T0630", "20261102T0930", "20261105T0930"]
    assert bucket_of(NOW + timedelta(minutes=9, seconds=59)) == "20261102T0930"


async def test_due_reads_no_bucket_after_the_current_hour(reminders: TinyReminderStore) -> None:
    await reminders.schedule(TENANT, "a", NOW)
    await reminders.schedule(TENANT, "future", NOW + timedelta(days=2))
    future = reminders.root / "due" / f"{bucket_of(NOW + timedelta(days=2))}.json"
    reopened = open_reminder_store(reminders.root)
    future.write_text("this is not JSON", encoding="utf-8")  # reading it would raise
    assert [e.customer_id for e in await reopened.due(NOW)] == ["a"]


async def test_rescheduling_moves_the_entry_and_drops_empty_buckets(
    reminders: TinyReminderStore,
) -> None:
    await reminders.schedule(TENANT, "a", NOW - timedelta(days=1))
    (entry,) = await reminders.due(NOW)
    await reminders.schedule(TENANT, "a", NOW + timedelta(days=14), replacing=entry)
    assert await reminders.due(NOW) == []
    assert bucket_files(reminders) == [bucket_of(NOW + timedelta(days=14))]
    assert await reminders.scheduled(TENANT, "a") == NOW + timedelta(days=14)
    await reminders.schedule(TENANT, "a", None)
    assert bucket_files(reminders) == []
    assert await reminders.scheduled(TENANT, "a") is None


async def test_a_stray_entry_is_dropped_when_the_sweep_reschedules_it(
    reminders: TinyReminderStore,
) -> None:
    # A bulk-loaded (or crash-left) entry that the customer's pointer does not know about.
    reminders.bulk_load([IndexEntry(TENANT, "a", NOW - timedelta(days=2))])
    await reminders.schedule(TENANT, "a", NOW - timedelta(hours=1))
    entries = await reminders.due(NOW)
    assert [e.customer_id for e in entries] == ["a", "a"]
    for entry in entries:
        await reminders.schedule(TENANT, "a", NOW + timedelta(days=1), replacing=entry)
    assert await reminders.due(NOW) == []
    assert bucket_files(reminders) == [bucket_of(NOW + timedelta(days=1))]


async def test_the_index_survives_a_restart(reminders: TinyReminderStore) -> None:
    await reminders.schedule(TENANT, "a", NOW - timedelta(minutes=1))
    reopened = open_reminder_store(reminders.root)
    assert [e.customer_id for e in await reopened.due(NOW)] == ["a"]
    assert await reopened.scheduled(TENANT, "a") == NOW - timedelta(minutes=1)


async def test_records_round_trip_in_one_write_per_customer(
    reminders: TinyReminderStore, writes: list[Path]
) -> None:
    made = customer(created=NOW - timedelta(days=40), renewal=NOW.date() + timedelta(days=30))
    due = due_reminders(made, NOW, POLICY)
    records = [DeliveryRecord.for_reminder(r, NOW) for r in due]
    records[0].state = DeliveryState.SENT
    records[0].sent_at = NOW
    await reminders.put_records(records)
    assert len(writes) == 1
    stored = await reminders.records(TENANT, made.id)
    assert stored == {record.id: record for record in records}


async def test_old_settled_records_are_pruned(reminders: TinyReminderStore) -> None:
    old = DeliveryRecord.for_reminder(
        due_reminders(customer(created=NOW - timedelta(days=20)), NOW, POLICY)[0], NOW
    ).model_copy(update={"state": DeliveryState.SENT, "due_on": NOW.date() - timedelta(days=500)})
    pending = old.model_copy(update={"id": "check_in-pending", "state": DeliveryState.PENDING})
    await reminders.put_records([old, pending])
    fresh = old.model_copy(update={"id": "check_in-fresh", "due_on": NOW.date()})
    await reminders.put_records([fresh])
    assert set(await reminders.records(TENANT, old.customer_id)) == {
        "check_in-pending",
        "check_in-fresh",
    }


async def test_remember_user_conversation_writes_only_on_change(
    reminders: TinyReminderStore, writes: list[Path]
) -> None:
    for _ in range(3):
        await reminders.remember_user_conversation(
            TENANT, OWNER.id, "a:personal", is_personal=True, time_zone="Europe/Berlin"
        )
    assert len(writes) == 1
    await reminders.remember_user_conversation(
        TENANT, OWNER.id, "19:group@thread.v2", is_personal=False, time_zone="Not/AZone"
    )
    preferences = await reminders.preferences(TENANT, OWNER.id)
    assert preferences.personal_conversation_id == "a:personal"
    assert preferences.last_conversation_id == "19:group@thread.v2"
    assert preferences.time_zone == "Europe/Berlin"  # an unknown zone is not stored
    assert len(writes) == 2


async def test_remembering_again_after_another_write_rechecks_the_stored_preferences(
    reminders: TinyReminderStore,
) -> None:
    await reminders.remember_user_conversation(TENANT, OWNER.id, "a:personal", is_personal=True)
    outdated = await reminders.preferences(TENANT, OWNER.id)
    outdated.last_conversation_id = "19:old@thread.v2"  # e.g. a command that read it earlier
    await reminders.put_preferences(outdated)

    await reminders.remember_user_conversation(TENANT, OWNER.id, "a:personal", is_personal=True)

    assert (await reminders.preferences(TENANT, OWNER.id)).last_conversation_id == "a:personal"


async def test_the_first_build_indexes_existing_customers_once(tmp_path: Path) -> None:
    with open_store(tmp_path / "data") as data:
        await data.customers.add(customer("due-now", created=NOW - timedelta(days=20)))
        await data.customers.add(customer("due-later", created=NOW - timedelta(days=2)))
        await data.customers.add(
            customer("elsewhere", created=NOW).model_copy(update={"tenant_id": "t2"})
        )
    reminders = open_reminder_store(tmp_path / "data" / "reminders")
    assert not reminders.index_built()
    assert await reminders.build_index(tmp_path / "data" / "customers", POLICY, NOW) == 3
    assert reminders.index_built()
    assert [e.customer_id for e in await reminders.due(NOW)] == ["due-now"]
    later = await reminders.due(NOW + timedelta(days=30))
    assert sorted((e.tenant_id, e.customer_id) for e in later) == [
        ("t2", "elsewhere"),
        (TENANT, "due-later"),
        (TENANT, "due-now"),
    ]
    assert await reminders.build_index(tmp_path / "data" / "customers", POLICY, NOW) == 0


async def test_build_index_of_a_new_store_writes_nothing(tmp_path: Path) -> None:
    reminders = open_reminder_store(tmp_path / "reminders")
    assert await reminders.build_index(tmp_path / "customers", POLICY, NOW) == 0
    assert not reminders.index_built()
    assert not (tmp_path / "reminders").exists()
    (tmp_path / "customers").mkdir()
    assert await reminders.build_index(tmp_path / "customers", POLICY, NOW) == 0
    assert reminders.index_built()


async def test_saving_a_customer_moves_its_entry_earlier_never_later(tmp_path: Path) -> None:
    with open_store(tmp_path / "data") as data:
        reminders = open_reminder_store(tmp_path / "data" / "reminders")
        clock = FixedClock(NOW)
        customers = SchedulingCustomerRepository(data.customers, reminders, POLICY, clock)
        added = await customers.add(customer(created=NOW))
        assert await reminders.scheduled(TENANT, added.id) == NOW + timedelta(days=14)
        added.renewal_date = NOW.date() + timedelta(days=95)  # 90-day reminder in 5 days
        saved = await customers.save(added)
        in_five_days = await reminders.scheduled(TENANT, added.id)
        assert in_five_days is not None
        assert (in_five_days - NOW).days == 4
        saved.touches = [Touch(at=NOW, by=OWNER)]
        saved.renewal_date = None
        await customers.save(saved)
        assert await reminders.scheduled(TENANT, added.id) == in_five_days  # the sweep moves it


async def test_the_index_is_written_before_the_customer(tmp_path: Path) -> None:
    with open_store(tmp_path / "data") as data:
        reminders = open_reminder_store(tmp_path / "data" / "reminders")
        customers = SchedulingCustomerRepository(data.customers, reminders, POLICY, FixedClock(NOW))
        added = await customers.add(customer(created=NOW))
        stale = added.model_copy(update={"version": 0, "created_at": NOW - timedelta(days=20)})
        with pytest.raises(ConcurrencyConflict):
            await customers.save(stale)
        # The failed save still pulled the entry forward: an early look, never a missed one.
        assert await reminders.scheduled(TENANT, added.id) == NOW


async def test_rescheduling_a_sweep_rewrites_each_bucket_once_not_per_customer(
    reminders: TinyReminderStore, writes: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    staged: list[int] = []  # files per staged batch of pointers

    def stage(directory: Path, contents: list[tuple[Path, bytes]]) -> list[tuple[Path, Path]]:
        staged.append(len(contents))
        return store.atomic_storage.stage_many(directory, contents)

    monkeypatch.setattr(store.pointers, "stage_many", stage)
    due = NOW - timedelta(days=1)
    ids = [f"c{n:03d}" for n in range(50)]  # imported together: one bucket
    reminders.bulk_load(IndexEntry(TENANT, customer_id, due) for customer_id in ids)
    looked = await reminders.due(NOW, 100)
    writes.clear()

    later = NOW + timedelta(days=3)
    swept = [Rescheduled(TENANT, e.customer_id, later, (e,)) for e in looked]
    await reminders.reschedule(swept, NOW)

    assert bucket_files(reminders) == [bucket_of(later)]
    assert [e.customer_id for e in await reminders.due(later, 100)] == ids
    assert all([await reminders.scheduled(TENANT, i) for i in ids])
    bucket_writes = [path for path in writes if path.parent.name == "due"]
    assert len(bucket_writes) <= 2  # the new bucket once; the old one deleted, not rewritten
    assert len(writes) == len(bucket_writes)  # no pointer written one by one (was 50)
    assert staged == [len(ids)]  # all 50 pointers staged and synced at once


async def test_a_turn_writing_a_pointer_while_a_sweep_stages_its_pointers_keeps_it(
    reminders: TinyReminderStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The sweep's pointers are written in a worker thread; a turn runs meanwhile."""
    for customer_id in ("a", "x", "saved"):
        await reminders.schedule(TENANT, customer_id, NOW - timedelta(minutes=30))
    looked = {e.customer_id: e for e in await reminders.due(NOW, 10)}
    loop = asyncio.get_running_loop()
    staging, turn_done = asyncio.Event(), threading.Event()

    def stage(directory: Path, contents: list[tuple[Path, bytes]]) -> list[tuple[Path, Path]]:
        loop.call_soon_threadsafe(staging.set)
        turn_done.wait(timeout=10)
        return store.atomic_storage.stage_many(directory, contents)

    monkeypatch.setattr(store.pointers, "stage_many", stage)
    swept_to, wanted = NOW + timedelta(days=14), NOW - timedelta(minutes=25)  # looked slot
    soon = NOW + timedelta(days=1)

    async def turn() -> None:
        await staging.wait()
        await reminders.schedule(TENANT, "x", wanted)  # e.g. a snooze
        await reminders.remember_customer_conversation(TENANT, "a", "19:chat")
        # A save asking for a time earlier than the sweep's, later than the old pointer's.
        await reminders.schedule_no_later(TENANT, "saved", soon)
        turn_done.set()

    await asyncio.gather(
        reminders.reschedule(
            [Rescheduled(TENANT, c, swept_to, (looked[c],)) for c in ("a", "x", "saved")], NOW
        ),
        turn(),
    )

    assert await reminders.scheduled(TENANT, "x") == wanted  # not the sweep's
    assert "x" in {e.customer_id for e in await reminders.due(wanted, 10)}
    assert await reminders.customer_conversation(TENANT, "a") == "19:chat"
    reopened = open_reminder_store(reminders.root)  # what the files say
    assert await reopened.scheduled(TENANT, "x") == wanted
    assert await reopened.customer_conversation(TENANT, "a") == "19:chat"
    assert "a" in {e.customer_id for e in await reopened.due(swept_to, 10)}
    assert await reopened.scheduled(TENANT, "saved") == soon  # not the sweep's later time
    assert "saved" in {e.customer_id for e in await reopened.due(soon, 10)}


async def test_rescheduling_keeps_an_earlier_time_set_while_the_sweep_ran(
    reminders: TinyReminderStore,
) -> None:
    reminders.bulk_load([IndexEntry(TENANT, "a", NOW - timedelta(hours=1))])
    reminders.bulk_load([IndexEntry(TENANT, "b", NOW - timedelta(hours=1))])
    looked = {e.customer_id: e for e in await reminders.due(NOW, 10)}
    soon = NOW + timedelta(hours=2)
    await reminders.schedule_no_later(TENANT, "a", soon)  # a turn saved "a" meanwhile
    await reminders.schedule_no_later(TENANT, "b", NOW + timedelta(days=9))

    sweep_time = NOW + timedelta(days=5)
    await reminders.reschedule(
        [Rescheduled(TENANT, i, sweep_time, (looked[i],)) for i in ("a", "b")], NOW
    )

    assert await reminders.scheduled(TENANT, "a") == soon
    assert await reminders.scheduled(TENANT, "b") == sweep_time
    assert {e.customer_id for e in await reminders.due(soon, 10)} == {"a"}


async def test_rescheduling_moves_entries_already_in_the_target_bucket(
    reminders: TinyReminderStore,
) -> None:
    later = NOW + timedelta(days=2)
    start = later.replace(minute=later.minute - later.minute % 10, second=0, microsecond=0)
    target, moved = start + timedelta(minutes=5), start + timedelta(minutes=2)  # one bucket
    await reminders.schedule(TENANT, "a", target)
    reminders.bulk_load([IndexEntry(TENANT, "a", NOW - timedelta(hours=1))])
    looked = await reminders.due(NOW, 10)

    await reminders.reschedule([Rescheduled(TENANT, "a", moved, tuple(looked))], NOW)

    assert [e.due for e in await reminders.due(target, 10)] == [moved]  # moved, not added
    assert await reminders.scheduled(TENANT, "a") == moved


async def test_a_turn_scheduling_while_a_sweep_reschedules_keeps_its_entry(
    reminders: TinyReminderStore,
) -> None:
    """A `schedule_no_later` racing `reschedule` (found in review: the entry was removed)."""
    old, started = NOW - timedelta(minutes=2), NOW
    for customer_id in ("a", "x"):
        await reminders.schedule(TENANT, customer_id, old)
    looked = {e.customer_id: e for e in await reminders.due(started, 10)}
    swept_to, wanted = NOW + timedelta(hours=1), NOW + timedelta(minutes=2)

    async def turn() -> None:
        while await reminders.scheduled(TENANT, "a") != swept_to:  # noqa: ASYNC110 - any gap
            await asyncio.sleep(0)
        await reminders.schedule_no_later(TENANT, "x", wanted)

    await asyncio.gather(
        reminders.reschedule(
            [Rescheduled(TENANT, c, swept_to, (looked[c],)) for c in ("a", "x")], started
        ),
        turn(),
    )

    assert await reminders.scheduled(TENANT, "x") == wanted
    assert "x" in {e.customer_id for e in await reminders.due(wanted, 10)}
