"""Every step of the statement of work can also be typed: success factors and the review's Edit."""

from __future__ import annotations

from tests.dialogs.commit.test_commit_conversation import GOAL, _card, _press, _quick_checked
from tests.support.cards import choice_sets, texts
from tests.support.conversation import Conversation


async def _to_factors(personal: Conversation) -> None:
    await _quick_checked(personal)
    card = _card(await personal.say("commit Contoso"))
    card = _card(await _press(personal, card, "Next", workshops=choice_sets(card)[0]["value"]))
    await _press(personal, card, "Save goal", **GOAL)
    replies = await personal.say("no")
    assert "success factors" in texts(_card(replies))


async def test_success_factors_and_edit_can_be_typed(personal: Conversation) -> None:
    await _to_factors(personal)
    replies = await personal.say(
        "in place, Carla Diaz (CIO) | In Progress, Ben: web shop only | | missing: no budget"
    )
    assert "dates and contact" in texts(_card(replies))
    replies = await personal.say("2026-12-01 | 2027-01-31 | Carla Diaz")
    review = texts(_card(replies))
    assert "Stakeholders: \nIn place · owner: Carla Diaz (CIO)" in review
    assert "Scenarios: \nIn progress · owner: Ben · gap: web shop only" in review
    assert "Awareness: \nMissing\n" in review  # the empty part is missing
    assert "Training: \nMissing · gap: no budget" in review
    replies = await personal.say("edit success factors")
    assert "success factors" in texts(_card(replies))
    replies = await personal.say("Ada Lovelace, CTO")  # no status: free text, in progress
    review = texts(_card(replies))
    assert "Stakeholders: \nIn progress · gap: Ada Lovelace, CTO" in review
    assert "Training: \nMissing\n" in review
    replies = await personal.say("edit 2")  # parts by number, as the card lists them
    assert "goal 1" in texts(_card(replies))


async def test_typed_success_factors_with_too_many_parts_are_explained(
    personal: Conversation,
) -> None:
    await _to_factors(personal)
    replies = await personal.say("a | b | c | d | e")
    assert "each as status, owner: gap" in replies[0].text
