"""Issue 14, the catalog as the framework names it (seed 000): the seed's names, the partner's
additions marked, and recommendations padded from the next level marked "next level"."""

from __future__ import annotations

from tests.support.cards import choice_sets, submit_data, texts
from tests.support.conversation import Conversation
from tests.support.correctness import last_card


async def test_the_catalog_uses_the_seed_names(personal: Conversation) -> None:
    shown = texts(last_card(await personal.say("catalog")))
    for name in ("Azure Enablement Workshop", "EBC", "Pilot or PoC", "Microsoft Cloud Workshop"):
        assert name in shown
    assert "Executive Briefing (EBC)" not in shown
    assert "Azure Well-Architected Review (partner's own)" in shown


async def test_padded_recommendations_say_next_level(personal: Conversation) -> None:
    card = last_card(await personal.say("quick check"))
    value = dict(submit_data(card, "Show level"))
    for choice_set in choice_sets(card):
        value[choice_set["id"]] = choice_set["choices"][0]["value"]  # Cloud affine
    result = texts(last_card(await personal.submit(value)))
    assert "Azure Enablement Workshop\n" in result + "\n"
    assert "Microsoft Cloud Workshops · next level" in result
