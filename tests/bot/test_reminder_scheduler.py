"""The sweep loop: runs, never overlaps, survives failures, stops with the app; and the per-turn
feed of conversations and time zones."""

from __future__ import annotations

import asyncio
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer
from botbuilder.core import TurnContext
from botbuilder.core.adapters import TestAdapter
from botbuilder.schema import Activity

from bot.proactive import remember_turn, time_zone_of
from bot.reminder_turns import ReminderTurns
from bot.scheduler import SweepLoop, reminder_sweeps
from dialogs.common.turn import LOCAL_TENANT
from dialogs.reminders.reminder_commands import ReminderServices
from engagement.clock import FixedClock
from engagement.reminder_index import SchedulingCustomerRepository
from store import open_store
from store.reminders import open_reminder_store
from tests.support.reminders import ANY_TIME, NOW, TENANT, click, customer


class CountingSweeper:
    """Counts sweeps, fails the ones listed, signals after `until` sweeps; checks overlap."""

    def __init__(self, until: int, failing: frozenset[int] = frozenset()) -> None:
        self.calls = 0
        self.until = until
        self.failing = failing
        self.running = 0
        self.overlapped = False
        self.reached = asyncio.Event()
        self.seen: list[datetime] = []

    async def sweep(self, now: datetime) -> None:
        self.calls += 1
        self.seen.append(now)
        self.running += 1
        self.overlapped |= self.running > 1
        try:
            await asyncio.sleep(0)  # give a second sweep the chance to overlap, if it could
            if self.calls >= self.until:
                self.reached.set()
            if self.calls in self.failing:
                raise RuntimeError(f"sweep {self.calls} failed")
        finally:
            self.running -= 1


async def test_the_loop_sweeps_repeatedly_and_survives_failures(
    caplog: pytest.LogCaptureFixture,
) -> None:
    sweeper = CountingSweeper(until=5, failing=frozenset({2, 3}))
    loop = SweepLoop(sweeper, interval=0, clock=FixedClock(NOW))
    loop.start()
    async with asyncio.timeout(5):
        await sweeper.reached.wait()
    await loop.stop()
    assert sweeper.calls >= 5
    assert loop.failures == 2
    assert not sweeper.overlapped
    assert set(sweeper.seen) == {NOW}
    assert "reminder sweep failed" in caplog.text


async def test_stop_waits_for_the_running_sweep() -> None:
    release = asyncio.Event()
    finished: list[bool] = []

    class Slow:
        async def sweep(self, now: datetime) -> None:
            started.set()
            await release.wait()
            finished.append(True)

    started = asyncio.Event()
    loop = SweepLoop(Slow(), interval=3600, clock=FixedClock(NOW))
    loop.start()
    await started.wait()
    stopping = asyncio.create_task(loop.stop())
    await asyncio.sleep(0)
    assert not stopping.done()
    release.set()
    await stopping
    assert finished == [True]
    assert loop.sweeps == 1  # and the hour-long wait was cut short


async def test_stop_cancels_a_sweep_that_hangs() -> None:
    cancelled = asyncio.Event()

    class Hanging:
        async def sweep(self, now: datetime) -> None:
            started.set()
            try:
                await asyncio.Event().wait()
            except asyncio.CancelledError:
                cancelled.set()
                raise

    started = asyncio.Event()
    loop = SweepLoop(Hanging(), interval=1, clock=FixedClock(NOW), grace=0.01)
    loop.start()
    await started.wait()
    await asyncio.wait_for(loop.stop(), timeout=10)  # fails instead of hanging the suite
    assert cancelled.is_set()


async def test_preparation_runs_once_before_the_first_sweep_and_may_fail() -> None:
    order: list[str] = []
    sweeper = CountingSweeper(until=2)

    async def prepare() -> None:
        order.append(f"prepare after {sweeper.calls} sweeps")
        raise OSError("disk full")

    loop = SweepLoop(sweeper, interval=0, clock=FixedClock(NOW), before_first=prepare)
    loop.start()
    async with asyncio.timeout(5):
        await sweeper.reached.wait()
    await loop.stop()
    assert order == ["prepare after 0 sweeps"]


def test_a_negative_interval_is_refused() -> None:
    with pytest.raises(ValueError, match="interval"):
        SweepLoop(CountingSweeper(1), interval=-1)


async def test_the_app_runs_sweeps_while_it_runs() -> None:
    sweeper = CountingSweeper(until=3)
    app = web.Application()
    app.cleanup_ctx.append(reminder_sweeps(sweeper, interval=0, clock=FixedClock(NOW)))
    server = TestServer(app)
    await server.start_server()
    try:
        async with asyncio.timeout(5):
            await sweeper.reached.wait()
    finally:
        await server.close()
    calls = sweeper.calls
    await asyncio.sleep(0)
    assert sweeper.calls == calls  # stopped with the app
    assert not sweeper.overlapped


# --- what each turn tells the reminder store ------------------------------------------------


def turn(**fields: Any) -> TurnContext:
    activity: dict[str, Any] = {
        "type": "message",
        "text": "hi",
        "channelId": "msteams",
        "from": {"id": "29:olga", "aadObjectId": "aad-olga", "name": "Olga"},
        "recipient": {"id": "28:bot"},
        "conversation": {
            "id": "a:personal-olga",
            "conversationType": "personal",
            "tenantId": TENANT,
        },
        "serviceUrl": "https://smba.trafficmanager.net/emea/",
        "channelData": {"tenant": {"id": TENANT}},
    }
    activity.update(fields)
    return TurnContext(TestAdapter(), Activity().deserialize(activity))


async def test_a_personal_chat_becomes_the_reminder_chat(tmp_path: Path) -> None:
    reminders = open_reminder_store(tmp_path / "reminders")
    context = turn(entities=[{"type": "clientInfo", "timezone": "Europe/Berlin"}])
    await remember_turn(reminders, context)
    preferences = await reminders.preferences(TENANT, "aad-olga")
    assert preferences.personal_conversation_id == "a:personal-olga"
    assert preferences.time_zone == "Europe/Berlin"
    group = turn(
        conversation={"id": "19:g@thread.v2", "conversationType": "groupChat", "tenantId": TENANT},
        localTimezone="America/Los_Angeles",
    )
    await remember_turn(reminders, group)
    preferences = await reminders.preferences(TENANT, "aad-olga")
    assert preferences.personal_conversation_id == "a:personal-olga"
    assert preferences.last_conversation_id == "19:g@thread.v2"
    assert preferences.time_zone == "America/Los_Angeles"


def test_time_zone_of_a_turn_without_one() -> None:
    assert time_zone_of(turn()) is None
    assert time_zone_of(turn(entities=[{"type": "mention", "text": "x"}])) is None


# --- the bot glue ---------------------------------------------------------------------------


async def test_reminder_turns_route_commands_and_card_actions(tmp_path: Path) -> None:
    with open_store(tmp_path / "data") as data:
        reminders = open_reminder_store(tmp_path / "data" / "reminders")
        clock = FixedClock(NOW)
        customers = SchedulingCustomerRepository(data.customers, reminders, ANY_TIME, clock)
        made = customer(created=NOW - timedelta(days=20))
        await customers.add(made.model_copy(update={"tenant_id": LOCAL_TENANT}))
        turns = ReminderTurns(
            ReminderServices(customers, reminders, ANY_TIME, clock, data.summaries)
        )
        commands = {"renewal": turns.renewal, "reminders": turns.reminders}

        async def logic(context: TurnContext) -> None:
            await remember_turn(reminders, context)
            activity = context.activity
            if isinstance(activity.value, dict):
                await turns.card_action(context, click(activity.value))
            else:
                name, _, argument = (activity.text or "").partition(" ")
                await commands[name](context, argument)

        adapter = TestAdapter(logic)  # its turns carry no tenant: the local one
        flow = await adapter.send("renewal Contoso 2027-03-31")
        flow = await flow.assert_reply(starts_with("Renewal of Contoso set to Wed 31 Mar 2027."))
        flow = await flow.send("reminders")
        flow = await flow.assert_reply(has_card)
        value = {"action": "log_touch", "customer": "contoso", "reminder": ""}
        flow = await flow.send(Activity(type="message", value=value))
        await flow.assert_reply(starts_with("Logged a touch with Contoso."))
        stored = await customers.get(LOCAL_TENANT, "contoso")
        assert stored is not None
        assert stored.renewal_date == date(2027, 3, 31)
        assert len(stored.touches) == 1
        preferences = await reminders.preferences(LOCAL_TENANT, "User1")
        assert preferences.last_conversation_id == "Convo1"


def starts_with(prefix: str) -> Any:
    def inspect(activity: Activity, description: str) -> None:
        assert (activity.text or "").startswith(prefix), activity.text

    return inspect


def has_card(activity: Activity, description: str) -> None:
    assert activity.attachments
    assert activity.attachments[0].content_type == "application/vnd.microsoft.card.adaptive"
