"""The times of bulk-written index entries (store/bulk_times.py): after a first start or an
import, a save whose customer's entry is already early enough writes nothing to the index."""

from __future__ import annotations

import shutil
from datetime import timedelta
from pathlib import Path

import pytest

from engagement.clock import FixedClock
from engagement.models import Touch
from engagement.reminder_index import SchedulingCustomerRepository
from engagement.reminder_records import IndexEntry, Rescheduled
from engagement.reminders import ReminderPolicy
from store import open_store
from store.reminders import TinyReminderStore, open_reminder_store
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


def index_writes(written: list[Path], reminders: TinyReminderStore) -> list[Path]:
    return [path for path in written if path.is_relative_to(reminders.root)]


async def test_an_imported_entry_early_enough_is_not_written_again(
    reminders: TinyReminderStore, writes: list[Path]
) -> None:
    await reminders.schedule_many_no_later([IndexEntry(TENANT, "a", NOW)])
    assert await reminders.scheduled(TENANT, "a") == NOW
    writes.clear()

    await reminders.schedule_no_later(TENANT, "a", NOW + timedelta(days=14))  # a touch

    assert index_writes(writes, reminders) == []  # was: a new entry and a pointer
    assert [e.customer_id for e in await reminders.due(NOW)] == ["a"]


async def test_an_earlier_time_than_the_bulk_entry_is_written(
    reminders: TinyReminderStore,
) -> None:
    await reminders.schedule_many_no_later([IndexEntry(TENANT, "a", NOW + timedelta(days=9))])

    await reminders.schedule_no_later(TENANT, "a", NOW + timedelta(days=2))

    assert await reminders.scheduled(TENANT, "a") == NOW + timedelta(days=2)
    assert [e.customer_id for e in await reminders.due(NOW + timedelta(days=2))] == ["a"]


async def test_without_the_recorded_times_a_save_writes_as_before(
    reminders: TinyReminderStore, writes: list[Path]
) -> None:
    """A crash after the bulk entries and before their times were recorded."""
    await reminders.schedule_many_no_later([IndexEntry(TENANT, "a", NOW)])
    shutil.rmtree(reminders.root / "bulk")
    reopened = open_reminder_store(reminders.root)
    assert await reopened.scheduled(TENANT, "a") is None
    writes.clear()

    await reopened.schedule_no_later(TENANT, "a", NOW + timedelta(days=14))

    assert await reopened.scheduled(TENANT, "a") == NOW + timedelta(days=14)
    assert index_writes(writes, reopened) != []


async def test_a_swept_customer_answers_from_its_pointer(reminders: TinyReminderStore) -> None:
    await reminders.schedule_many_no_later([IndexEntry(TENANT, "a", NOW)])
    (entry,) = await reminders.due(NOW)

    await reminders.reschedule([Rescheduled(TENANT, "a", NOW + timedelta(days=14), (entry,))], NOW)

    assert await reminders.scheduled(TENANT, "a") == NOW + timedelta(days=14)
    await reminders.schedule(TENANT, "a", None)
    assert await reminders.scheduled(TENANT, "a") is None  # not the bulk entry's, now gone
    assert await reminders.due(NOW + timedelta(days=30)) == []


async def test_the_earliest_of_two_bulk_writes_is_kept(reminders: TinyReminderStore) -> None:
    early, late = NOW + timedelta(days=1), NOW + timedelta(days=3)
    await reminders.schedule_many_no_later([IndexEntry(TENANT, "a", early)])
    await reminders.schedule_many_no_later([IndexEntry(TENANT, "a", late)])
    await reminders.schedule_many_no_later([IndexEntry("t2", "a", late)])

    assert await reminders.scheduled(TENANT, "a") == early
    assert await reminders.scheduled("t2", "a") == late
    assert await open_reminder_store(reminders.root).scheduled(TENANT, "a") == early


async def test_a_touch_after_the_first_build_writes_no_index_file(
    tmp_path: Path, writes: list[Path]
) -> None:
    with open_store(tmp_path / "data", clock=FixedClock(NOW)) as data:
        added = await data.customers.add(customer("overdue", created=NOW - timedelta(days=20)))
        assert await data.reminders.build_index(tmp_path / "data" / "customers", POLICY, NOW) == 1
        customers = SchedulingCustomerRepository(
            data.customers, data.reminders, POLICY, FixedClock(NOW)
        )
        writes.clear()
        added.touches = [Touch(at=NOW, by=OWNER)]

        await customers.save(added)

        assert index_writes(writes, data.reminders) == []
        assert [e.customer_id for e in await data.reminders.due(NOW)] == ["overdue"]
