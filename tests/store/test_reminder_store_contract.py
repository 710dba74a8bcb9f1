"""The reminder store contract on both backends, and the PostgreSQL claim: lease and fencing."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import pytest

from engagement.ports import ReminderStore
from engagement.reminder_records import DeliveryRecord, DeliveryState, IndexEntry, Rescheduled
from engagement.reminders import ReminderPolicy, due_reminders
from store.pg import PostgresStore
from store.pg.reminders import DEFAULT_LEASE, PgReminderStore
from store.reminders import open_reminder_store
from tests.support.postgres import started_pg_store
from tests.support.reminders import NOW, OWNER, TENANT, customer

POLICY = ReminderPolicy()


@pytest.fixture(params=["tinydb", "postgres"])
async def reminders(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[ReminderStore]:
    """The TinyDB and the PostgreSQL reminder store: one contract."""
    if request.param == "tinydb":
        yield open_reminder_store(tmp_path / "reminders")
        return
    async with started_pg_store(request.getfixturevalue("postgres_url")) as pg_store:
        yield pg_store.reminders


async def test_an_empty_store_has_nothing_due(reminders: ReminderStore) -> None:
    assert await reminders.due(NOW, 10) == []
    assert await reminders.scheduled(TENANT, "contoso") is None


async def test_due_is_capped_and_earliest_first(reminders: ReminderStore) -> None:
    for number in range(5):
        await reminders.schedule(TENANT, f"c{number}", NOW - timedelta(hours=number))
    await reminders.schedule(TENANT, "later", NOW + timedelta(minutes=1))

    due = await reminders.due(NOW, 3)

    assert [e.customer_id for e in due] == ["c4", "c3", "c2"]


async def test_a_swept_customer_gets_its_next_time(reminders: ReminderStore) -> None:
    await reminders.schedule(TENANT, "a", NOW - timedelta(days=1))
    (entry,) = await reminders.due(NOW, 10)

    await reminders.reschedule([Rescheduled(TENANT, "a", NOW + timedelta(days=14), (entry,))], NOW)

    assert await reminders.due(NOW + timedelta(days=13), 10) == []
    assert await reminders.scheduled(TENANT, "a") == NOW + timedelta(days=14)
    await reminders.schedule(TENANT, "a", None)
    assert await reminders.scheduled(TENANT, "a") is None


async def test_rescheduling_what_no_sweep_looked_at_sets_its_time(
    reminders: ReminderStore,
) -> None:
    """As an import indexes its customers (PostgreSQL skipped them: imported customers were
    never reminded)."""
    await reminders.reschedule([Rescheduled(TENANT, "imported", NOW, ())], NOW)

    assert await reminders.scheduled(TENANT, "imported") == NOW
    assert [e.customer_id for e in await reminders.due(NOW, 10)] == ["imported"]


async def test_schedule_no_later_only_moves_earlier(reminders: ReminderStore) -> None:
    await reminders.schedule_no_later(TENANT, "a", NOW + timedelta(days=5))
    await reminders.schedule_no_later(TENANT, "a", NOW + timedelta(days=9))
    assert await reminders.scheduled(TENANT, "a") == NOW + timedelta(days=5)
    await reminders.schedule_no_later(TENANT, "a", NOW)
    assert await reminders.scheduled(TENANT, "a") == NOW


async def test_an_import_is_indexed_in_one_batch_never_later(reminders: ReminderStore) -> None:
    await reminders.schedule(TENANT, "c00", NOW - timedelta(days=9))
    imported = [IndexEntry(TENANT, f"c{n:02d}", NOW - timedelta(days=3)) for n in range(40)]
    await reminders.schedule_many_no_later(imported)
    due = await reminders.due(NOW, 100)
    assert {e.customer_id for e in due} == {f"c{n:02d}" for n in range(40)}
    assert min(e.due for e in due if e.customer_id == "c00") == NOW - timedelta(days=9)


async def test_an_imported_customer_is_scheduled_at_its_time(reminders: ReminderStore) -> None:
    """So a save after the import moves its entry only earlier (no write for a later time)."""
    await reminders.schedule_many_no_later([IndexEntry(TENANT, "a", NOW + timedelta(days=1))])
    assert await reminders.scheduled(TENANT, "a") == NOW + timedelta(days=1)
    await reminders.schedule_no_later(TENANT, "a", NOW + timedelta(days=14))
    assert await reminders.scheduled(TENANT, "a") == NOW + timedelta(days=1)


async def test_tenants_do_not_share_entries_or_records(reminders: ReminderStore) -> None:
    await reminders.schedule("t1", "same", NOW)
    await reminders.schedule("t2", "same", NOW + timedelta(days=1))
    assert [(e.tenant_id, e.customer_id) for e in await reminders.due(NOW, 10)] == [("t1", "same")]
    (reminder, *_) = due_reminders(customer(created=NOW - timedelta(days=20)), NOW, POLICY)
    await reminders.put_records([DeliveryRecord.for_reminder(reminder, NOW)])
    assert await reminders.records("other", reminder.customer_id) == {}
    assert set(await reminders.records(TENANT, reminder.customer_id)) == {reminder.id}


async def test_records_round_trip_and_old_settled_ones_are_pruned(
    reminders: ReminderStore,
) -> None:
    made = customer(created=NOW - timedelta(days=40), renewal=NOW.date() + timedelta(days=30))
    records = [DeliveryRecord.for_reminder(r, NOW) for r in due_reminders(made, NOW, POLICY)]
    records[0].state = DeliveryState.SENT
    records[0].sent_at = NOW
    await reminders.put_records(records)
    assert await reminders.records(TENANT, made.id) == {record.id: record for record in records}

    old = records[0].model_copy(update={"id": "old", "due_on": NOW.date() - timedelta(days=500)})
    await reminders.put_records([old])
    await reminders.put_records([records[0].model_copy(update={"id": "fresh"})])
    assert "old" not in await reminders.records(TENANT, made.id)
    assert "fresh" in await reminders.records(TENANT, made.id)


async def test_preferences_default_and_round_trip(reminders: ReminderStore) -> None:
    preferences = await reminders.preferences(TENANT, OWNER.id)
    assert (preferences.digest, preferences.paused_until, preferences.time_zone) == (
        False,
        None,
        None,
    )
    preferences.digest = True
    preferences.paused_until = NOW.date() + timedelta(days=3)
    preferences.last_digest_on = NOW.date()
    await reminders.put_preferences(preferences)
    assert await reminders.preferences(TENANT, OWNER.id) == preferences
    assert (await reminders.preferences("other-tenant", OWNER.id)).digest is False


async def test_remembering_the_users_conversation(reminders: ReminderStore) -> None:
    await reminders.remember_user_conversation(
        TENANT, OWNER.id, "a:personal", is_personal=True, time_zone="Europe/Berlin"
    )
    await reminders.remember_user_conversation(
        TENANT, OWNER.id, "19:group@thread.v2", is_personal=False, time_zone="Not/AZone"
    )

    preferences = await reminders.preferences(TENANT, OWNER.id)
    assert preferences.personal_conversation_id == "a:personal"
    assert preferences.last_conversation_id == "19:group@thread.v2"
    assert preferences.time_zone == "Europe/Berlin"  # an unknown zone is not stored


async def test_remembering_keeps_the_users_other_preferences(reminders: ReminderStore) -> None:
    preferences = await reminders.preferences(TENANT, OWNER.id)
    preferences.digest = True
    await reminders.put_preferences(preferences)

    await reminders.remember_user_conversation(TENANT, OWNER.id, "a:personal", is_personal=True)

    stored = await reminders.preferences(TENANT, OWNER.id)
    assert (stored.digest, stored.personal_conversation_id) == (True, "a:personal")


async def test_the_users_languages_are_kept_apart(reminders: ReminderStore) -> None:
    await reminders.remember_user_conversation(
        TENANT, OWNER.id, "a:personal", is_personal=True, client_language="de"
    )
    preferences = await reminders.preferences(TENANT, OWNER.id)
    assert (preferences.language, preferences.client_language, preferences.speaks()) == (
        None,
        "de",
        "de",
    )
    preferences.language = "en"  # `language en`
    await reminders.put_preferences(preferences)
    assert await reminders.preferences(TENANT, OWNER.id) == preferences

    # a turn without a locale keeps the client's language; one with a locale never the choice
    await reminders.remember_user_conversation(TENANT, OWNER.id, "a:other", is_personal=False)
    await reminders.remember_user_conversation(
        TENANT, OWNER.id, "a:personal", is_personal=True, client_language="de"
    )
    stored = await reminders.preferences(TENANT, OWNER.id)
    assert (stored.language, stored.client_language, stored.speaks()) == ("en", "de", "en")


async def test_customer_conversation_is_remembered(reminders: ReminderStore) -> None:
    assert await reminders.customer_conversation(TENANT, "a") is None
    await reminders.remember_customer_conversation(TENANT, "a", "19:team@thread.tacv2")
    assert await reminders.customer_conversation(TENANT, "a") == "19:team@thread.tacv2"


# --- PostgreSQL: the index is a queue that replicas claim from ------------------------------------


async def test_concurrent_claims_never_return_one_customer_twice(pg_store: PostgresStore) -> None:
    for number in range(60):
        await pg_store.reminders.schedule(TENANT, f"c{number:02}", NOW - timedelta(minutes=number))
    replicas = [PgReminderStore(pg_store.pool) for _ in range(3)]

    claimed = await asyncio.gather(*(replica.due(NOW, 25) for replica in replicas))

    customers = [entry.customer_id for batch in claimed for entry in batch]
    assert sorted(customers) == [f"c{number:02}" for number in range(60)]
    assert await pg_store.reminders.due(NOW, 100) == []  # all claimed, lease running


async def test_an_expired_lease_is_claimed_again_and_the_late_completion_is_fenced(
    pg_store: PostgresStore,
) -> None:
    await pg_store.reminders.schedule(TENANT, "a", NOW - timedelta(minutes=1))
    (first,) = await pg_store.reminders.due(NOW, 10)  # this replica then stalls (or dies)
    assert await pg_store.reminders.due(NOW + DEFAULT_LEASE - timedelta(seconds=1), 10) == []

    later = NOW + DEFAULT_LEASE
    (second,) = await pg_store.reminders.due(later, 10)
    await pg_store.reminders.reschedule(  # the stalled replica wakes up: its claim is gone
        [Rescheduled(TENANT, "a", NOW + timedelta(days=30), (first,))], NOW
    )
    assert await pg_store.reminders.scheduled(TENANT, "a") == NOW - timedelta(minutes=1)
    await pg_store.reminders.reschedule(
        [Rescheduled(TENANT, "a", later + timedelta(days=1), (second,))], later
    )

    assert second.location != first.location
    assert await pg_store.reminders.scheduled(TENANT, "a") == later + timedelta(days=1)
    assert await pg_store.reminders.due(later + timedelta(days=1), 10) != []


async def test_a_time_asked_for_while_claimed_is_kept_when_earlier(
    pg_store: PostgresStore,
) -> None:
    await pg_store.reminders.schedule(TENANT, "a", NOW - timedelta(minutes=1))
    (entry,) = await pg_store.reminders.due(NOW, 10)

    await pg_store.reminders.schedule_no_later(TENANT, "a", NOW + timedelta(hours=1))  # a turn
    await pg_store.reminders.reschedule(
        [Rescheduled(TENANT, "a", NOW + timedelta(days=1), (entry,))], NOW
    )

    assert await pg_store.reminders.scheduled(TENANT, "a") == NOW + timedelta(hours=1)
