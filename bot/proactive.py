"""The reminders' per-turn feed: where each user talks to the bot, and their time zone.

The reminder commands and card buttons are routing-table handlers (bot/reminder_turns.py); the
sweep is in bot/reminder_sweep.py; sending, pacing and retrying in bot/outbound/.
"""

from __future__ import annotations

from typing import Any

from botbuilder.core import TurnContext
from botbuilder.schema import Activity, ConversationReference

from bot.wire import to_wire
from dialogs.common.turn import tenant_of, user_of
from engagement.ports import ReminderStore
from i18n import language_of

# --- feeding the store from turns ----------------------------------------------------------


def stored_reference(activity: Activity) -> dict[str, Any]:
    """The conversation reference kept for proactive messages, as JSON: what
    `TurnContext.get_conversation_reference(activity)` holds, without the activity id (a
    proactive message starts a new thread) and without copying the accounts (only read here)."""
    reference = ConversationReference(
        user=activity.from_property,
        bot=activity.recipient,
        conversation=activity.conversation,
        channel_id=activity.channel_id,
        locale=activity.locale,
        service_url=activity.service_url,
    )
    return to_wire(reference)


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
    """Note where the sender talks to the bot, their time zone and client language (every turn).

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
        client_language=language_of(activity.locale) if activity.locale else None,
    )
