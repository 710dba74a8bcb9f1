"""Who and where a turn is: tenant, user, conversation kind; and sending cards."""

from __future__ import annotations

import contextlib
import re
from typing import Any

from botbuilder.core import CardFactory, MessageFactory, TurnContext
from botbuilder.schema import Activity, ActivityTypes, AttachmentLayoutTypes, TextFormatTypes

from engagement.models import Person

LOCAL_TENANT = "local"
_LOCAL_CHANNELS = frozenset({"emulator", "test"})
_MENTION = re.compile(r"<at>.*?</at>", re.IGNORECASE | re.DOTALL)


def tenant_of(context: TurnContext) -> str:
    """The Teams tenant id of the turn; the Emulator and tests without one share `local`."""
    activity = context.activity
    tenant = activity.conversation.tenant_id if activity.conversation else None
    if not tenant and isinstance(activity.channel_data, dict):
        tenant_data = activity.channel_data.get("tenant")
        if isinstance(tenant_data, dict):
            tenant = tenant_data.get("id")
    if isinstance(tenant, str) and tenant:
        return tenant
    if activity.channel_id in _LOCAL_CHANNELS:
        return LOCAL_TENANT
    # A channel without tenants (Web Chat, Direct Line): each conversation is its own partition,
    # so such users never share data with each other.
    conversation_id = activity.conversation.id if activity.conversation else ""
    return f"conversation:{conversation_id}"


def user_of(context: TurnContext) -> Person:
    """The sender as a domain Person (AAD object id where Teams gives one)."""
    sender = context.activity.from_property
    user_id = (sender.aad_object_id or sender.id) if sender else None
    name = (sender.name or "") if sender else ""
    return Person(id=str(user_id or "unknown")[:200], name=str(name)[:200])


def is_shared_conversation(context: TurnContext) -> bool:
    """True in group chats, channels and meeting chats, where others (maybe the customer) read."""
    conversation = context.activity.conversation
    kind = conversation.conversation_type if conversation else None
    return kind in {"groupChat", "channel"} or bool(conversation and conversation.is_group)


class RenderedCard(dict[str, Any]):
    """A rendered card, never changed after rendering: copying it returns the same object.

    botbuilder deep-copies every outgoing activity; for a card that is hundreds of nested nodes
    copied for nothing (about 1 ms a turn).
    """

    def __deepcopy__(self, memo: dict[int, Any]) -> RenderedCard:
        return self


class CardActivity(Activity):
    """An outgoing card message whose deep copy is a shallow one.

    botbuilder deep-copies every activity it sends, then only assigns the copy's own fields
    (conversation, recipient, ids); the nested attachment is shared, as the card already was
    (`RenderedCard`).
    """

    def __deepcopy__(self, memo: dict[int, Any]) -> CardActivity:
        # What copy.copy does for a plain object (new instance, same attributes), minus its
        # generic __reduce_ex__ machinery.
        copied = object.__new__(type(self))
        copied.__dict__.update(self.__dict__)
        return copied


def card_message(card: dict[str, Any], text: str | None = None) -> Activity:
    """A message carrying one Adaptive Card (what `MessageFactory.attachment` builds)."""
    message = CardActivity(
        type=ActivityTypes.message,
        attachment_layout=AttachmentLayoutTypes.list,
        attachments=[CardFactory.adaptive_card(RenderedCard(card))],
    )
    if text:
        message.text = text
    return message


def message_text(context: TurnContext) -> str:
    """The message text with the bot's @mention removed and whitespace collapsed."""
    activity = context.activity
    text = activity.text if isinstance(activity.text, str) else ""
    if text and activity.entities:
        # Malformed mention entities make the SDK raise: the regex below still strips <at> tags.
        with contextlib.suppress(AttributeError, TypeError):
            text = TurnContext.remove_recipient_mention(activity) or text
    text = _MENTION.sub(" ", text)
    return " ".join(text.replace("&nbsp;", " ").split())


def submit_value(context: TurnContext) -> dict[str, Any] | None:
    """The Action.Submit payload of a message, if it is one."""
    value = context.activity.value
    return value if isinstance(value, dict) else None


def markdown_message(text: str) -> Activity:
    """A text message that Teams renders as Markdown (bold, lists, links)."""
    message = MessageFactory.text(text)
    message.text_format = TextFormatTypes.markdown
    return message
