"""Success metrics (issue 17.3, seed 004) over /api/messages: a goal's KPI with a baseline and a
target, entered in `commit` (card or typed), shown on the statement of work; at `ensure` the
measured value and each success factor's status, shown by the proof of execution and the report."""

from __future__ import annotations

from typing import Any

from tests.dialogs.account.test_success_plan_conversation import _inputs
from tests.dialogs.commit.test_commit_conversation import GOAL, _card, _press, _quick_checked, _text
from tests.support.cards import choice_sets, texts
from tests.support.conversation import Conversation
from tests.support.correctness import (
    PERIOD,
    all_text,
    delivered,
    last_card,
    press,
    quick_check,
)

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


async def _in_ensure(personal: Conversation) -> dict[str, Any]:
    """Committed (one goal with a metric, a success plan), delivered, the ensure card shown."""
    await quick_check(personal, "Contoso", 1)
    await personal.say("commit Contoso")
    await personal.say("1")
    await personal.say(TAGGED)
    await personal.say("no")
    await personal.say("in place, Carla | in progress, Ben: one scenario | | missing")
    review = last_card(await personal.say(PERIOD))
    sow = last_card(await press(personal, review, "Confirm"))
    await press(personal, sow, "Record customer agreement", agreed_by="Carla Diaz")
    await delivered(personal, "Contoso")
    return last_card(await personal.say("ensure Contoso"))


async def test_ensure_asks_the_measured_value_and_each_factor_and_the_proof_shows_them(
    personal: Conversation,
) -> None:
    form = await _in_ensure(personal)
    shown = texts(form)
    assert "KPI measured now (baseline 40 % → target 95 %)" in shown
    assert "Success plan: the status of each factor now" in shown
    preset = _inputs(form)
    assert (preset["stakeholders_status"], preset["scenarios_status"]) == (
        "in_place",
        "in_progress",
    )
    answers = {
        "status_g1": "partially",
        "measured_g1": "90 %",
        "scenarios_status": "in_place",
        "training_status": "in_progress",
        "next_steps": "Tag the last subscriptions",
    }
    proof = texts(last_card(await press(personal, form, "Close the iteration", **answers)))
    assert "share of resources tagged · baseline 40 % → target 95 % → measured 90 %" in proof
    assert "Success plan at ensure\n2 of 4 in place, 1 in progress, missing: Awareness" in proof
    report = all_text(await personal.say("report Contoso"))
    assert "baseline 40 % → target 95 % → measured 90 %" in report
    assert "Success plan at ensure: 2 of 4 in place, 1 in progress, missing: Awareness" in report
    status = texts(last_card(await personal.say("status Contoso")))
    assert "Training\nIn progress" in status  # the plan goes on with the statuses of ensure


async def test_a_wrong_factor_status_or_measured_value_comes_back_under_its_input(
    personal: Conversation,
) -> None:
    form = await _in_ensure(personal)
    answers = {
        "status_g1": "achieved",
        "measured_g1": "x" * 201,
        "awareness_status": "done",
        "next_steps": "Next",
    }
    replies = await press(personal, form, "Close the iteration", **answers)
    text = all_text(replies)
    assert "The measured value for 'Tagged resources' is too long" in text
    assert "Awareness: the status is in place, in progress or missing." in text
    again = _inputs(last_card(replies))
    assert again["next_steps"] == "Next"
