"""Issue 14 item 5: the reminder list counts days as of the day each reminder arrives, and a
reminder due on a weekend (weekend sending off) arrives on the next working day."""

from __future__ import annotations

from tests.support.cards import texts
from tests.support.conversation import Conversation
from tests.support.correctness import quick_check


async def test_upcoming_reminders_count_days_from_their_own_day(personal: Conversation) -> None:
    # the clock stands at Mon 2 Nov 2026, 09:30 UTC; the customer is added now
    await quick_check(personal, "Contoso", 1)
    # renewal on Sat 6 Feb 2027: its 90-day reminder falls on Sun 8 Nov 2026
    await personal.say("renewal Contoso 2027-02-06")
    replies = await personal.say("reminders")
    listed = texts(next(r for r in replies if r.cards).cards[0])
    assert "Mon 9 Nov 2026" in listed  # weekend reminders are off: not Sunday
    assert "Contoso renews in 89 days" in listed  # counted to the day it arrives
    assert "(90-day reminder)" in listed
    assert "Sun 8 Nov 2026" not in listed
    assert "14 days since the last touch" in listed  # the quick check; check-in Mon 16 Nov
    assert " 0 days" not in listed
    assert "for 30 days" in listed  # stalled in commit, listed for Wed 2 Dec
