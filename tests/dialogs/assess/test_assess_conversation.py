"""`assess` end to end over /api/messages: new customer, buttons, typed answers, back, restart."""

from __future__ import annotations

from aiohttp.test_utils import TestClient, TestServer

from bot.app import create_app
from bot.settings import Settings
from catalog import load_catalog
from engagement.clock import FixedClock
from tests.support.cards import submit_actions, submit_data, texts
from tests.support.connector import FakeConnector
from tests.support.conversation import Conversation

QUESTIONS = load_catalog().questionnaire.questions


def _option_buttons(card: dict) -> list[dict]:
    return [data for _, data in submit_actions(card) if data.get("action") == "choose"]


async def _start_new(personal: Conversation, name: str = "Contoso") -> dict:
    replies = await personal.say(f"assess {name}")
    confirm = replies[0].cards[0]
    assert f"New customer: {name}" in texts(confirm)
    replies = await personal.submit(submit_data(confirm, "Yes"))
    card = replies[0].cards[0]
    assert f"Question 1 of {len(QUESTIONS)}" in texts(card)
    return card


async def test_full_assessment_with_last_options_is_cloud_in_use(personal: Conversation) -> None:
    card = await _start_new(personal)
    for number in range(1, len(QUESTIONS) + 1):
        assert f"Question {number} of {len(QUESTIONS)}" in texts(card)
        replies = await personal.submit(_option_buttons(card)[-1])
        card = replies[-1].cards[0]
    result = texts(card)
    assert "Cloud is in use" in result
    assert "Contoso" in result
    replies = await personal.say("customers")
    assert "Contoso" in replies[0].text
    assert "commit phase" in replies[0].text


async def test_typed_numbers_and_labels_count_and_back_returns(personal: Conversation) -> None:
    card = await _start_new(personal)
    replies = await personal.say("1")  # by number
    card = replies[0].cards[0]
    assert "Question 2 of" in texts(card)
    label = QUESTIONS[1].options[0].label
    replies = await personal.say(label.upper())  # by text, case-insensitive
    assert "Question 3 of" in texts(replies[0].cards[0])
    replies = await personal.say("back")
    assert "Question 2 of" in texts(replies[0].cards[0])
    for _ in range(len(QUESTIONS) - 1):
        replies = await personal.say("1")
    assert "Cloud affine" in texts(replies[-1].cards[0])


async def test_invalid_answer_reprompts_with_the_choices(personal: Conversation) -> None:
    await _start_new(personal)
    replies = await personal.say("maybe")
    assert "Question 1 of" in replies[0].text
    assert QUESTIONS[0].options[0].label in replies[0].text
    replies = await personal.say("7")
    assert "Question 1 of" in replies[0].text


async def test_button_from_an_older_card_is_not_counted(personal: Conversation) -> None:
    first = await _start_new(personal)
    await personal.submit(_option_buttons(first)[0])
    replies = await personal.submit(_option_buttons(first)[1])  # question 1's card again
    assert "Question 2 of" in replies[0].text  # re-prompted, not counted as answer 2


async def test_cancel_and_help_work_mid_way(personal: Conversation) -> None:
    card = await _start_new(personal)
    await personal.submit(_option_buttons(card)[0])
    replies = await personal.say("help")
    assert replies[0].cards
    assert "Question 2 of" in texts(replies[1].cards[0])
    replies = await personal.say("cancel")
    assert replies[0].text.startswith("Cancelled")
    replies = await personal.say("customers")
    assert "No customers yet" in replies[0].text


async def test_declining_creation_creates_nothing(personal: Conversation) -> None:
    replies = await personal.say("assess Fabrikam")
    replies = await personal.submit(submit_data(replies[0].cards[0], "No"))
    assert replies[0].text == "OK, nothing was created."
    replies = await personal.say("customers")
    assert "No customers yet" in replies[0].text


async def test_assess_without_a_name_asks_for_it(personal: Conversation) -> None:
    replies = await personal.say("assess")
    assert "Which customer" in replies[0].text
    replies = await personal.say("   ")
    replies = await personal.say("Northwind Traders")
    assert "New customer: Northwind Traders" in texts(replies[0].cards[0])


async def test_restart_mid_way_resumes_at_the_same_question(
    settings: Settings, clock: FixedClock, connector: FakeConnector
) -> None:
    async with TestClient(TestServer(create_app(settings, clock=clock))) as first:
        conversation = Conversation(first, connector, "a:restart")
        await _start_new(conversation)
        await conversation.say("2")
        await conversation.say("2")
    async with TestClient(TestServer(create_app(settings, clock=clock))) as second:
        conversation = Conversation(second, connector, "a:restart")
        replies = await conversation.say("back")
        assert "Question 2 of" in texts(replies[0].cards[0])


async def test_re_assessing_in_commit_replaces_the_draft(personal: Conversation) -> None:
    card = await _start_new(personal)
    for _ in QUESTIONS:
        card = (await personal.submit(_option_buttons(card)[0]))[-1].cards[0]
    replies = await personal.say("assess contoso")
    assert "replaces that draft" in replies[0].text
    card = replies[1].cards[0]
    for _ in QUESTIONS:
        replies = await personal.submit(_option_buttons(card)[-1])
        card = replies[-1].cards[0]
    assert any("replaces the earlier draft" in r.text for r in replies)
    assert "Cloud is in use" in texts(card)
