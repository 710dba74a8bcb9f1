"""Issue 14 item 2: the ensure card records no goal outcome until the user picks one."""

from __future__ import annotations

from tests.support.cards import walk
from tests.support.conversation import Conversation
from tests.support.correctness import (
    all_text,
    card_defaults,
    committed,
    delivered,
    last_card,
    press,
)


async def test_an_untouched_ensure_card_records_no_achievement(personal: Conversation) -> None:
    await committed(personal, "Contoso")
    await delivered(personal, "Contoso")
    form = last_card(await personal.say("ensure Contoso"))
    outcome = next(e for e in walk(form) if e.get("id") == "status_g1")
    assert "value" not in outcome
    assert outcome["isRequired"] is True
    replies = await press(
        personal, form, "Close the iteration", **card_defaults(form), next_steps="Pilot"
    )
    assert "Pick the outcome of the goal 'Landing zone live'" in all_text(replies)
    status = last_card(await personal.say("status Contoso"))
    assert "ensure" in str(status)
    assert "achieved" not in all_text(await personal.say("report Contoso")).casefold()
