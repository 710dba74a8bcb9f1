"""Issue 14 item 6: several license lines per customer, each with the seed's risk; users active
without licenses are shown as such; health is scored by the worst line."""

from __future__ import annotations

from tests.support.cards import texts
from tests.support.conversation import Conversation
from tests.support.correctness import all_text, last_card, quick_check


async def test_license_lines_per_product_and_the_worst_in_health(personal: Conversation) -> None:
    await quick_check(personal, "Contoso", 1)
    replies = await personal.say("licenses Contoso 0 9 Microsoft 365")
    assert "Microsoft 365 licenses of Contoso: 0 licensed, 9 active" in all_text(replies)
    health = texts(last_card(await personal.say("health Contoso")))
    assert "0 of 0" not in health
    assert "Microsoft 365: 9 active, none licensed, Low risk (an upsell)" in health
    status = texts(last_card(await personal.say("status Contoso")))
    assert "no license data" not in status
    assert "Microsoft 365: 9 active, none licensed" in status
    replies = await personal.say("licenses Contoso 500 100")  # Azure, the default product
    assert "All lines, worst first: Azure: 100 of 500 licensed users active (20 %), High risk" in (
        all_text(replies)
    )
    health = texts(last_card(await personal.say("health Contoso")))
    assert "Azure: 100 of 500 licensed users active (20 %), High risk" in health
    assert "Microsoft 365: 9 active, none licensed" in health  # both lines kept
    status = texts(last_card(await personal.say("status Contoso")))
    assert "Azure: 100 of 500" in status
    assert "Microsoft 365: 9 active" in status
