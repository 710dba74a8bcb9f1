"""`renewal <customer> done|lost <reason>` and the checkpoints over /api/messages; KPIs."""

from __future__ import annotations

from tests.bot.test_full_cycle import _quick_check
from tests.support.cards import texts
from tests.support.conversation import Conversation


async def test_checkpoint_outcomes_and_kpis(personal: Conversation) -> None:
    await _quick_check(personal, 1)
    await personal.say("renewal Contoso 2027-04-01")  # 150 days: the execution checkpoint
    listed = texts((await personal.say("reminders"))[0].cards[0])
    assert "Renewal execution: Contoso" in listed

    replies = await personal.say("renewal Contoso lost")
    assert "Why was it lost?" in replies[0].text
    replies = await personal.say("renewal Contoso done")
    assert "was renewed" in replies[0].text
    assert "Renewal of Contoso" not in texts((await personal.say("reminders"))[0].cards[0])
    replies = await personal.say("renewal Contoso done")
    assert "no renewal date to close" in replies[0].text

    await personal.say("renewal Contoso 2027-10-01")
    replies = await personal.say("renewal Contoso lost moved to a competitor")
    assert "lost (moved to a competitor)" in replies[0].text

    kpis = texts((await personal.say("kpis"))[0].cards[0])
    assert "Renewal rate FY2027" in kpis
    assert "50% (1 of 2)" in kpis
    assert "1: moved to a competitor 1" in kpis

    replies = await personal.say("renewal Fabrikam done")
    assert "don't know a customer" in replies[0].text
    replies = await personal.say("renewal Contoso 2027-06-30")
    assert "Renewal of Contoso set to" in replies[0].text
