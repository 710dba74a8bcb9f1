"""Issue 14 item 7: contradictory answers are flagged on the result, naming the dimensions."""

from __future__ import annotations

from tests.support.cards import choice_sets, submit_data, texts
from tests.support.conversation import Conversation
from tests.support.correctness import last_card


async def test_contradictory_quick_check_answers_are_flagged(personal: Conversation) -> None:
    card = last_card(await personal.say("quick check"))
    value = dict(submit_data(card, "Show level"))
    for number, choice_set in enumerate(choice_sets(card)):
        value[choice_set["id"]] = choice_set["choices"][3 if number % 2 == 0 else 0]["value"]
    result = texts(last_card(await personal.submit(value)))
    assert "Inconsistent answers:" in result
    assert "Check these answers with the customer" in result


async def test_consistent_answers_are_not_flagged(personal: Conversation) -> None:
    card = last_card(await personal.say("quick check"))
    value = dict(submit_data(card, "Show level"))
    for choice_set in choice_sets(card):
        value[choice_set["id"]] = choice_set["choices"][2]["value"]
    assert "Inconsistent" not in texts(last_card(await personal.submit(value)))
