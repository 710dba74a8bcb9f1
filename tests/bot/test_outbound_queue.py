"""The outbound queue against the local fake connector: a hanging call or a 429 holds only its own
conversation, a gone conversation is asked once, a sweep never sends what is still in flight."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from pathlib import Path

from engagement.models import Person
from engagement.reminder_records import DeliveryState
from tests.support.connector import FakeConnector, Sent
from tests.support.reminders import NOW, TENANT, Rig, build_rig, customer

ADA = Person(id="aad-ada", name="Ada")
BEN = Person(id="aad-ben", name="Ben")


async def two_owners_due(rig: Rig) -> None:
    """Ada and Ben, each with a personal chat and one customer whose check-in is due."""
    for person in (ADA, BEN):
        await rig.personal_chat(person, f"a:personal-{person.id}")
        await rig.add(customer(f"c-{person.id}", owner=person, created=NOW - timedelta(days=15)))


async def test_a_hanging_call_does_not_hold_other_conversations(
    tmp_path: Path, connector: FakeConnector
) -> None:
    steps: list[str] = []
    # Two uncertain sends allowed: the hanging one holds its slot until the timeout (with one,
    # the other conversation would wait for it: the bound's trade-off).
    rig = build_rig(
        tmp_path / "data",
        connector,
        timeout=0.3,
        trace=lambda s, _: steps.append(s),
        uncertain_sends=2,
    )
    try:
        await two_owners_due(rig)
        connector.delays = [1.0]  # whichever send arrives first hangs past the timeout
        seen_at_accept: list[list[str]] = []

        async def accepted(_: Sent) -> None:
            seen_at_accept.append(list(steps))

        connector.on_accept = accepted
        report = await rig.sweeper.sweep(NOW)
        assert (report.sent, report.failed) == (1, 1)
        # The other conversation was served while the hanging call was still waiting.
        assert seen_at_accept[0] == ["intent", "intent"]
        # A timeout is not retried at once (Teams may have the card): pending for a later sweep.
        records = [
            record
            for person in (ADA, BEN)
            for record in (await rig.reminders.records(TENANT, f"c-{person.id}")).values()
        ]
        assert sorted((r.state, r.attempts) for r in records) == [
            (DeliveryState.PENDING, 1),
            (DeliveryState.SENT, 1),
        ]
    finally:
        await rig.close()


async def test_a_throttled_conversation_pauses_alone(
    tmp_path: Path, connector: FakeConnector
) -> None:
    paused = asyncio.Event()
    release = asyncio.Event()

    async def sleep(_: float) -> None:  # the throttled send waits here until released
        paused.set()
        await release.wait()

    rig = build_rig(tmp_path / "data", connector, sleep=sleep)
    try:
        await two_owners_due(rig)
        connector.failures = [429]
        sweep = asyncio.create_task(rig.sweeper.sweep(NOW))
        await asyncio.wait_for(paused.wait(), 5)

        def accepted() -> list[Sent]:
            return [sent for sent in connector.sent if sent.method == "POST"]

        for _ in range(500):  # the other conversation is delivered during the pause
            if accepted():
                break
            await asyncio.sleep(0.01)
        assert len(accepted()) == 1
        release.set()
        report = await sweep
        assert report.sent == 2
        assert [s.method for s in connector.sent].count("REFUSED 429") == 1
    finally:
        await rig.close()


async def test_a_gone_conversation_is_asked_once(tmp_path: Path, connector: FakeConnector) -> None:
    rig = build_rig(tmp_path / "data", connector)
    try:
        await rig.personal_chat()
        await rig.add(
            customer("contoso", created=NOW - timedelta(days=15)),
            customer("fabrikam", created=NOW - timedelta(days=15)),
        )
        connector.failures = [403]
        report = await rig.sweeper.sweep(NOW)
        assert (report.sent, report.undeliverable) == (0, 2)
        assert [s.method for s in connector.sent] == ["REFUSED 403"]  # the second card not sent
        for customer_id in ("contoso", "fabrikam"):
            (record,) = (await rig.reminders.records(TENANT, customer_id)).values()
            assert record.state == DeliveryState.UNDELIVERABLE
            assert record.last_error == "connector answered 403"
        assert (await rig.sweeper.sweep(NOW + timedelta(hours=2))).sent == 0
        assert len(connector.sent) == 1
    finally:
        await rig.close()


async def test_a_sweep_does_not_send_what_is_still_in_flight(
    tmp_path: Path, connector: FakeConnector
) -> None:
    rig = build_rig(tmp_path / "data", connector, wait=False)
    try:
        await two_owners_due(rig)
        connector.delays = [0.3, 0.3]
        first = await rig.sweeper.sweep(NOW)  # plans and queues; the sends go on
        assert first.customers == 2
        second = await rig.sweeper.sweep(NOW)
        assert second.customers == 0  # both still in flight: not planned again
        for _ in range(500):
            if first.sent == 2:
                break
            await asyncio.sleep(0.01)
        assert first.sent == 2
        third = await rig.sweeper.sweep(NOW)  # indexes the finished ones again first
        assert third.customers == 0
        assert await rig.reminders.scheduled(TENANT, f"c-{ADA.id}") != NOW
        assert len(connector.messages()) == 2
        await rig.sweeper.drain(1)
    finally:
        await rig.close()


async def test_proactive_sends_reuse_the_connector_client(
    tmp_path: Path, connector: FakeConnector
) -> None:
    rig = build_rig(tmp_path / "data", connector)
    try:
        await two_owners_due(rig)
        assert (await rig.sweeper.sweep(NOW)).sent == 2
        # One client for the one service URL, as for turns (no msrest setup per reminder).
        assert len(rig.adapter._connectors) == 1
    finally:
        await rig.close()


async def test_shutdown_starts_no_new_deliveries(tmp_path: Path, connector: FakeConnector) -> None:
    rig = build_rig(tmp_path / "data", connector, wait=False)
    try:
        await two_owners_due(rig)
        assert (await rig.sweeper.sweep(NOW)).customers == 2  # queued, none started yet
        await rig.sweeper.drain(5)
        assert connector.sent == []
        due = {entry.customer_id for entry in await rig.reminders.due(NOW, 10)}
        assert due == {f"c-{ADA.id}", f"c-{BEN.id}"}  # still due: the next start sends them
    finally:
        await rig.close()
