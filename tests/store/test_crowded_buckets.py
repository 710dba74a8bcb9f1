"""Many customers due in the same 10 minutes (a first start or an import with most customers
overdue) spread over small chunk files, so a sweep reads and rewrites a few of them, not one file
with every overdue customer; and both backends index an import in one batch."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

import store.due_buckets
from engagement.reminder_records import IndexEntry, Rescheduled
from store.due_buckets import bucket_of
from store.reminders import TinyReminderStore, open_reminder_store
from tests.support.reminders import NOW, TENANT

CHUNK = 20  # store.due_buckets.CHUNK for these tests (250 in use), so they stay quick
OVERDUE = 3 * CHUNK + 7


@pytest.fixture(autouse=True)
def small_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(store.due_buckets, "CHUNK", CHUNK)


def entries_per_file(reminders: TinyReminderStore) -> dict[str, int]:
    return {
        path.stem: len(json.loads(path.read_text())["_default"])
        for path in sorted((reminders.root / "due").glob("*.json"))
    }


def overdue(count: int = OVERDUE) -> list[IndexEntry]:
    return [IndexEntry(TENANT, f"c{n:04d}", NOW - timedelta(days=3)) for n in range(count)]


async def test_a_crowded_slot_is_spread_over_chunk_files(tmp_path: Path) -> None:
    reminders = open_reminder_store(tmp_path / "reminders")
    reminders.bulk_load(overdue())

    files = entries_per_file(reminders)
    slot = bucket_of(NOW - timedelta(days=3))
    assert all(name.startswith(slot) for name in files)
    assert max(files.values()) <= CHUNK  # was one file of OVERDUE entries
    assert sum(files.values()) == OVERDUE
    due = await open_reminder_store(tmp_path / "reminders").due(NOW, CHUNK)
    assert len(due) == CHUNK
    assert len({entry.location for entry in due}) == 1  # read from one small file


async def test_a_sweep_rewrites_only_the_chunks_it_looked_at(tmp_path: Path) -> None:
    reminders = open_reminder_store(tmp_path / "reminders")
    await reminders.schedule_many_no_later(overdue())
    before = entries_per_file(reminders)
    looked = await reminders.due(NOW, CHUNK)
    later = NOW + timedelta(days=14)
    await reminders.reschedule(
        [Rescheduled(TENANT, e.customer_id, later, (e,)) for e in looked], NOW
    )

    after = entries_per_file(reminders)
    untouched = {name: n for name, n in before.items() if name not in {e.location for e in looked}}
    assert untouched.items() <= after.items()
    assert len(await reminders.due(NOW, 10 * OVERDUE)) == OVERDUE - CHUNK
    assert len(await reminders.due(later, 10 * OVERDUE)) == OVERDUE


async def test_entries_in_the_current_slots_chunks_are_due(tmp_path: Path) -> None:
    reminders = open_reminder_store(tmp_path / "reminders")
    now = NOW + timedelta(minutes=5)
    assert bucket_of(NOW + timedelta(minutes=1)) == bucket_of(now)
    reminders.bulk_load(
        IndexEntry(TENANT, f"c{n:04d}", NOW + timedelta(minutes=1)) for n in range(OVERDUE)
    )
    assert len(entries_per_file(reminders)) > 1
    assert len(await reminders.due(now, 10 * OVERDUE)) == OVERDUE


async def test_a_crowded_reschedule_points_each_customer_at_its_chunk(tmp_path: Path) -> None:
    reminders = open_reminder_store(tmp_path / "reminders")
    reminders.bulk_load(overdue())
    looked = await reminders.due(NOW, 10 * OVERDUE)
    soon = NOW + timedelta(hours=1)  # all to one slot again: more than one file holds it
    await reminders.reschedule(
        [Rescheduled(TENANT, e.customer_id, soon, (e,)) for e in looked], NOW
    )
    assert max(entries_per_file(reminders).values()) <= CHUNK

    placed = {e.location: e for e in await reminders.due(soon, 10 * OVERDUE)}
    assert len(placed) > 1
    for entry in placed.values():  # each moves again: its pointer names the file it is in
        await reminders.schedule(TENANT, entry.customer_id, NOW + timedelta(days=2))
    files = entries_per_file(reminders)
    assert sum(files.values()) == OVERDUE  # no stray left behind
    assert files[bucket_of(NOW + timedelta(days=2))] == len(placed)


async def test_indexing_an_import_twice_adds_no_second_entry(tmp_path: Path) -> None:
    reminders = open_reminder_store(tmp_path / "reminders")
    await reminders.schedule_many_no_later(overdue())
    await reminders.schedule_many_no_later(overdue())  # before and after the write (replicas)
    assert sum(entries_per_file(reminders).values()) == OVERDUE


async def test_a_crowded_reschedule_while_a_bulk_add_writes_its_chunks_loses_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    reminders = open_reminder_store(tmp_path / "reminders")
    reminders.bulk_load(overdue())
    looked = await reminders.due(NOW, 10 * OVERDUE)
    staging = store.due_buckets.stage_in_thread
    imported = [IndexEntry(TENANT, f"new{n:04d}", NOW - timedelta(days=3)) for n in range(50)]

    async def with_a_sweep_meanwhile(directory: Path, contents: list[tuple[Path, bytes]]) -> Any:
        # The bulk add awaits its chunk files: a sweep reschedules into the same crowded slot.
        await reminders.reschedule(
            [Rescheduled(TENANT, e.customer_id, e.due, (e,)) for e in looked], NOW
        )
        return await staging(directory, contents)

    monkeypatch.setattr(store.due_buckets, "stage_in_thread", with_a_sweep_meanwhile)
    await reminders.schedule_many_no_later(imported)

    files = entries_per_file(reminders)
    assert max(files.values()) <= CHUNK
    due = await open_reminder_store(tmp_path / "reminders").due(NOW, 10 * OVERDUE)
    assert {e.customer_id for e in due} == {e.customer_id for e in [*looked, *imported]}
    assert len(due) == OVERDUE + len(imported)
