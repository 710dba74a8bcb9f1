"""Delivery records in files of their own (store/delivery_records.py): a slow write leaves the event
loop free, concurrent writes for one customer lose nothing, older stores' records carry over."""

from __future__ import annotations

import asyncio
import threading
from datetime import timedelta
from pathlib import Path

import pytest

import store.shards
from engagement.reminder_records import DeliveryRecord, DeliveryState
from engagement.reminders import ReminderPolicy, due_reminders
from store.reminders import TinyReminderStore, open_reminder_store
from store.shards import ShardCache
from store.write_placement import WritePlacement
from tests.support.reminders import NOW, customer

POLICY = ReminderPolicy()


@pytest.fixture
def slow_disk(tmp_path: Path) -> TinyReminderStore:
    """A reminder store whose disk counts as slow: every placed write goes to a worker thread."""
    cache = ShardCache()
    cache.placement = WritePlacement(slow_seconds=0.0)
    return open_reminder_store(tmp_path / "reminders", cache)


def _records(count: int = 2) -> list[DeliveryRecord]:
    made = customer(created=NOW - timedelta(days=40), renewal=NOW.date() + timedelta(days=30))
    records = [DeliveryRecord.for_reminder(r, NOW) for r in due_reminders(made, NOW, POLICY)]
    assert len(records) >= count
    return records[:count]


async def test_a_slow_record_write_leaves_the_event_loop_free(
    slow_disk: TinyReminderStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    released = threading.Event()
    original = store.shards.write_text_atomic

    def waiting_for_the_loop(path: Path, text: str | bytes) -> None:
        # Inline on the event loop this would wait in vain: nothing else runs meanwhile.
        assert released.wait(5), "the event loop was blocked by the record write"
        original(path, text)

    monkeypatch.setattr(store.shards, "write_text_atomic", waiting_for_the_loop)
    (record,) = _records(1)
    writing = asyncio.create_task(slow_disk.put_records([record]))
    await asyncio.sleep(0)
    released.set()  # runs only while the write is off the loop
    await writing
    assert await slow_disk.records(record.tenant_id, record.customer_id) == {record.id: record}


async def test_concurrent_writes_for_one_customer_lose_nothing(
    slow_disk: TinyReminderStore,
) -> None:
    first, second = _records(2)
    sent = first.model_copy(update={"state": DeliveryState.SENT, "sent_at": NOW})
    await asyncio.gather(
        slow_disk.put_records([first]),
        slow_disk.put_records([second]),
        slow_disk.put_records([sent]),
    )
    stored = await slow_disk.records(first.tenant_id, first.customer_id)
    assert stored == {first.id: sent, second.id: second}
    reopened = open_reminder_store(slow_disk.root)
    assert await reopened.records(first.tenant_id, first.customer_id) == stored


async def test_records_of_an_older_store_are_read_and_carried_over(tmp_path: Path) -> None:
    old, new = _records(2)
    reminders = open_reminder_store(tmp_path / "reminders")
    reminders._write_customer_document(  # where records were kept before they had files
        {
            "tenant_id": old.tenant_id,
            "customer_id": old.customer_id,
            "records": {old.id: old.model_dump(mode="json")},
        }
    )
    assert await reminders.records(old.tenant_id, old.customer_id) == {old.id: old}
    await reminders.put_records([new])
    reopened = open_reminder_store(tmp_path / "reminders")
    assert await reopened.records(old.tenant_id, old.customer_id) == {old.id: old, new.id: new}
