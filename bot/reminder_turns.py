"""The reminder commands and the reminder cards' buttons, as routing-table handlers.

The commands themselves are botbuilder-free functions in
`dialogs.reminders.reminder_commands` (text in, reply out); this adapts them to the table's
`(context, payload)` handler shape.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime

from botbuilder.core import TurnContext

from dialogs.common.card_actions import ReminderSubmit
from dialogs.common.turn import card_message, is_shared_conversation, tenant_of, user_of
from dialogs.reminders.license_commands import licenses_command
from dialogs.reminders.reminder_actions import handle_reminder_action
from dialogs.reminders.reminder_commands import (
    ReminderServices,
    Reply,
    digest_command,
    pause_command,
    reminders_command,
    resume_command,
)
from dialogs.reminders.renewals import renewal_or_outcome_command
from engagement.models import Person

ReminderCommand = Callable[[str, str, Person, datetime, ReminderServices], Awaitable[Reply]]


class ReminderTurns:
    """`reminders`, `renewal`, `licenses`, `pause reminders`, `resume reminders`, `digest`, and
    the Log touch / Snooze / Done buttons."""

    def __init__(self, services: ReminderServices) -> None:
        self._services = services

    async def reminders(self, context: TurnContext, argument: str) -> None:
        await self._run(reminders_command, context, argument)

    async def renewal(self, context: TurnContext, argument: str) -> None:
        await self._run(renewal_or_outcome_command, context, argument)

    async def licenses(self, context: TurnContext, argument: str) -> None:
        await self._run(licenses_command, context, argument)

    async def pause(self, context: TurnContext, argument: str) -> None:
        await self._run(pause_command, context, argument)

    async def resume(self, context: TurnContext, argument: str) -> None:
        await self._run(resume_command, context, argument)

    async def digest(self, context: TurnContext, argument: str) -> None:
        await self._run(digest_command, context, argument)

    async def card_action(self, context: TurnContext, value: ReminderSubmit) -> None:
        """Log touch, Snooze, Done: carry it out and reply."""
        conversation = context.activity.conversation
        reply = await handle_reminder_action(
            value,
            tenant_of(context),
            user_of(context),
            self._services.clock.now(),
            self._services,
            # a button pressed in a shared chat must not make that chat the reminders' home
            conversation_id=(
                conversation.id if conversation and not is_shared_conversation(context) else None
            ),
        )
        await context.send_activity(reply)

    async def _run(self, command: ReminderCommand, context: TurnContext, argument: str) -> None:
        now = self._services.clock.now()
        reply = await command(argument, tenant_of(context), user_of(context), now, self._services)
        await context.send_activity(card_message(reply) if isinstance(reply, dict) else reply)
