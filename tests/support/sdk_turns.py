"""A bare TurnContext for tests of SDK pieces (dialogs, turn state) without the bot."""

from __future__ import annotations

from botbuilder.core import TurnContext
from botbuilder.core.adapters import TestAdapter
from botbuilder.schema import Activity, ActivityTypes, ChannelAccount, ConversationAccount


def message_turn(adapter: TestAdapter | None = None, text: str = "hi") -> TurnContext:
    """A turn of a message `text` from user u1 in conversation c1, on `adapter` (a new
    TestAdapter if None)."""
    activity = Activity(
        type=ActivityTypes.message,
        text=text,
        channel_id="test",
        conversation=ConversationAccount(id="c1"),
        from_property=ChannelAccount(id="u1"),
        recipient=ChannelAccount(id="bot"),
    )
    return TurnContext(adapter or TestAdapter(), activity)
