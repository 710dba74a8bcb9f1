"""Shared steps for the issue-14 conversations: a quick check at a chosen level, card presses."""

from __future__ import annotations

from typing import Any

from tests.support.cards import choice_sets, submit_data
from tests.support.connector import Sent
from tests.support.conversation import Conversation


def last_card(replies: list[Sent]) -> dict[str, Any]:
    """The last card the bot sent in these replies."""
    return next(r for r in reversed(replies) if r.cards).cards[0]


def all_text(replies: list[Sent]) -> str:
    """The plain text of these replies."""
    return "\n".join(r.text for r in replies)


async def press(
    conversation: Conversation, card: dict[str, Any], button: str, /, **inputs: Any
) -> list[Sent]:
    """Press a card's button with these input values."""
    return await conversation.submit({**submit_data(card, button), **inputs})


async def quick_check(
    conversation: Conversation, name: str, option: int, *, confirm_new: bool = True
) -> list[Sent]:
    """`quick check <name>` answered with the same option (0-3) for every question."""
    replies = await conversation.say(f"quick check {name}")
    if confirm_new and not any(r.cards and choice_sets(r.cards[0]) for r in replies):
        replies = await conversation.say("yes")
    card = last_card(replies)
    value = dict(submit_data(card, "Show level"))
    for choice_set in choice_sets(card):
        value[choice_set["id"]] = choice_set["choices"][option]["value"]
    return await conversation.submit(value)
