"""Issue 14, touch cadence (seed 003): deliveries, quick checks and ensure reviews are customer
touches, for check-in reminders and health."""

from __future__ import annotations

from tests.support.cards import texts
from tests.support.conversation import Conversation
from tests.support.correctness import all_text, committed, delivered, last_card


async def test_quick_checks_and_deliveries_are_touches(personal: Conversation) -> None:
    await committed(personal, "Contoso")  # starts with a quick check
    await delivered(personal, "Contoso", on="2026-10-30")
    listed = all_text(await personal.say("touches Contoso"))
    assert "call, Ada Lovelace: quick check" in listed
    assert "30 Oct 2026, meeting, Ada Lovelace: workshop delivered" in listed
    status = texts(last_card(await personal.say("status Contoso")))
    assert "never" not in status
    assert "14 days since the last touch" in texts(last_card(await personal.say("reminders")))
