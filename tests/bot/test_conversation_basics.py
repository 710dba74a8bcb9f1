"""End-to-end basics over /api/messages: welcome, help, unknown text, mentions, cancel."""

from __future__ import annotations

from typing import Any

from bot.commands import COMMANDS
from tests.support.cards import submit_actions, submit_data, texts
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


async def test_unknown_text_gets_one_line_and_a_help_button(personal: Conversation) -> None:
    replies = await personal.say("what is the weather")
    assert len(replies) == 1  # not the three screens of the help card
    assert (
        replies[0].text
        == 'Sorry, I don\'t know "what is the weather". Type `help` for what I can do.'
    )
    assert [title for title, _ in submit_actions(replies[0].cards[0])] == ["Help"]
    replies = await personal.submit(submit_data(replies[0].cards[0], "Help"))
    assert "How I can help" in texts(replies[0].cards[0])


async def test_a_mistyped_command_gets_the_closest_commands(personal: Conversation) -> None:
    replies = await personal.say("stauts Fabrikam")
    assert len(replies) == 1
    assert replies[0].text == (
        'Sorry, I don\'t know "stauts Fabrikam". Did you mean `status Fabrikam`?'
    )
    card = replies[0].cards[0]
    assert [title for title, _ in submit_actions(card)] == ["status Fabrikam", "Help"]
    replies = await personal.submit(submit_data(card, "status Fabrikam"))
    assert "don't know a customer called Fabrikam" in replies[0].text  # the command ran
    replies = await personal.say("quik chek")
    assert "`quick check`" in replies[0].text


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
