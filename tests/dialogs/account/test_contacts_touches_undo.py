"""Issue 14 item 8: the statement of work's contact is stored as a contact; `touches` lists the
touches; the latest delivery and touch can be undone (and recorded again corrected)."""

from __future__ import annotations

from bot.app import STORE_KEY
from tests.support.cards import texts
from tests.support.conversation import Conversation
from tests.support.correctness import all_text, committed, delivered, last_card


async def test_the_sow_contact_is_a_contact(personal: Conversation) -> None:
    await committed(personal, "Contoso")
    stored = await personal.client.server.app[STORE_KEY].customers.get("tenant-a", "contoso")
    assert [c.name for c in stored.contacts] == ["Carla Diaz"]
    assert "Carla Diaz" in texts(last_card(await personal.say("status Contoso")))


async def test_touches_are_listed_and_the_latest_can_be_undone(personal: Conversation) -> None:
    await committed(personal, "Contoso")
    await personal.say("touch Contoso call: renewal on track")
    await personal.say("touch Contoso mail: sent the deck")
    listed = all_text(await personal.say("touches Contoso"))
    assert listed.index("sent the deck") < listed.index("renewal on track")
    replies = await personal.say("undo touch Contoso")
    assert "Removed the latest touch with Contoso" in all_text(replies)
    listed = all_text(await personal.say("touches Contoso"))
    assert "sent the deck" not in listed
    assert "renewal on track" in listed


async def test_the_latest_delivery_can_be_undone(personal: Conversation) -> None:
    await committed(personal, "Contoso")
    await delivered(personal, "Contoso", on="2026-10-30")
    replies = await personal.say("undo delivery Contoso")
    assert "Removed the latest delivery of Contoso" in all_text(replies)
    form = last_card(await personal.say("deliver Contoso"))
    assert "Delivered so far: 0 of 1" in texts(form)
