"""The reminders' bot side: command and card-action handlers, and feeding the store from turns.

The sweep is in bot/reminder_sweep.py; sending, pacing and retrying in bot/outbound/.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any

from botbuilder.core import TurnContext

from dialogs.reminder_actions import REMINDER_ACTIONS, handle_reminder_action
from dialogs.reminder_commands import (
    ReminderServices,
    Reply,
    digest_command,
    licenses_command,
    pause_command,
    reminders_command,
    renewal_command,
    resume_command,
)
from dialogs.turn import card_message, tenant_of, user_of
from engagement.models import Person
from engagement.ports import ReminderStore

# --- the bot side: commands, card actions and the per-turn feed ---------------------------

ReminderCommand = Callable[[str, str, Person, datetime, ReminderServices], Awaitable[Reply]]

REMINDER_COMMANDS: dict[str, ReminderCommand] = {
    "reminders": reminders_command,
    "renewal": renewal_command,
    "licenses": licenses_command,
    "pause reminders": pause_command,
    "resume reminders": resume_command,
    "digest": digest_command,
}


class ReminderTurns:
    """Reminder commands and card actions in the TeamsBot's handler shapes.

    `command_handlers()` maps command names to `(context, argument)` handlers and
    `card_actions()` maps submit actions to `(context, value)` handlers, ready to merge into the
    bot's tables; `remember(context)` feeds the reminder store on every turn.

    Args:
        services: Customers (the scheduling repository), reminder store, policy, clock.
    """

    def __init__(self, services: ReminderServices) -> None:
        self._services = services

    def command_handlers(self) -> dict[str, Callable[[TurnContext, str], Awaitable[None]]]:
        """Command name -> handler, for REMINDER_COMMANDS."""
        return {name: self._command(command) for name, command in REMINDER_COMMANDS.items()}

    def card_actions(self) -> dict[str, Callable[[TurnContext, dict[str, Any]], Awaitable[None]]]:
        """Submit action -> handler, for REMINDER_ACTIONS."""
        return dict.fromkeys(REMINDER_ACTIONS, self.card_action)

    def _command(self, command: ReminderCommand) -> Callable[[TurnContext, str], Awaitable[None]]:
        async def handle(context: TurnContext, argument: str) -> None:
            now = self._services.clock.now()
            reply = await command(
                argument, tenant_of(context), user_of(context), now, self._services
            )
            await context.send_activity(card_message(reply) if isinstance(reply, dict) else reply)

        return handle

    async def card_action(self, context: TurnContext, value: dict[str, Any]) -> None:
        """Log touch, Snooze, Done: carry it out and reply."""
        conversation = context.activity.conversation
        reply = await handle_reminder_action(
            value,
            tenant_of(context),
            user_of(context),
            self._services.clock.now(),
            self._services,
            conversation_id=conversation.id if conversation else None,
        )
        await context.send_activity(reply)

    async def remember(self, context: TurnContext) -> None:
        """Where the sender talks to the bot, and their time zone (see `remember_turn`)."""
        await remember_turn(self._services.reminders, context)


# --- feeding the store from turns ----------------------------------------------------------


def time_zone_of(context: TurnContext) -> str | None:
    """The user's IANA time zone as Teams reports it (`localTimezone` or `clientInfo`)."""
    activity = context.activity
    zone = getattr(activity, "local_timezone", None)
    if isinstance(zone, str) and zone:
        return zone
    for entity in activity.entities or []:
        if isinstance(entity, dict):
            kind, data = entity.get("type"), entity
        else:
            kind, data = getattr(entity, "type", None), getattr(entity, "additional_properties", {})
        if kind == "clientInfo" and isinstance(data, dict):
            value = data.get("timezone")
            if isinstance(value, str) and value:
                return value
    return None


async def remember_turn(store: ReminderStore, context: TurnContext) -> None:
    """Note where the sender talks to the bot and their time zone (call on every turn).

    A personal chat becomes the user's reminder conversation. Writes only when something changed.
    """
    activity = context.activity
    conversation = activity.conversation
    if conversation is None or not conversation.id or activity.from_property is None:
        return
    kind = conversation.conversation_type
    is_personal = kind == "personal" or (kind is None and not conversation.is_group)
    await store.remember_user_conversation(
        tenant_of(context),
        user_of(context).id,
        conversation.id,
        is_personal=is_personal,
        time_zone=time_zone_of(context),
    )
