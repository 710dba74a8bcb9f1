"""Start a quick check by name, confirming a new customer as the user would."""

from __future__ import annotations

from typing import Any

from tests.support.cards import choice_sets, only_submit, submit_data
from tests.support.conversation import Conversation


async def quick_check_card(conversation: Conversation, name: str) -> dict[str, Any]:
    """The quick-check card for `name`; a customer not there yet is created by pressing
    "Create <name>" on the card that asks first."""
    replies = await conversation.say(f"quick check {name}")
    card = next(r for r in reversed(replies) if r.cards).cards[0]
    if not choice_sets(card):
        replies = await conversation.submit(submit_data(card, f"Create {name}"))
        card = next(r for r in reversed(replies) if r.cards).cards[0]
    return card


async def answer_quick_check(conversation: Conversation, name: str, pick: int) -> None:
    """Run a quick check of `name`, choosing option `pick % 4` everywhere, and see the result."""
    card = await quick_check_card(conversation, name)
    value = dict(only_submit(card))
    for choice_set in choice_sets(card):
        value[choice_set["id"]] = choice_set["choices"][pick % 4]["value"]
    replies = await conversation.submit(value)
    assert name in str(replies[-1].body)
