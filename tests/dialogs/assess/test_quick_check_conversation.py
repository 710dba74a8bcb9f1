"""`quick check` end to end: one card, scored once, private in shared chats, stale cards refused."""

from __future__ import annotations

from typing import Any

from catalog import load_catalog
from tests.support.cards import choice_sets, submit_data, texts
from tests.support.connector import FakeConnector
from tests.support.conversation import Conversation
from tests.support.quick_check import quick_check_card

QUICK = load_catalog().questionnaire.quick_questions


def _answers(card: dict[str, Any], pick: int) -> dict[str, Any]:
    """Submit value: the card's Show-level data plus one chosen option per choice set."""
    value = dict(submit_data(card, "Show level"))
    for choice_set in choice_sets(card):
        value[choice_set["id"]] = choice_set["choices"][pick]["value"]
    return value


async def test_quick_check_card_has_one_required_choice_set_per_question(
    personal: Conversation,
) -> None:
    replies = await personal.say("quick check")
    card = replies[0].cards[0]
    sets = choice_sets(card)
    assert len(sets) == len(QUICK)
    assert all(s["isRequired"] for s in sets)


async def test_unnamed_quick_check_scores_and_offers_to_save(personal: Conversation) -> None:
    card = (await personal.say("quick check"))[0].cards[0]
    replies = await personal.submit(_answers(card, 0), reply_to_id="activity-1")
    result = personal.connector.sent[-1]
    assert result.method == "PUT"
    assert result.activity_id == "activity-1"
    assert "Cloud affine" in texts(result.cards[0])
    save = submit_data(result.cards[0], "Save")
    replies = await personal.submit({**save, "customer_name": "Litware"})
    assert not any("Saved" in r.text for r in replies)  # a new customer: asked first
    replies = await personal.submit(submit_data(replies[-1].cards[0], "Create Litware"))
    assert any("Saved to Litware" in r.text for r in replies)
    replies = await personal.say("customers")
    assert "Litware" in replies[0].text
    assert "Cloud affine" in replies[0].text
    replies = await personal.submit({**save, "customer_name": "Litware"})
    assert "already saved" in replies[0].text


async def test_named_quick_check_is_stored_on_the_customer(personal: Conversation) -> None:
    card = await quick_check_card(personal, "Contoso")
    assert "Contoso" in texts(card)
    await personal.submit(_answers(card, 3))
    replies = await personal.say("customers")
    assert "Contoso" in replies[0].text
    assert "Cloud is in use" in replies[0].text


async def test_a_card_submitted_twice_is_counted_once(personal: Conversation) -> None:
    card = await quick_check_card(personal, "Contoso")
    await personal.submit(_answers(card, 3))
    replies = await personal.submit(_answers(card, 0))
    assert "already scored" in replies[0].text
    replies = await personal.say("customers")
    assert "Cloud is in use" in replies[0].text


async def test_half_filled_card_is_explained_and_nothing_is_lost(personal: Conversation) -> None:
    card = await quick_check_card(personal, "Contoso")
    value = _answers(card, 1)
    del value[choice_sets(card)[2]["id"]]
    replies = await personal.submit(value)
    assert QUICK[2].text in replies[0].text
    replies = await personal.submit(_answers(card, 1))  # the same card still works
    assert replies[-1].cards or personal.connector.sent[-1].cards


async def test_card_from_an_older_iteration_is_refused(personal: Conversation) -> None:
    old = await quick_check_card(personal, "Contoso")
    await personal.submit(_answers(old, 0))  # creates Contoso, iteration 1
    stale = _answers(old, 0)
    stale["card"] = "another-card"
    stale["iteration"] = 7
    replies = await personal.submit(stale)
    assert "earlier stage" in replies[0].text


async def test_in_a_group_chat_the_card_goes_to_the_asker_privately(
    personal: Conversation, connector: FakeConnector
) -> None:
    group = Conversation(
        personal.client, connector, "19:meeting_abc@thread.v2", conversation_type="groupChat"
    )
    replies = await group.say("quick check Contoso", mention=True)
    shared = [r for r in replies if r.conversation_id == group.conversation_id]
    private = [r for r in replies if r.conversation_id != group.conversation_id]
    assert [r.cards for r in shared] == [[]]
    assert "private chat" in shared[0].text
    assert "Contoso" not in shared[0].text
    assert private  # a new customer: the question before creating it is private too
    assert "New customer: Contoso?" in texts(private[0].cards[0])
    assert connector.created_conversations[0]["members"][0]["id"] == "29:ada"


async def test_when_a_private_chat_is_refused_nothing_is_shown_in_the_group(
    personal: Conversation, connector: FakeConnector
) -> None:
    connector.refuse_private_chats = True
    group = Conversation(
        personal.client, connector, "19:g@thread.v2", conversation_type="groupChat"
    )
    replies = await group.say("quick check", mention=True)
    assert len(replies) == 1
    assert not replies[0].cards
    assert "couldn't message you privately" in replies[0].text


async def test_unknown_option_values_are_refused_politely(personal: Conversation) -> None:
    card = (await personal.say("quick check"))[0].cards[0]
    value = _answers(card, 0)
    value[choice_sets(card)[0]["id"]] = "not-an-option"
    replies = await personal.submit(value)
    assert replies
    assert not replies[0].cards
