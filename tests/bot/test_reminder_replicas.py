"""Three replicas sweeping one PostgreSQL database: each due reminder is sent once, and a replica
killed mid-sweep loses nothing."""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import AsyncExitStack
from datetime import timedelta
from pathlib import Path

import pytest
from botbuilder.core import ConversationState, MemoryStorage

from bot.adapter import build_adapter
from bot.outbound.pacing import RateLimiter
from bot.outbound.sending import AdapterTransport, ReminderSender
from bot.reminder_sweep import ReminderSweeper
from bot.settings import Settings
from engagement.clock import FixedClock
from engagement.models import Customer
from engagement.reminder_index import SchedulingCustomerRepository
from engagement.reminders import due_reminders
from store.pg import PostgresStore
from store.pg.reminders import DEFAULT_LEASE
from tests.support.connector import FakeConnector
from tests.support.postgres import empty_tables
from tests.support.reminders import ANY_TIME, NOW, OWNER, PERSONAL, TENANT, customer, reference
from tests.support.reminders import reminder_ids as ids_in

CUSTOMERS = 60
Trace = Callable[[str, Sequence[str]], None]
Replica = Callable[[Trace | None], Awaitable[ReminderSweeper]]


async def _no_sleep(_: float) -> None:
    return None


@pytest.fixture
async def replica(postgres_url: str, tmp_path: Path) -> AsyncIterator[Replica]:
    """Makes a replica: its own store (pool) and adapter on the shared database, and a sweeper."""
    empty_tables(postgres_url)
    settings = Settings(_env_file=None, DATA_DIR=tmp_path)  # type: ignore[call-arg]
    async with AsyncExitStack() as stack:

        async def make(trace: Trace | None = None) -> ReminderSweeper:
            store = PostgresStore(postgres_url, 4)
            await store.start()
            stack.push_async_callback(store.close)
            adapter = build_adapter(settings, ConversationState(MemoryStorage()))
            stack.push_async_callback(adapter.close)
            return ReminderSweeper(
                customers=SchedulingCustomerRepository(
                    store.customers, store.reminders, ANY_TIME, FixedClock(NOW)
                ),
                reminders=store.reminders,
                references=store.references,
                sender=ReminderSender(
                    AdapterTransport(adapter, ""), RateLimiter(1000, 1000), sleep=_no_sleep
                ),
                policy=ANY_TIME,
                batch=10,
                trace=trace,
            )

        yield make


async def _seed(postgres_url: str, connector: FakeConnector) -> set[str]:
    """CUSTOMERS customers of one owner, each with reminders due; returns the reminder ids."""
    store = PostgresStore(postgres_url, 2)
    await store.start()
    try:
        customers = SchedulingCustomerRepository(
            store.customers, store.reminders, ANY_TIME, FixedClock(NOW)
        )
        await store.references.put(TENANT, PERSONAL, reference(connector.url, PERSONAL))
        await store.reminders.remember_user_conversation(
            TENANT, OWNER.id, PERSONAL, is_personal=True
        )
        expected: set[str] = set()
        for number in range(CUSTOMERS):
            made = customer(f"c{number:03}", created=NOW - timedelta(days=20))
            expected.update(reminder.id for reminder in due_reminders(made, NOW, ANY_TIME))
            await customers.add(made)
        return expected
    finally:
        await store.close()


def _deliveries(connector: FakeConnector) -> Counter[str]:
    return Counter(reminder_id for message in connector.sent for reminder_id in ids_in(message))


async def test_three_replicas_sweeping_together_send_each_reminder_once(
    replica: Replica, postgres_url: str, connector: FakeConnector
) -> None:
    expected = await _seed(postgres_url, connector)
    sweepers = [await replica(None) for _ in range(3)]

    for _ in range(CUSTOMERS // 10):  # batches of 10 per replica and sweep
        await asyncio.gather(*(sweeper.sweep(NOW) for sweeper in sweepers))

    sent = _deliveries(connector)
    assert set(sent) == expected
    assert set(sent.values()) == {1}


async def test_a_replica_killed_mid_sweep_loses_nothing(
    replica: Replica, postgres_url: str, connector: FakeConnector
) -> None:
    """It dies after a few sends; the others deliver the rest at once and its claimed customers
    when its lease has run out. Only what it had started may arrive twice."""
    expected = await _seed(postgres_url, connector)
    started: list[str] = []
    dying = asyncio.Event()

    def note(step: str, ids: Sequence[str]) -> None:
        if step == "intent":
            started.extend(ids)
            if len(started) >= 3:
                dying.set()

    doomed = await replica(note)
    others = [await replica(None) for _ in range(2)]
    sweep = asyncio.create_task(doomed.sweep(NOW))
    await dying.wait()
    sweep.cancel()  # killed: no completion is written, its claims stay until the lease ends
    await asyncio.gather(sweep, return_exceptions=True)

    for moment in (NOW, NOW + DEFAULT_LEASE):
        for _ in range(CUSTOMERS // 10):
            await asyncio.gather(*(sweeper.sweep(moment) for sweeper in others))

    sent = _deliveries(connector)
    assert set(sent) == expected  # nothing lost
    assert {rid for rid, times in sent.items() if times > 1} <= set(started)


async def test_a_customer_added_while_another_replica_sweeps_keeps_its_reminders(
    replica: Replica, postgres_url: str, connector: FakeConnector
) -> None:
    """The add writes the index entry first, then the customer. A replica sweeping in between
    finds the entry but no customer yet: the entry must survive for the customer written next
    (it was dropped, and the customer was never reminded: found by the process test)."""
    await _seed(postgres_url, connector)  # owner, reference; CUSTOMERS due customers
    sweeper = await replica(None)
    for _ in range(CUSTOMERS // 10):
        await sweeper.sweep(NOW)
    store = PostgresStore(postgres_url, 2)
    await store.start()

    class SweepBeforeWrite:
        """The customer repository, with another replica's sweep before every add."""

        async def get(self, tenant_id: str, customer_id: str) -> Customer | None:
            return await store.customers.get(tenant_id, customer_id)

        async def add(self, customer: Customer) -> Customer:
            await sweeper.sweep(NOW)
            return await store.customers.add(customer)

    try:
        adding = SchedulingCustomerRepository(
            SweepBeforeWrite(),  # type: ignore[arg-type]
            store.reminders,
            ANY_TIME,
            FixedClock(NOW),
        )
        late = customer("late-comer", created=NOW - timedelta(days=20))
        await adding.add(late)
    finally:
        await store.close()
    await sweeper.sweep(NOW)

    wanted = {reminder.id for reminder in due_reminders(late, NOW, ANY_TIME)}
    assert wanted <= set(_deliveries(connector))
