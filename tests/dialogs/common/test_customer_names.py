"""Issue 14 item 3: a quick check never creates a customer without asking, and wherever a
customer is named, an unknown name is answered with the closest existing names."""

from __future__ import annotations

from tests.support.cards import choice_sets, submit_data, texts
from tests.support.conversation import Conversation
from tests.support.correctness import all_text, last_card, press, quick_check


async def test_a_typo_in_quick_check_asks_and_offers_the_close_name(
    personal: Conversation,
) -> None:
    await quick_check(personal, "Contoso", 1)
    replies = await personal.say("quick check Contso")
    ask = last_card(replies)
    assert not choice_sets(ask)  # no quick-check card yet
    assert "Contso is not in your customer list yet. Did you mean Contoso?" in texts(ask)
    assert "Contso" not in all_text(await personal.say("customers"))
    card = last_card(await press(personal, ask, "Quick check Contoso"))
    assert "Contoso" in texts(card)
    assert choice_sets(card)
    assert "Contso" not in all_text(await personal.say("customers"))


async def test_a_new_customer_is_created_only_when_confirmed(personal: Conversation) -> None:
    ask = last_card(await personal.say("quick check Litware"))
    assert "Did you mean" not in texts(ask)
    # no other customer to pick (it said "Pick the customer, ..." before)
    assert "Litware is not in your customer list yet. Create Litware as a new customer?" in texts(
        ask
    )
    card = last_card(await press(personal, ask, "Create Litware"))
    assert "Litware" not in all_text(await personal.say("customers"))  # not before the submit
    value = dict(submit_data(card, "Show level"))
    for choice_set in choice_sets(card):
        value[choice_set["id"]] = choice_set["choices"][0]["value"]
    await personal.submit(value)
    assert "Litware" in all_text(await personal.say("customers"))


async def test_saving_an_unnamed_quick_check_to_a_typo_offers_the_customer(
    personal: Conversation,
) -> None:
    await quick_check(personal, "Contoso", 1)
    card = last_card(await personal.say("quick check"))
    value = dict(submit_data(card, "Show level"))
    for choice_set in choice_sets(card):
        value[choice_set["id"]] = choice_set["choices"][3]["value"]
    result = last_card(await personal.submit(value))
    replies = await press(personal, result, "Save", customer_name="contso")
    replies = await press(personal, last_card(replies), "Save to Contoso")
    assert "Saved to Contoso" in all_text(replies)
    listed = all_text(await personal.say("customers"))
    assert "Cloud is in use" in listed
    assert "contso" not in listed.casefold()


async def test_every_command_naming_a_customer_offers_the_close_names(
    personal: Conversation,
) -> None:
    await quick_check(personal, "Contoso", 1)
    for command in ("status", "history", "deliver", "sow", "health"):
        replies = await personal.say(f"{command} Contso")
        assert f"Did you mean Contoso (`{command} Contoso`)?" in all_text(replies), command
    assert "Did you mean Contoso (`commit Contoso`)?" in all_text(
        await personal.say("commit Contso")
    )
    assert "Did you mean Contoso?" in all_text(await personal.say("touch Contso call: hi"))
    assert "Did you mean Contoso?" in all_text(await personal.say("renewal Contso 2027-06-30"))
    assert "Did you mean Contoso?" in all_text(await personal.say("licenses Contso 10 5"))
    ask = last_card(await personal.say("assess Contso"))
    assert "Did you mean Contoso (`assess Contoso`)?" in texts(ask)
