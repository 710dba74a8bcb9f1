"""Issue 14, seed 001: next steps seed the next iteration; the proof of execution lists committed
workshops never delivered, and moving to ensure with some undelivered asks first."""

from __future__ import annotations

from tests.support.cards import texts, walk
from tests.support.conversation import Conversation
from tests.support.correctness import all_text, committed, delivered, last_card, press, quick_check

SCORES = {"csat_overall": "4", "csat_value": "4", "csat_team": "4", "nps": "9"}


async def _one_of_two_delivered(personal: Conversation) -> None:
    await committed(personal, "Contoso", workshops="1, 2")  # Cloud Workshops, Governance
    await delivered(personal, "Contoso")  # the first only


async def test_ensure_with_undelivered_workshops_asks_first(personal: Conversation) -> None:
    await _one_of_two_delivered(personal)
    ask = last_card(await personal.say("ensure Contoso"))
    assert "Azure Governance Workshop" in texts(ask)
    assert "Ensure · Contoso" not in texts(ask)
    back = await press(personal, ask, "Record a delivery first")
    assert "Deliver · Contoso" in texts(last_card(back))
    ask = last_card(await personal.say("ensure Contoso"))
    form = last_card(await press(personal, ask, "Move to ensure anyway"))
    assert "Ensure · Contoso · iteration 1" in texts(form)


async def test_proof_of_execution_lists_workshops_never_delivered(personal: Conversation) -> None:
    await _one_of_two_delivered(personal)
    ask = last_card(await personal.say("ensure Contoso"))
    form = last_card(await press(personal, ask, "Move to ensure anyway"))
    replies = await press(
        personal, form, "Close the iteration", status_g1="partially", next_steps="Fix", **SCORES
    )
    proof = texts(next(r for r in replies if r.cards).cards[0])
    assert "Committed but never delivered" in proof
    assert "Azure Governance Workshop" in proof
    assert "is closed" in all_text(replies)


async def test_everything_delivered_goes_straight_to_ensure(personal: Conversation) -> None:
    await committed(personal, "Contoso")
    await delivered(personal, "Contoso")
    form = last_card(await personal.say("ensure Contoso"))
    assert "Ensure · Contoso · iteration 1" in texts(form)


async def _closed_with_next_steps(personal: Conversation) -> None:
    await committed(personal, "Contoso")
    await delivered(personal, "Contoso")
    form = last_card(await personal.say("ensure Contoso"))
    steps = "Roll out governance to BU2\nTrain the ops team"
    await press(
        personal, form, "Close the iteration", status_g1="achieved", next_steps=steps, **SCORES
    )


async def test_the_next_assessment_shows_the_last_next_steps(personal: Conversation) -> None:
    await _closed_with_next_steps(personal)
    result = texts(last_card(await quick_check(personal, "Contoso", 2)))
    assert "Next steps from iteration 1" in result
    assert "Roll out governance to BU2" in result
    assert "Train the ops team" in result


async def test_the_next_commit_offers_the_last_next_steps_as_goals(
    personal: Conversation,
) -> None:
    await _closed_with_next_steps(personal)
    await quick_check(personal, "Contoso", 2)
    await personal.say("commit Contoso")
    first = last_card(await personal.say("1"))
    titles = [e.get("value") for e in walk(first) if e.get("id") == "title"]
    assert titles == ["Roll out governance to BU2"]
    assert "next step 1 of iteration 1" in texts(first)
