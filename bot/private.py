"""Sending to a user in a private 1:1 chat with the bot, from any conversation."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from botbuilder.core import TurnContext
from botbuilder.schema import Activity, ActivityTypes, ConversationParameters

from dialogs.turn import is_shared_conversation, tenant_of

logger = logging.getLogger(__name__)


class PrivateChats:
    """Opens (or reuses: Teams returns the existing one) a 1:1 chat with the user and sends."""

    def __init__(self, app_id: str) -> None:
        self._app_id = app_id

    async def send(self, context: TurnContext, message: Activity | list[Activity]) -> bool:
        """Send `message` (or several) to the turn's sender privately; False when Teams refuses."""
        messages = message if isinstance(message, list) else [message]
        activity = context.activity
        tenant = tenant_of(context)
        parameters = ConversationParameters(
            is_group=False,
            bot=activity.recipient,
            members=[activity.from_property],
            tenant_id=tenant,
            channel_data={"tenant": {"id": tenant}},
        )

        async def deliver(private_context: TurnContext) -> None:
            for each in messages:
                await private_context.send_activity(each)

        try:
            await context.adapter.create_conversation(
                self._app_id,
                deliver,
                parameters,
                activity.channel_id,
                activity.service_url,
            )
        except Exception:  # the user may not have the app personally installed, or blocked it
            logger.warning(
                "Could not open a private chat from conversation %s",
                activity.conversation.id,
                exc_info=True,
            )
            return False
        return True


async def answer_privately(
    context: TurnContext,
    handler: Callable[[TurnContext, str], Awaitable[None]],
    argument: str,
    send_private: Callable[[TurnContext, list[Activity]], Awaitable[bool]],
) -> None:
    """Run a command whose answer holds account data; in a shared chat (the customer may be
    in the meeting) deliver its replies to the asker's personal chat instead."""
    if not is_shared_conversation(context):
        await handler(context, argument)
        return
    captured: list[Activity] = []
    capturing = True

    async def capture(_: TurnContext, activities: list[Activity], send: Any) -> None:
        if capturing:
            captured.extend(a for a in activities if a.type == ActivityTypes.message)
            activities.clear()  # the SDK sends what is left in the list
        await send()

    context.on_send_activities(capture)
    try:
        await handler(context, argument)
    finally:
        capturing = False
    if not captured:
        return
    if await send_private(context, captured):
        await context.send_activity("I've sent that to you in our private chat.")
    else:
        await context.send_activity(
            "I couldn't message you privately. Ask me in our personal chat; I keep account "
            "data out of shared chats."
        )
