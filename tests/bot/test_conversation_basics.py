"""End-to-end basics over /api/messages: welcome, help, unknown text, mentions, cancel."""

from __future__ import annotations

from typing import Any

from bot.commands import COMMANDS
from tests.support.connector import FakeConnector
from tests.support.conversation import BOT_ID, Conversation


def _card_text(card: dict[str, Any]) -> str:
    return str(card)


async def test_welcome_card_when_the_bot_is_added(personal: Conversation) -> None:
    activity = personal.activity(
        type="conversationUpdate",
        membersAdded=[{"id": BOT_ID}],
    )
    assert await personal.post(activity) in (200, 201)
    sent = personal.connector.messages(personal.conversation_id)
    assert len(sent) == 1
    assert "assess" in _card_text(sent[0].cards[0]).lower()


async def test_help_answers_with_the_commands_card(personal: Conversation) -> None:
    replies = await personal.say("help")
    assert len(replies) == 1
    text = _card_text(replies[0].cards[0])
    for command in COMMANDS:  # every command, not only the ten of the Teams menu
        assert command.usage in text


async def test_unknown_text_gets_a_hint_and_the_help_card(personal: Conversation) -> None:
    replies = await personal.say("what is the weather")
    assert "don't know" in replies[0].text
    assert replies[1].cards


async def test_mention_in_a_group_chat_is_stripped(
    personal: Conversation, connector: FakeConnector
) -> None:
    group = Conversation(
        personal.client, connector, "19:group@thread.v2", conversation_type="groupChat"
    )
    replies = await group.say("help", mention=True)
    assert replies[0].cards


async def test_cancel_without_a_flow_says_so(personal: Conversation) -> None:
    replies = await personal.say("cancel")
    assert replies[0].text == "There is nothing to cancel."


async def test_catalog_lists_workshops_of_one_level(personal: Conversation) -> None:
    replies = await personal.say("catalog cloud is a solution")
    text = _card_text(replies[0].cards[0])
    assert "Architecture Design Session" in text
    assert "Azure Enablement Workshop" not in text


async def test_catalog_with_unknown_level_explains(personal: Conversation) -> None:
    replies = await personal.say("catalog banana")
    assert "don't know the level" in replies[0].text


async def test_stale_card_submit_without_a_flow_is_explained(personal: Conversation) -> None:
    replies = await personal.submit({"action": "choose", "prompt": "old:q1", "choice": "x"})
    assert "no longer active" in replies[0].text
