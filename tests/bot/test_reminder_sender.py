"""Sending reminders through the app's adapter to the local fake connector: 201, 429, 5xx, 403,
timeouts, a dead connector, and rate limits with a fake clock."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.outbound.pacing import RateLimiter, TokenBucket
from bot.outbound.retry import SendStatus
from bot.outbound.sending import ReminderSender
from bot.transport import ConnectorError
from engagement.reminder_records import DeliveryState
from engagement.reminders import due_reminders
from tests.support.connector import FakeConnector
from tests.support.reminders import (
    ANY_TIME,
    NOW,
    PERSONAL,
    TENANT,
    Rig,
    build_rig,
    customer,
    reminder_ids,
)


async def one_due(rig: Rig) -> str:
    """A personal chat and one customer whose check-in is due; returns the reminder's id."""
    await rig.personal_chat()
    made = customer(created=NOW - timedelta(days=15))
    await rig.add(made)
    (due,) = due_reminders(made, NOW, ANY_TIME)
    return due.id


async def state_of(rig: Rig, reminder_id: str) -> Any:
    return (await rig.reminders.records(TENANT, "contoso"))[reminder_id]


async def test_an_accepted_send_is_recorded_sent(rig: Rig) -> None:
    reminder_id = await one_due(rig)
    report = await rig.sweeper.sweep(NOW)
    assert (report.sent, report.cards, report.failed) == (1, 1, 0)
    (sent,) = rig.connector.messages()
    assert sent.method == "POST"
    assert sent.conversation_id == PERSONAL
    assert "replyToId" not in sent.body  # a new message, not a reply to a made-up id
    assert reminder_ids(sent) == [reminder_id]
    record = await state_of(rig, reminder_id)
    assert (record.state, record.sent_at, record.attempts) == (DeliveryState.SENT, NOW, 1)
    assert record.conversation_id == PERSONAL
    assert rig.trace == [("intent", [reminder_id]), ("sent", [reminder_id])]
    assert rig.turn_errors == []


async def test_throttling_is_retried_until_accepted(rig: Rig) -> None:
    reminder_id = await one_due(rig)
    rig.connector.failures = [429, 429]  # the adapter sends once; the sender retries
    report = await rig.sweeper.sweep(NOW)
    assert report.sent == 1
    assert [s.method for s in rig.connector.sent] == ["REFUSED 429"] * 2 + ["POST"]
    assert len(rig.sleeps) == 2  # the sender waited twice (injected sleep: no real wait)
    assert (await state_of(rig, reminder_id)).state == DeliveryState.SENT


async def test_server_errors_leave_it_pending_for_a_later_sweep(rig: Rig) -> None:
    reminder_id = await one_due(rig)
    rig.connector.failures = [500] * 3  # 3 sender attempts (no retries inside retries)
    report = await rig.sweeper.sweep(NOW)
    assert (report.sent, report.failed) == (0, 1)
    assert len(rig.sleeps) == 2
    record = await state_of(rig, reminder_id)
    assert record.state == DeliveryState.PENDING
    assert "500" in record.last_error
    assert record.retry_at == NOW + timedelta(minutes=1)
    assert await rig.reminders.scheduled(TENANT, "contoso") == record.retry_at
    assert (await rig.sweeper.sweep(NOW + timedelta(seconds=30))).sent == 0  # not yet
    report = await rig.sweeper.sweep(NOW + timedelta(minutes=1))
    assert report.sent == 1
    assert (await state_of(rig, reminder_id)).attempts == 2


async def test_a_gone_conversation_is_marked_stale_and_not_retried(rig: Rig) -> None:
    reminder_id = await one_due(rig)
    rig.connector.failures = [403]
    report = await rig.sweeper.sweep(NOW)
    assert (report.sent, report.undeliverable) == (0, 1)
    assert rig.sleeps == []
    record = await state_of(rig, reminder_id)
    assert record.state == DeliveryState.UNDELIVERABLE
    assert "403" in record.last_error
    assert await rig.store.references.get(TENANT, PERSONAL) is None
    assert rig.turn_errors == []  # the adapter's turn-error handler never saw it
    assert (await rig.sweeper.sweep(NOW + timedelta(hours=2))).sent == 0
    assert len(rig.connector.sent) == 1


async def test_a_refused_message_is_undeliverable_but_the_chat_stays(rig: Rig) -> None:
    reminder_id = await one_due(rig)
    rig.connector.failures = [400]
    assert (await rig.sweeper.sweep(NOW)).undeliverable == 1
    assert (await state_of(rig, reminder_id)).state == DeliveryState.UNDELIVERABLE
    assert await rig.store.references.get(TENANT, PERSONAL) is not None


async def test_a_timeout_is_left_pending_for_a_later_sweep_not_retried_at_once(
    tmp_path: Path, connector: FakeConnector
) -> None:
    rig = build_rig(tmp_path / "data", connector, timeout=0.05, attempts=2)
    try:
        reminder_id = await one_due(rig)
        connector.delays = [0.3, 0.3]
        report = await rig.sweeper.sweep(NOW)
        assert (report.sent, report.failed) == (0, 1)
        assert rig.sleeps == []  # Teams may have accepted it: no second send now
        record = await state_of(rig, reminder_id)
        assert record.state == DeliveryState.PENDING
        assert record.last_error == "no answer within 0.05 s"
    finally:
        await rig.close()


async def test_a_dead_connector_leaves_it_pending(tmp_path: Path, connector: FakeConnector) -> None:
    rig = build_rig(tmp_path / "data", connector, attempts=1)
    try:
        reminder_id = await one_due(rig)
        connector.url = "http://127.0.0.1:9/"  # discard port: connection refused
        await rig.personal_chat()
        report = await rig.sweeper.sweep(NOW)
        assert report.failed == 1
        assert (await state_of(rig, reminder_id)).state == DeliveryState.PENDING
    finally:
        await rig.close()


class ScriptedTransport:
    """Raises the scripted errors in turn, then accepts."""

    def __init__(self, *errors: Exception) -> None:
        self.errors = list(errors)
        self.calls = 0

    async def send(self, reference: dict[str, Any], card: dict[str, Any]) -> str:
        self.calls += 1
        if self.errors:
            raise self.errors.pop(0)
        return "activity-1"


def throttled(retry_after: float | None) -> ConnectorError:
    error = ConnectorError(429, "http://connector/v3/conversations/x/activities", "slow down")
    if retry_after is not None:
        error.retry_after = retry_after  # type: ignore[attr-defined]
    return error


async def test_retry_after_is_honoured() -> None:
    sleeps: list[float] = []

    async def sleep(seconds: float) -> None:
        sleeps.append(seconds)

    transport = ScriptedTransport(throttled(7.0), throttled(None))
    sender = ReminderSender(transport, RateLimiter(1000, 1000), sleep=sleep, backoff=2.0)
    result = await sender.send(TENANT, "c", {}, {})
    assert result.status == SendStatus.SENT
    assert sleeps == [7.0, 4.0]  # Retry-After, then backoff 2 s doubled


async def test_a_long_retry_after_ends_the_sweeps_attempts() -> None:
    sleeps: list[float] = []

    async def sleep(seconds: float) -> None:
        sleeps.append(seconds)

    sender = ReminderSender(
        ScriptedTransport(throttled(120.0)), RateLimiter(1000, 1000), sleep=sleep, max_wait=30
    )
    result = await sender.send(TENANT, "c", {}, {})
    assert (result.status, result.retry_after, sleeps) == (SendStatus.FAILED, 120.0, [])


@pytest.mark.parametrize(
    ("error", "status"),
    [
        (ConnectorError(401, "u", ""), SendStatus.GONE),
        (ConnectorError(404, "u", ""), SendStatus.GONE),
        (ConnectorError(413, "u", ""), SendStatus.REFUSED),
        (ConnectorError(503, "u", ""), SendStatus.FAILED),
        (ConnectionResetError("reset"), SendStatus.FAILED),
    ],
)
async def test_outcomes_are_classified(error: Exception, status: SendStatus) -> None:
    async def sleep(seconds: float) -> None:
        return None

    transport = ScriptedTransport(error, error, error)
    sender = ReminderSender(transport, RateLimiter(1000, 1000), sleep=sleep)
    result = await sender.send(TENANT, "c", {}, {})
    assert result.status == status


class FakeTime:
    """A monotonic clock that only moves when someone sleeps."""

    def __init__(self) -> None:
        self.now = 100.0
        self.slept: list[float] = []

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


async def test_token_bucket_allows_a_burst_then_the_rate() -> None:
    time = FakeTime()
    bucket = TokenBucket(rate=2, burst=3, clock=time.clock)
    for _ in range(3):
        assert bucket.wait_time() == 0
        bucket.take()
    assert bucket.wait_time() == pytest.approx(0.5)
    time.now += 0.5
    assert bucket.wait_time() == 0


async def test_sends_to_one_conversation_are_paced() -> None:
    time = FakeTime()
    limiter = RateLimiter(2, 100, burst_conversation=2, clock=time.clock, sleep=time.sleep)
    for _ in range(10):
        await limiter.acquire(TENANT, "a:one")
    # 2 at once, then 8 more at 2 per second: 4 seconds.
    assert time.now - 100.0 == pytest.approx(4.0)


async def test_sends_to_one_tenant_are_paced_across_conversations() -> None:
    time = FakeTime()
    limiter = RateLimiter(100, 5, burst_tenant=5, clock=time.clock, sleep=time.sleep)
    for number in range(25):
        await limiter.acquire(TENANT, f"a:{number}")
    await limiter.acquire("another-tenant", "a:x")  # its own bucket: no wait
    assert time.now - 100.0 == pytest.approx(4.0)


async def test_a_sweep_honours_the_rate_limit(tmp_path: Path, connector: FakeConnector) -> None:
    time = FakeTime()
    limiter = RateLimiter(1, 50, burst_conversation=1, clock=time.clock, sleep=time.sleep)
    rig = build_rig(tmp_path / "data", connector, limiter=limiter)
    try:
        await rig.personal_chat()
        await rig.add(*(customer(f"c{n}", created=NOW - timedelta(days=20)) for n in range(5)))
        report = await rig.sweeper.sweep(NOW)
        assert report.cards == 5
        assert time.slept == pytest.approx([1.0] * 4)  # one per second into one chat
    finally:
        await rig.close()
