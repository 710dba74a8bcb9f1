"""Issue 14 item 1: typed workshop numbers pick what the card shows, in the card's order."""

from __future__ import annotations

from tests.support.cards import choice_sets, texts
from tests.support.conversation import Conversation
from tests.support.correctness import last_card, quick_check


async def test_typed_numbers_pick_the_workshops_the_card_lists(personal: Conversation) -> None:
    await quick_check(personal, "Contoso", 1)  # every answer at "Cloud is an option"
    card = last_card(await personal.say("commit Contoso"))
    titles = [c["title"] for c in choice_sets(card)[0]["choices"]]
    assert titles[0].startswith("1. Microsoft Cloud Workshops")
    assert titles[1].startswith("2. Azure Governance Workshop")
    replies = await personal.say("1, 2")
    assert "goal 1" in texts(last_card(replies))
    await personal.say("Landing zone live | 3 subscriptions governed | partner | 2027-03-31")
    await personal.say("no")
    await personal.say("skip")
    review = last_card(await personal.say("2026-12-01 | 2027-01-31 | Carla Diaz"))
    shown = texts(review)
    assert "Microsoft Cloud Workshops" in shown
    assert "Azure Governance Workshop" in shown
    assert "Azure Enablement Workshop" not in shown
    assert "EBC" not in shown
