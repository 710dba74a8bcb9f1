"""A "typing…" indicator during slow turns that always stops when the turn ends.

botbuilder's `ShowTypingMiddleware` stops its timer only when the bot's logic returns: a turn that
raises (say the connector answered 403 because the user blocked the bot) leaves it sending every
2 s for ever, and even a turn that ends well leaves its timer task pending. This one runs as one
task owned by the turn, cancelled and awaited in a `finally`, and stops by itself at the first
send that fails. The task is only created once the turn has taken `delay` seconds (a timer until
then), so the many quick turns create, cancel and await no task at all.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from botbuilder.core import Middleware, TurnContext
from botbuilder.schema import Activity, ActivityTypes

logger = logging.getLogger(__name__)


class TypingIndicator(Middleware):
    """Shows "typing" after `delay` seconds of a message turn and every `period` seconds after."""

    def __init__(self, delay: float = 0.75, period: float = 2.0) -> None:
        if delay < 0 or period <= 0:
            raise ValueError("delay must be >= 0 and period > 0")
        self._delay = delay
        self._period = period

    async def on_turn(self, context: TurnContext, logic: Callable[[], Awaitable[Any]]) -> Any:
        if context.activity.type != ActivityTypes.message:
            return await logic()
        started: list[asyncio.Task[None]] = []

        def start() -> None:
            task = asyncio.create_task(self._keep_typing(context), name="typing-indicator")
            started.append(task)

        timer = asyncio.get_running_loop().call_later(self._delay, start)
        try:
            return await logic()
        finally:
            timer.cancel()
            for task in started:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task

    async def _keep_typing(self, context: TurnContext) -> None:
        reference = TurnContext.get_conversation_reference(context.activity)
        while True:
            typing = TurnContext.apply_conversation_reference(
                Activity(type=ActivityTypes.typing, relates_to=context.activity.relates_to),
                reference,
            )
            try:
                await context.adapter.send_activities(context, [typing])
            except Exception as error:  # blocked, removed, throttled: the reply will tell
                logger.debug("Stopped the typing indicator: %s", error)
                return
            await asyncio.sleep(self._period)
