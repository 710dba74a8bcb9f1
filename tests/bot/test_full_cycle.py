"""The whole four-phase cycle over /api/messages, twice; phase rules; report; status; touches."""

from __future__ import annotations

from typing import Any

from tests.dialogs.commit.test_commit_conversation import GOAL, PERIOD, _card, _press, _text
from tests.support.cards import choice_sets, runs, submit_data, texts, walk
from tests.support.conversation import Conversation
from tests.support.quick_check import quick_check_card


async def _quick_check(conversation: Conversation, pick: int) -> None:
    card = await quick_check_card(conversation, "Contoso")
    value = dict(submit_data(card, "Show level"))
    for choice_set in choice_sets(card):
        value[choice_set["id"]] = choice_set["choices"][pick]["value"]
    await conversation.submit(value)


async def _commit_and_agree(conversation: Conversation) -> None:
    form = _card(await conversation.say("commit Contoso form"))
    goals = {f"goal1_{k}": v for k, v in GOAL.items()}
    goals |= {
        "goal2_title": "Cost baseline",
        "goal2_kpi": "monthly report",
        "goal2_owner_side": "customer",
        "goal2_due": "2027-01-15",
    }
    review = _card(
        await _press(conversation, form, "Review", workshops="azure-governance", **goals, **PERIOD)
    )
    sow = _card(await _press(conversation, review, "Confirm"))
    replies = await _press(conversation, sow, "Record customer agreement", agreed_by="Carla Diaz")
    assert "Both sides agreed" in _text(replies)


async def _deliver(conversation: Conversation) -> dict[str, Any]:
    form = _card(await conversation.say("deliver Contoso"))
    replies = await _press(
        conversation,
        form,
        "Record delivery",
        workshop="azure-governance",
        on="2026-11-02",
        attendees="12",
        notes="Went well",
        materials_url="https://contoso.example/deck",
    )
    assert "1 of 1 committed workshops delivered" in texts(_card(replies))
    return form


async def _ensure(conversation: Conversation, **answers: str) -> list[Any]:
    form = _card(await conversation.say("ensure Contoso"))
    return await _press(conversation, form, "Close the iteration", **answers)


GOOD_REVIEW = {
    "status_g1": "achieved",
    "evidence_g1": "https://contoso.example/policy-report",
    "status_g2": "partially",
    "csat_overall": "5",
    "csat_value": "4",
    "csat_team": "5",
    "nps": "10",
    "next_steps": "Optimise cost\nPilot AKS",
}


async def test_two_full_cycles(personal: Conversation) -> None:
    for cycle, pick in ((1, 1), (2, 2)):
        await _quick_check(personal, pick)
        await _commit_and_agree(personal)
        await _deliver(personal)
        replies = await _ensure(personal, **GOOD_REVIEW)
        proof = _card(replies)
        assert "Proof of execution · Contoso" in texts(proof)
        assert "75%" in texts(proof)  # one achieved, one partially
        assert "10 (promoter)" in texts(proof)
        assert f"Iteration {cycle} of Contoso is closed" in _text(replies)
    replies = await personal.say("status Contoso")
    status = texts(replies[0].cards[0])
    assert "3, assess phase" in status
    assert "Cloud is an option → Cloud is a solution" in status
    assert "Optimise cost" in status  # carried over
    assert _level_trend(replies[0].cards[0]) == [  # the status card shows the trend it names
        ["Iteration 1", "Cloud is an option", 2],
        ["Iteration 2", "Cloud is a solution", 3],
        ["Iteration 3", "not assessed yet", 0],
    ]
    replies = await personal.say("history Contoso")
    history = replies[0].cards[0]
    assert "Iteration 3" in texts(history)
    assert not [e for e in walk(history) if e.get("type") == "Chart.Line"]  # no 0-2 number axis
    assert _level_trend(history)[:2] == [
        ["Iteration 1", "Cloud is an option", 2],
        ["Iteration 2", "Cloud is a solution", 3],
    ]


async def test_phase_rules_are_explained(personal: Conversation) -> None:
    replies = await personal.say("deliver Contoso")
    assert "don't know a customer called Contoso" in replies[0].text
    await _quick_check(personal, 1)
    replies = await personal.say("deliver Contoso")
    assert "commit phase" in replies[0].text
    assert "`commit Contoso`" in replies[0].text
    replies = await personal.say("ensure Contoso")
    assert "Next: `commit Contoso`" in replies[0].text
    await _commit_and_agree(personal)
    replies = await personal.say("ensure Contoso")
    assert "Nothing is delivered yet" in replies[0].text
    replies = await personal.say("assess Contoso")
    assert "deliver phase" in replies[0].text


async def _delivered(conversation: Conversation) -> None:
    await _quick_check(conversation, 1)
    await _commit_and_agree(conversation)
    await _deliver(conversation)


async def test_review_input_problems_and_satisfaction_edge_cases(personal: Conversation) -> None:
    await _delivered(personal)
    form = _card(await personal.say("ensure Contoso"))
    replies = await _press(
        personal,
        form,
        "Close the iteration",
        status_g1="achieved",
        status_g2="not_achieved",
        csat_overall="4",
        next_steps="",
    )
    text = _text(replies)
    assert "all three satisfaction questions and the NPS, or none" in text
    assert "at least one next step" in text
    replies = await _press(
        personal,
        form,
        "Close the iteration",
        status_g1="achieved",
        status_g2="not_achieved",
        csat_overall="2",
        csat_value="2",
        csat_team="3",
        nps="0",
        next_steps="Call the CIO",
    )  # comment skipped; NPS 0: a detractor, flagged
    proof = texts(_card(replies))
    assert "Follow up with the customer" in proof
    assert "NPS 0 is a detractor score" in proof
    assert "CSAT 2.3 is below 3" in proof
    replies = await _press(
        personal,
        form,
        "Close the iteration",
        status_g1="achieved",
        status_g2="achieved",
        next_steps="x",
    )
    assert "earlier stage of Contoso" in _text(replies)  # the same card again: not counted twice


async def test_review_without_satisfaction_is_allowed(personal: Conversation) -> None:
    await _delivered(personal)
    replies = await _ensure(
        personal, status_g1="not_achieved", status_g2="not_achieved", next_steps="Retry"
    )
    assert "Satisfaction" in texts(_card(replies))
    assert "not captured" in texts(_card(replies))


async def test_report_markdown(personal: Conversation) -> None:
    replies = await personal.say("report Contoso")
    assert "don't know" in replies[0].text
    await _quick_check(personal, 1)
    replies = await personal.say("report Contoso")
    assert "no closed iteration" in replies[0].text
    await _commit_and_agree(personal)
    await _deliver(personal)
    await _ensure(personal, **GOOD_REVIEW)  # the report needs a closed iteration
    markdown = (await personal.say("report Contoso"))[0].text  # its format: test_documents
    assert "**Proof of execution: Contoso, iteration 1**" in markdown
    assert "- Goal achievement: **75%**" in markdown


async def test_delivery_form_rules(personal: Conversation) -> None:
    await _quick_check(personal, 1)
    await _commit_and_agree(personal)
    form = _card(await personal.say("deliver Contoso"))
    replies = await _press(
        personal,
        form,
        "Record delivery",
        workshop="ads",
        on="2027-05-01",
        attendees="many",
        materials_url="ftp://x",
    )
    text = _text(replies)
    assert "committed workshops" in text
    assert "in the future" in text
    assert "whole number" in text
    assert "https://" in text
    await _press(personal, form, "Record delivery", workshop="azure-governance", on="today")
    replies = await _press(
        personal, form, "Record delivery", workshop="azure-governance", on="today"
    )
    assert "already recorded" in _text(replies)


async def test_touch_is_logged_and_shown(personal: Conversation) -> None:
    replies = await personal.say("touch Nobody call: hi")
    assert "Type `touch <customer> <note>`" in replies[0].text
    await _quick_check(personal, 1)
    replies = await personal.say("touch contoso call: renewal is on track")
    assert (  # the quick check was the first touch
        replies[0].text
        == "Logged a call touch with Contoso: renewal is on track. 2 touches on record."
    )
    replies = await personal.say("status Contoso")
    assert "Last touch\ntoday (" in texts(replies[0].cards[0])


def _level_trend(card: dict[str, Any]) -> list[list[object]]:
    """Each row of the level trend: iteration, level by name, and how many of 4 levels it is."""
    rows: list[list[object]] = []
    for row in walk(card):
        columns = row.get("columns", [])
        if row.get("type") == "ColumnSet" and len(columns) == 3:
            label, level, *bar = [run for column in columns for run in runs(column)]
            if "".join(bar) and set("".join(bar)) <= {"■", "□"}:
                rows.append([label, level, "".join(bar).count("■")])
    return rows
