"""`brief <customer>` over /api/messages: one card with the facts and three talking points."""

from __future__ import annotations

from tests.bot.test_full_cycle import _commit_and_agree, _deliver, _quick_check
from tests.support.cards import submit_data, texts
from tests.support.connector import FakeConnector
from tests.support.conversation import Conversation


async def test_brief_of_a_customer_in_delivery(personal: Conversation) -> None:
    await _quick_check(personal, 1)
    await _commit_and_agree(personal)
    await _deliver(personal)
    await personal.say("renewal Contoso 2027-03-31")
    for note in ("kickoff", "scope call", "status mail", "weekly sync"):
        await personal.say(f"touch Contoso call: {note}")
    replies = await personal.say("brief Contoso")
    card = replies[0].cards[0]
    shown = texts(card)
    assert "Call brief · Contoso" in shown
    assert "Talking points" in shown
    assert "Cloud is an option" in shown
    assert "iteration 1, deliver since today" in shown
    assert "31 Mar 2027 (in 149 days); execution checkpoint" in shown
    assert "Renewal on 31 Mar 2027 (in 149 days)" in shown
    assert "weekly sync" in shown
    assert "kickoff" not in shown  # only the last three touches
    assert "Delivered: " in shown
    assert "due 15 Jan 2027" in shown
    assert "Health" in shown
    assert submit_data(card, "Status")["argument"] == "Contoso"


async def test_brief_finds_a_customer_by_part_of_the_name_and_explains_unknown_ones(
    personal: Conversation,
) -> None:
    assert "Which customer" in (await personal.say("brief"))[0].text
    assert "don't know" in (await personal.say("brief Fabrikam"))[0].text
    await _quick_check(personal, 0)
    replies = await personal.say("brief conto")
    assert "Call brief · Contoso" in texts(replies[0].cards[0])


async def test_in_a_meeting_chat_the_brief_goes_to_the_asker_privately(
    personal: Conversation, connector: FakeConnector
) -> None:
    await _quick_check(personal, 1)
    meeting = Conversation(
        personal.client, connector, "19:meeting_abc@thread.v2", conversation_type="groupChat"
    )
    replies = await meeting.say("brief Contoso", mention=True)
    shared = [r for r in replies if r.conversation_id == meeting.conversation_id]
    assert "Contoso" not in str([r.body for r in shared])
    private = [r for r in replies if r.conversation_id != meeting.conversation_id]
    assert "Call brief · Contoso" in texts(private[0].cards[0])


async def test_the_reminder_button_runs_the_brief(personal: Conversation) -> None:
    await _quick_check(personal, 1)
    replies = await personal.submit(
        {"action": "run_command", "command": "brief", "argument": "Contoso"}
    )
    assert "Call brief · Contoso" in texts(replies[0].cards[0])
