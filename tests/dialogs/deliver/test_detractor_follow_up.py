"""Issue 14, detractor follow-up (seeds 002, 003): an NPS of 0-6 or a CSAT of 1-2 in the ensure
review creates a follow-up for the owner within 2 working days; a logged touch closes it."""

from __future__ import annotations

from tests.support.cards import texts
from tests.support.conversation import Conversation
from tests.support.correctness import committed, delivered, last_card, press


async def _reviewed(personal: Conversation, nps: str, csat: str) -> None:
    await committed(personal, "Contoso")
    await delivered(personal, "Contoso")
    form = last_card(await personal.say("ensure Contoso"))
    scores = {"csat_overall": csat, "csat_value": csat, "csat_team": csat, "nps": nps}
    await press(
        personal, form, "Close the iteration", status_g1="partially", next_steps="Fix", **scores
    )


async def test_a_detractor_gets_a_follow_up_closed_by_a_touch(personal: Conversation) -> None:
    await _reviewed(personal, nps="4", csat="3")  # reviewed Mon 2 Nov 2026
    listed = texts(last_card(await personal.say("reminders")))
    assert "Call Contoso: an unhappy customer (NPS 4, CSAT 3.0)" in listed
    assert "Tue 3 Nov 2026" in listed
    assert "by Wed 4 Nov 2026 (within 2 working days)" in listed
    await personal.say("touch Contoso call: talked it through with Carla")
    assert "unhappy customer" not in texts(last_card(await personal.say("reminders")))


async def test_a_low_csat_alone_is_a_detractor_too(personal: Conversation) -> None:
    await _reviewed(personal, nps="8", csat="2")
    assert "NPS 8, CSAT 2.0" in texts(last_card(await personal.say("reminders")))


async def test_a_promoter_gets_no_follow_up(personal: Conversation) -> None:
    await _reviewed(personal, nps="9", csat="5")
    assert "unhappy customer" not in texts(last_card(await personal.say("reminders")))
