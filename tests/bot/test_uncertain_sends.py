"""The bound on uncertain sends (OUTBOUND_UNCERTAIN_SENDS), on TinyDB and on PostgreSQL, against
the local fake connector holding its answers: never more than the bound sent (or accepted) but not
recorded; a send waiting to retry holds no slot; after a crash only the sends that were in flight
are sent again, each counted and logged as a possible duplicate."""

from __future__ import annotations

import asyncio
import logging
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import AsyncExitStack
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from botbuilder.core import ConversationState, MemoryStorage

from bot.adapter import build_adapter
from bot.outbound.pacing import RateLimiter, Sleep
from bot.outbound.sending import AdapterTransport, ReminderSender
from bot.reminder_sweep import ReminderSweeper
from bot.settings import Settings
from engagement.clock import FixedClock
from engagement.models import Person
from engagement.reminder_index import SchedulingCustomerRepository
from engagement.reminder_records import DeliveryRecord, DeliveryState
from store import open_store
from store.pg import PostgresStore
from store.pg.reminders import DEFAULT_LEASE
from tests.support.connector import FakeConnector, Sent
from tests.support.postgres import empty_tables
from tests.support.reminders import ANY_TIME, NOW, TENANT, customer, reference, reminder_ids

OWNERS = 6  # each with one customer whose check-in is due: one card each
BOUND = 2
Trace = Callable[[str, Sequence[str]], None]


async def _no_sleep(_: float) -> None:
    return None


def accepted(connector: FakeConnector) -> list[Sent]:
    return [sent for sent in connector.sent if sent.method == "POST"]


class Process:
    """One bot process over the shared data: its store, adapter and sweeper (`process()`)."""

    def __init__(self, kind: str, where: str, connector: FakeConnector) -> None:
        self._kind = kind
        self._where = where
        self._connector = connector
        self._stack = AsyncExitStack()
        self.store: Any = None

    async def open(self) -> Process:
        if self._kind == "postgres":
            self.store = PostgresStore(self._where, 4)
            await self.store.start()
            self._stack.push_async_callback(self.store.close)
        else:
            self.store = open_store(Path(self._where))
            self._stack.callback(self.store.close)
        settings = Settings(_env_file=None, DATA_DIR=Path("unused"))  # type: ignore[call-arg]
        self.adapter = build_adapter(settings, ConversationState(MemoryStorage()))
        self._stack.push_async_callback(self.adapter.close)
        return self

    def sweeper(
        self, bound: int, trace: Trace | None = None, sleep: Sleep | None = None
    ) -> ReminderSweeper:
        return ReminderSweeper(
            customers=self.customers(),
            reminders=self.store.reminders,
            references=self.store.references,
            sender=ReminderSender(
                AdapterTransport(self.adapter, ""),
                RateLimiter(1000, 1000),
                sleep=sleep or _no_sleep,
            ),
            policy=ANY_TIME,
            trace=trace,
            uncertain_sends=bound,
        )

    def customers(self) -> SchedulingCustomerRepository:
        return SchedulingCustomerRepository(
            self.store.customers, self.store.reminders, ANY_TIME, FixedClock(NOW)
        )

    async def records(self) -> dict[str, DeliveryRecord]:
        """Every owner's customer's records, by reminder id."""
        found: dict[str, DeliveryRecord] = {}
        for number in range(OWNERS):
            found.update(await self.store.reminders.records(TENANT, f"c-{number}"))
        return found

    async def close(self) -> None:
        await self._stack.aclose()


Backend = Callable[[], Awaitable[Process]]


@pytest.fixture(params=["tinydb", "postgres"])
async def backend(
    request: pytest.FixtureRequest, tmp_path: Path, connector: FakeConnector
) -> AsyncIterator[Backend]:
    """Opens processes over one data directory or one PostgreSQL database, seeded with OWNERS
    owners, each with a personal chat and one customer whose check-in is due."""
    kind = str(request.param)
    if kind == "postgres":
        where = str(request.getfixturevalue("postgres_url"))
        empty_tables(where)
    else:
        where = str(tmp_path / "data")
    opened: list[Process] = []

    async def open_process() -> Process:
        process = await Process(kind, where, connector).open()
        opened.append(process)
        return process

    seeding = await open_process()
    for number in range(OWNERS):
        owner = Person(id=f"aad-owner-{number}", name=f"Owner {number}")
        conversation = f"a:personal-{number}"
        await seeding.store.references.put(
            TENANT, conversation, reference(connector.url, conversation, owner)
        )
        await seeding.store.reminders.remember_user_conversation(
            TENANT, owner.id, conversation, is_personal=True
        )
        made = customer(f"c-{number}", owner=owner, created=NOW - timedelta(days=20))
        await seeding.customers().add(made)
    try:
        yield open_process
    finally:
        for process in opened:
            await process.close()


class Marks:
    """Follows the durable steps: reminders marked in flight without a recorded outcome."""

    def __init__(self) -> None:
        self.open: set[str] = set()
        self.recorded: set[str] = set()
        self.sent: set[str] = set()
        self.most = 0

    def __call__(self, step: str, ids: Sequence[str]) -> None:
        if step == "intent":
            self.open.update(ids)
        else:  # retry, sent, pending, undeliverable
            self.open.difference_update(ids)
            self.recorded.update(ids)
        if step == "sent":
            self.sent.update(ids)
        self.most = max(self.most, len(self.open))


class Holder:
    """Holds the connector's answer to each accepted send until `release` is set; notes the most
    reminders accepted by the connector but not yet recorded by the bot."""

    def __init__(self, connector: FakeConnector, marks: Marks) -> None:
        self.held: list[Sent] = []
        self.release = asyncio.Event()
        self.most_unrecorded = 0
        self._marks = marks
        self._accepted: set[str] = set()
        connector.on_accept = self.hold

    async def hold(self, sent: Sent) -> None:
        self.held.append(sent)
        self._accepted.update(reminder_ids(sent))
        unrecorded = self._accepted - self._marks.recorded
        self.most_unrecorded = max(self.most_unrecorded, len(unrecorded))
        await self.release.wait()


async def until(condition: Callable[[], bool]) -> None:
    for _ in range(2000):
        if condition():
            return
        await asyncio.sleep(0.005)
    raise AssertionError("not reached within 10 s")


async def test_no_more_than_the_bound_are_sent_but_unrecorded(
    backend: Backend, connector: FakeConnector
) -> None:
    process = await backend()
    marks = Marks()
    holder = Holder(connector, marks)
    sweep = asyncio.create_task(process.sweeper(BOUND, marks).sweep(NOW))
    await until(lambda: len(holder.held) == BOUND)
    await asyncio.sleep(0.1)  # ample time for the others to reach Teams, were they not waiting
    assert (len(holder.held), len(marks.open)) == (BOUND, BOUND)
    holder.release.set()
    report = await sweep
    assert report.sent == OWNERS
    assert marks.most == BOUND  # reached, never exceeded
    assert holder.most_unrecorded == BOUND
    assert all(record.state == DeliveryState.SENT for record in (await process.records()).values())


async def test_a_send_waiting_to_retry_holds_no_slot(
    backend: Backend, connector: FakeConnector
) -> None:
    process = await backend()
    paused = asyncio.Event()
    resume = asyncio.Event()

    async def sleep(_: float) -> None:  # the throttled send waits here until resumed
        paused.set()
        await resume.wait()

    connector.failures, connector.retry_after = [429], "1"
    marks = Marks()
    sweep = asyncio.create_task(process.sweeper(1, marks, sleep).sweep(NOW))
    await until(lambda: paused.is_set() and len(marks.sent) == OWNERS - 1)
    (waiting,) = [r for r in (await process.records()).values() if r.state != DeliveryState.SENT]
    assert (waiting.state, waiting.retry_at) == (DeliveryState.PENDING, NOW + timedelta(seconds=1))
    resume.set()
    assert (await sweep).sent == OWNERS
    assert {(r.state, r.attempts) for r in (await process.records()).values()} == {
        (DeliveryState.SENT, 1)
    }


async def test_after_a_crash_only_the_sends_in_flight_are_sent_again(
    backend: Backend, connector: FakeConnector, caplog: pytest.LogCaptureFixture
) -> None:
    crashing = await backend()
    marks = Marks()
    holder = Holder(connector, marks)
    sweep = asyncio.create_task(crashing.sweeper(BOUND, marks).sweep(NOW))
    await until(lambda: len(holder.held) == BOUND and len(marks.open) == BOUND)
    sweep.cancel()  # the process dies: Teams has accepted two cards, nothing more is recorded
    await asyncio.gather(sweep, return_exceptions=True)
    in_flight = {rid for sent in holder.held for rid in reminder_ids(sent)}
    states = {rid: record.state for rid, record in (await crashing.records()).items()}
    assert states == dict.fromkeys(in_flight, DeliveryState.SENDING)  # the others: no record
    connector.on_accept = None
    holder.release.set()
    await crashing.close()

    restarted = await backend()
    later: datetime = NOW + DEFAULT_LEASE  # on PostgreSQL the dead process's claims end then
    with caplog.at_level(logging.WARNING, logger="bot.reminder_sweep"):
        report = await restarted.sweeper(BOUND).sweep(later)
    assert (report.sent, report.possible_duplicates) == (OWNERS, BOUND)
    logged = [r.getMessage() for r in caplog.records if "possible duplicate" in r.getMessage()]
    assert len(logged) == BOUND
    assert all(any(rid in line for line in logged) for rid in in_flight)
    received = Counter(rid for sent in accepted(connector) for rid in reminder_ids(sent))
    assert {rid for rid, times in received.items() if times > 1} == in_flight
    assert sum(received.values()) == OWNERS + BOUND
