"""Success metrics (issue 17.3, seed 004) over /api/messages: a goal's KPI with a baseline and a
target, entered in `commit` (card or typed), shown on the statement of work."""

from __future__ import annotations

from tests.bot.test_commit_conversation import GOAL, _card, _press, _quick_checked, _text
from tests.support.cards import choice_sets, texts
from tests.support.conversation import Conversation

TAGGED = "Tagged resources | share of resources tagged | partner | 2027-03-31 | 40 % | 95 %"


async def _goals_step(personal: Conversation) -> dict[str, object]:
    await _quick_checked(personal)
    card = _card(await personal.say("commit Contoso"))
    return _card(await _press(personal, card, "Next", workshops=choice_sets(card)[0]["value"]))


async def test_a_goal_takes_a_baseline_and_a_target_on_the_card_or_typed(
    personal: Conversation,
) -> None:
    goal_card = await _goals_step(personal)
    assert "KPI baseline, today (optional)" in texts(goal_card)
    metric = {"baseline": "0 subscriptions", "target": "3 subscriptions"}
    await _press(personal, goal_card, "Save goal", **GOAL, **metric)
    await personal.say("yes")
    await personal.say(TAGGED)
    await personal.say("no")
    await personal.say("skip")
    review = _card(await personal.say("2026-12-01 | 2027-01-31 | Carla Diaz"))
    shown = texts(review)
    assert "3 subscriptions under policy · baseline 0 subscriptions → target 3 subscriptions" in (
        shown
    )
    assert "share of resources tagged · baseline 40 % → target 95 %" in shown
    await _press(personal, review, "Confirm")
    markdown = _text(await personal.say("sow Contoso"))
    assert "share of resources tagged · baseline 40 % → target 95 %" in markdown


async def test_typed_goals_take_four_or_six_parts(personal: Conversation) -> None:
    await _goals_step(personal)
    replies = await personal.say("a | b | partner | 2027-03-31 | 1 | 2 | 3")
    assert "optionally | baseline | target of the KPI" in _text(replies)
    replies = await personal.say("a | b | partner | 2027-03-31 | " + "x" * 201)
    assert "Goal 1: the KPI's baseline is too long" in _text(replies)
    replies = await personal.say("a | b | partner | 2027-03-31")  # the metric stays optional
    assert "Add another goal?" in str(replies[-1].body)
