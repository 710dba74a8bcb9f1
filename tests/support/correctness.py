"""Shared steps for the issue-14 conversations: a quick check at a chosen level, card presses."""

from __future__ import annotations

from typing import Any

from tests.support.cards import choice_sets, submit_data, walk
from tests.support.connector import Sent
from tests.support.conversation import Conversation
from tests.support.quick_check import quick_check_card


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


async def quick_check(conversation: Conversation, name: str, option: int) -> list[Sent]:
    """`quick check <name>` answered with the same option (0-3) for every question (a new
    customer confirmed first)."""
    card = await quick_check_card(conversation, name)
    value = dict(submit_data(card, "Show level"))
    for choice_set in choice_sets(card):
        value[choice_set["id"]] = choice_set["choices"][option]["value"]
    return await conversation.submit(value)


GOAL = "Landing zone live | 3 subscriptions governed | partner | 2027-03-31"
PERIOD = "2026-12-01 | 2027-01-31 | Carla Diaz"


def card_defaults(card: dict[str, Any]) -> dict[str, Any]:
    """What a client submits for inputs nobody touched: each input's preset value."""
    return {
        element["id"]: element["value"]
        for element in walk(card)
        if str(element.get("type", "")).startswith("Input.") and "value" in element
    }


async def committed(
    conversation: Conversation, name: str, option: int = 1, workshops: str = "1"
) -> None:
    """Quick-checked at `option`, then a statement of work (the `workshops` typed, the first by
    default; one goal) that both sides agreed: the customer is in the deliver phase."""
    await quick_check(conversation, name, option)
    await conversation.say(f"commit {name}")
    await conversation.say(workshops)
    await conversation.say(GOAL)
    await conversation.say("no")
    await conversation.say("skip")
    review = last_card(await conversation.say(PERIOD))
    sow = last_card(await press(conversation, review, "Confirm"))
    replies = await press(conversation, sow, "Record customer agreement", agreed_by="Carla Diaz")
    assert "Both sides agreed" in all_text(replies)


async def delivered(conversation: Conversation, name: str, on: str = "2026-11-02") -> None:
    """The first committed workshop recorded as delivered."""
    form = last_card(await conversation.say(f"deliver {name}"))
    inputs = {**card_defaults(form), "on": on, "attendees": "9"}
    replies = await press(conversation, form, "Record delivery", **inputs)
    assert "Recorded" in str(replies[-1].body), replies[-1].body
