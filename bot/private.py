"""The asker's private 1:1 chat with the bot, from any conversation: sending there, running a
flow there, and answering a shared chat's request there.

In group chats, channels and meeting chats others read along (maybe the customer): whatever
shows an assessment, a statement of work, a health score or reminders goes to the person who
asked, and the shared chat sees one short line.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from botbuilder.core import TurnContext
from botbuilder.schema import Activity, ActivityTypes, ConversationParameters

from bot.locks import ConversationLocks, TurnLocks
from dialogs.common.turn import is_shared_conversation, tenant_of
from i18n import N_, _

logger = logging.getLogger(__name__)
P = TypeVar("P")

SENT_PRIVATELY = N_("I've sent that to you in our private chat.")
STARTED_PRIVATELY = N_("I've started that in our private chat.")
NOT_PRIVATELY = N_(
    "I couldn't message you privately. Ask me in our personal chat; I keep account data out of "
    "shared chats."
)


class PrivateChats:
    """Opens (or reuses: Teams returns the existing one) a 1:1 chat with the user and sends."""

    def __init__(self, app_id: str, locks: TurnLocks | None = None) -> None:
        self._app_id = app_id
        # The turns of the private chat itself hold its lock too (bot/web.py): a flow started
        # from a shared chat never races a message typed in the private chat on its state.
        self._locks: TurnLocks = locks if locks is not None else ConversationLocks()

    async def send(self, context: TurnContext, message: Activity | list[Activity]) -> bool:
        """Send `message` (or several) to the turn's sender privately; False when Teams refuses."""
        messages = message if isinstance(message, list) else [message]

        async def deliver(private_context: TurnContext) -> None:
            for each in messages:
                await private_context.send_activity(each)

        return await self.run(context, deliver)

    async def run(
        self, context: TurnContext, logic: Callable[[TurnContext], Awaitable[None]]
    ) -> bool:
        """Run `logic` with a turn context of the sender's 1:1 chat (the sender as `from`, the
        chat as a personal conversation); False when Teams refuses that chat. An error raised
        by `logic` itself is the turn's, and propagates."""
        activity = context.activity
        tenant = tenant_of(context)
        parameters = ConversationParameters(
            is_group=False,
            bot=activity.recipient,
            members=[activity.from_property],
            tenant_id=tenant,
            channel_data={"tenant": {"id": tenant}},
        )

        started = False

        async def in_private(private_context: TurnContext) -> None:
            nonlocal started
            started = True
            private = private_context.activity
            private.from_property = activity.from_property
            private.locale = activity.locale
            if private.conversation is not None:
                private.conversation.conversation_type = "personal"
                private.conversation.is_group = False
            async with self._locks.hold(private.conversation.id if private.conversation else ""):
                await logic(private_context)

        try:
            await context.adapter.create_conversation(
                self._app_id,
                in_private,
                parameters,
                activity.channel_id,
                activity.service_url,
            )
        except Exception as error:
            if started:
                raise
            # the user may not have the app personally installed, or blocked it
            logger.warning(
                "Could not open a private chat from conversation %s: %s",
                activity.conversation.id,
                error,
            )
            return False
        return True


async def answer_privately(
    context: TurnContext,
    handler: Callable[[TurnContext, P], Awaitable[None]],
    payload: P,
    send_private: Callable[[TurnContext, list[Activity]], Awaitable[bool]],
) -> None:
    """Run a command or card button whose answer holds account data; in a shared chat (the
    customer may be in the meeting) deliver its replies to the asker's personal chat instead."""
    if not is_shared_conversation(context):
        await handler(context, payload)
        return
    captured: list[Activity] = []
    capturing = True

    async def capture(_context: TurnContext, activities: list[Activity], send: Any) -> None:
        if capturing:
            captured.extend(a for a in activities if a.type == ActivityTypes.message)
            activities.clear()  # the SDK sends what is left in the list
        await send()

    context.on_send_activities(capture)
    try:
        await handler(context, payload)
    finally:
        capturing = False
    if not captured:
        return
    if await send_private(context, captured):
        await context.send_activity(_(SENT_PRIVATELY))
    else:
        await context.send_activity(_(NOT_PRIVATELY))
