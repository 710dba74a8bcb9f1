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
    replies = await personal.say("Carla Diaz, CIO | Web shop | | AZ-104 for two admins")
    assert "dates and contact" in texts(_card(replies))
    replies = await personal.say("2026-12-01 | 2027-01-31 | Carla Diaz")
    review = texts(_card(replies))
    assert "Stakeholders: \nCarla Diaz, CIO" in review
    assert "Training plan: \nAZ-104 for two admins" in review
    assert "Awareness plan" not in review  # the empty part stays empty
    replies = await personal.say("edit success factors")
    assert "success factors" in texts(_card(replies))
    replies = await personal.say("Ada Lovelace, CTO")
    review = texts(_card(replies))
    assert "Stakeholders: \nAda Lovelace, CTO" in review
    assert "Training plan" not in review
    replies = await personal.say("edit 2")  # parts by number, as the card lists them
    assert "goal 1" in texts(_card(replies))


async def test_typed_success_factors_with_too_many_parts_are_explained(
    personal: Conversation,
) -> None:
    await _to_factors(personal)
    replies = await personal.say("a | b | c | d | e")
    assert "stakeholders | scenarios | awareness | training" in replies[0].text
