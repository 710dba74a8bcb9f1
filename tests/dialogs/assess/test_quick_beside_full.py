"""Issue 14 item 4: a quick check never replaces a full assessment of the same iteration
without the user confirming; both are kept, and the result card says where the level is from."""

from __future__ import annotations

from tests.support.cards import submit_actions, submit_data, texts
from tests.support.conversation import Conversation
from tests.support.correctness import all_text, last_card, press, quick_check


async def _full_assessment(conversation: Conversation, name: str, option: int) -> None:
    card = last_card(await conversation.say(f"assess {name}"))
    card = last_card(await conversation.submit(submit_data(card, "Yes")))
    while "Question" in texts(card):
        buttons = [d for _, d in submit_actions(card) if d.get("action") == "choose"]
        card = last_card(await conversation.submit(buttons[option]))


async def test_a_quick_check_is_kept_beside_the_full_assessment(personal: Conversation) -> None:
    await _full_assessment(personal, "Contoso", 3)
    assert "Cloud is in use" in all_text(await personal.say("customers"))
    result = last_card(await quick_check(personal, "Contoso", 0))
    shown = texts(result)
    assert "Not applied: Contoso's level stays Cloud is in use, from the full assessment" in shown
    assert "This quick check is kept beside it" in shown
    assert "Cloud is in use" in all_text(await personal.say("customers"))  # not overwritten
    replies = await press(personal, result, "Use this quick check's level")
    assert "level is now Cloud affine, from this quick check" in all_text(replies)
    assert "comes from this quick check" in texts(last_card(replies))
    assert "Cloud affine" in all_text(await personal.say("customers"))
    replies = await press(personal, result, "Use this quick check's level")  # pressed twice
    assert "already in use" in all_text(replies)
