"""The typing indicator: sent while a slow turn runs, never for a quick one, gone with the turn."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from botbuilder.core import BotAdapter, TurnContext
from botbuilder.schema import Activity, ActivityTypes, ConversationAccount, ResourceResponse

from bot.typing_indicator import TypingIndicator


class RecordingAdapter(BotAdapter):  # type: ignore[misc]
    """Records what the middleware sends; `typed` is set at the first typing activity."""

    def __init__(self) -> None:
        super().__init__()
        self.sent: list[str] = []
        self.typed = asyncio.Event()

    async def send_activities(
        self, context: TurnContext, activities: list[Activity]
    ) -> list[ResourceResponse]:
        self.sent += [activity.type for activity in activities]
        if any(activity.type == ActivityTypes.typing for activity in activities):
            self.typed.set()
        return [ResourceResponse(id="1") for _ in activities]

    async def update_activity(self, context: TurnContext, activity: Activity) -> Any:
        raise NotImplementedError

    async def delete_activity(self, context: TurnContext, reference: Any) -> None:
        raise NotImplementedError


def _turn(adapter: RecordingAdapter, kind: str = ActivityTypes.message) -> TurnContext:
    activity = Activity(
        type=kind,
        text="hello",
        channel_id="msteams",
        service_url="http://127.0.0.1:1/",
        conversation=ConversationAccount(id="a:1"),
    )
    return TurnContext(adapter, activity)


def _running_indicators() -> list[asyncio.Task[Any]]:
    return [t for t in asyncio.all_tasks() if t.get_name() == "typing-indicator" and not t.done()]


async def test_a_slow_turn_shows_typing_and_leaves_no_task() -> None:
    adapter = RecordingAdapter()

    async def slow_logic() -> str:
        await adapter.typed.wait()  # the turn lasts until the indicator was sent
        return "done"

    indicator = TypingIndicator(delay=0, period=3600)
    assert await indicator.on_turn(_turn(adapter), slow_logic) == "done"
    assert adapter.sent == [ActivityTypes.typing]
    assert not _running_indicators()


async def test_a_quick_turn_sends_no_typing_and_starts_no_task() -> None:
    adapter = RecordingAdapter()

    async def quick_logic() -> str:
        assert not _running_indicators()
        return "done"

    indicator = TypingIndicator(delay=3600, period=3600)
    assert await indicator.on_turn(_turn(adapter), quick_logic) == "done"
    await asyncio.sleep(0)
    assert adapter.sent == []
    assert not _running_indicators()


async def test_a_turn_that_raises_stops_the_indicator() -> None:
    adapter = RecordingAdapter()

    async def failing_logic() -> None:
        await adapter.typed.wait()
        raise RuntimeError("the turn failed")

    indicator = TypingIndicator(delay=0, period=3600)
    with pytest.raises(RuntimeError, match="the turn failed"):
        await indicator.on_turn(_turn(adapter), failing_logic)
    assert adapter.sent == [ActivityTypes.typing]
    assert not _running_indicators()
