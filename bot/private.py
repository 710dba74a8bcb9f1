"""Sending one message to a user in a private 1:1 chat with the bot, from any conversation."""

from __future__ import annotations

import logging

from botbuilder.core import TurnContext
from botbuilder.schema import Activity, ConversationParameters

from dialogs.turn import tenant_of

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
