"""`commit` and `sow` end to end over /api/messages: steps, form, validation, edit, agreement."""

from __future__ import annotations

from typing import Any

from aiohttp.test_utils import TestClient, TestServer

from bot.app import create_app
from bot.settings import Settings
from catalog import load_catalog
from engagement.clock import FixedClock
from tests.support.cards import choice_sets, only_submit, submit_actions, submit_data, texts
from tests.support.connector import FakeConnector, Sent
from tests.support.conversation import Conversation
from tests.support.quick_check import quick_check_card

GOAL = {
    "title": "Landing zone live",
    "kpi": "3 subscriptions under policy",
    "owner_side": "partner",
    "owner_name": "Ada",
    "due": "2027-03-31",
}
PERIOD = {"start": "2026-12-01", "end": "2027-01-31", "customer_contact": "Carla Diaz, CIO"}


def _card(replies: list[Sent]) -> dict[str, Any]:
    return next(r for r in reversed(replies) if r.cards).cards[0]


def _text(replies: list[Sent]) -> str:
    return "\n".join(r.text for r in replies)


async def _quick_checked(conversation: Conversation, name: str = "Contoso") -> None:
    card = await quick_check_card(conversation, f"{name}")
    value = dict(only_submit(card))
    for choice_set in choice_sets(card):
        value[choice_set["id"]] = choice_set["choices"][2]["value"]
    await conversation.submit(value)


async def _press(
    conversation: Conversation, card: dict[str, Any], button: str, /, **inputs: Any
) -> list[Sent]:
    return await conversation.submit({**submit_data(card, button), **inputs})


async def _to_review(personal: Conversation) -> dict[str, Any]:
    """Walk the step-by-step path to the review card."""
    replies = await personal.say("commit Contoso")
    card = _card(replies)
    assert "workshops" in texts(card)
    selected = choice_sets(card)[0]["value"]
    assert selected  # the assessment's recommendations are preselected
    replies = await _press(personal, card, "Next", workshops=selected)
    card = _card(replies)
    assert "goal 1" in texts(card)
    replies = await _press(personal, card, "Save goal", **GOAL)
    replies = await personal.submit(submit_data(_card(replies), "Yes"))
    assert "goal 2" in texts(_card(replies))
    replies = await personal.say("Cost baseline | monthly cost report | customer | 2027-01-15")
    replies = await personal.say("no")
    card = _card(replies)
    assert "success factors" in texts(card)
    replies = await _press(personal, card, "Skip")
    card = _card(replies)
    assert "dates and contact" in texts(card)
    replies = await _press(personal, card, "Next", **PERIOD)
    card = _card(replies)
    assert "Landing zone live" in texts(card)
    assert "Cost baseline" in texts(card)
    return card


async def test_commit_needs_an_assessment_first(personal: Conversation) -> None:
    replies = await personal.say("commit Contoso")
    assert "Assess them first: `assess Contoso`" in replies[0].text
    await personal.say("quick check Contoso")  # a card only: nothing assessed yet
    replies = await personal.say("commit Contoso")
    assert "Assess them first" in replies[0].text


async def test_step_by_step_to_an_agreed_statement_of_work(personal: Conversation) -> None:
    await _quick_checked(personal)
    review = await _to_review(personal)
    replies = await _press(personal, review, "Confirm")
    assert "Saved" in _text(replies)
    sow = _card(replies)
    assert "Partner: agreed by Ada Lovelace" in texts(sow)
    assert "Customer: not agreed yet" in texts(sow)
    replies = await _press(personal, sow, "Record customer agreement", agreed_by="Carla Diaz")
    assert "Both sides agreed" in _text(replies)
    assert "Customer: agreed by Carla Diaz" in texts(personal.connector.sent[-2].body)
    replies = await personal.say("customers")
    assert "deliver phase" in replies[0].text


async def test_invalid_input_is_explained_and_the_card_stays(personal: Conversation) -> None:
    await _quick_checked(personal)
    card = _card(await personal.say("commit Contoso"))
    replies = await _press(personal, card, "Next", workshops="")
    assert "at least one workshop" in _text(replies)
    replies = await _press(personal, card, "Next", workshops="azure-governance,not-a-workshop")
    assert "Not in the catalog: not-a-workshop" in _text(replies)
    goal_card = _card(await _press(personal, card, "Next", workshops="azure-governance"))
    replies = await _press(
        personal, goal_card, "Save goal", **{**GOAL, "due": "2020-01-01", "kpi": ""}
    )
    assert "in the past" in _text(replies)
    assert "success criterion (KPI) is required" in _text(replies)
    replies = await personal.say("just a title")
    assert "title | KPI | customer or partner | target date" in _text(replies)
    replies = await _press(personal, goal_card, "Save goal", **GOAL)
    replies = await personal.say("no")
    replies = await _press(personal, _card(replies), "Skip")
    period_card = _card(replies)
    replies = await _press(personal, period_card, "Next", **{**PERIOD, "end": "2026-11-30"})
    assert "must be after the start" in _text(replies)
    replies = await personal.say("Dec 1 2026 | 31.01.2027 | Carla")
    assert "Landing zone live" in texts(_card(replies))


async def test_edit_re_enters_one_part(personal: Conversation) -> None:
    await _quick_checked(personal)
    review = await _to_review(personal)
    replies = await _press(personal, review, "Edit", edit_part="period")
    card = _card(replies)
    assert "dates and contact" in texts(card)
    replies = await _press(personal, card, "Next", **{**PERIOD, "customer_contact": "Dan Park"})
    review = _card(replies)
    assert "contact: Dan Park" in texts(review)
    assert "Landing zone live" in texts(review)  # the other parts are kept


async def test_form_path_gives_the_same_messages_and_record(personal: Conversation) -> None:
    await _quick_checked(personal)
    form = _card(await personal.say("commit Contoso form"))
    assert len([d for _, d in submit_actions(form)]) == 2
    replies = await _press(
        personal,
        form,
        "Review",
        workshops="azure-governance",
        goal1_title="Landing zone live",
        goal1_due="2020-01-01",
        **PERIOD,
    )
    text = _text(replies)
    assert "Goal 1: the success criterion (KPI) is required." in text
    assert "in the past" in text
    goal = {f"goal1_{k}": v for k, v in GOAL.items()}
    replies = await _press(personal, form, "Review", workshops="azure-governance", **goal, **PERIOD)
    review = _card(replies)
    assert "Landing zone live" in texts(review)
    replies = await _press(personal, review, "Confirm")
    assert "Saved" in _text(replies)


async def test_an_outdated_agreement_button_is_refused(personal: Conversation) -> None:
    await _quick_checked(personal)
    replies = await _press(personal, await _to_review(personal), "Confirm")
    old_sow = _card(replies)
    review = await _to_review(personal)
    replies = await _press(personal, review, "Edit", edit_part="period")
    changed = {**PERIOD, "customer_contact": "Dan Park"}
    review = _card(await _press(personal, _card(replies), "Next", **changed))
    await _press(personal, review, "Confirm")  # the statement changed since old_sow was sent
    replies = await _press(personal, old_sow, "Record customer agreement", agreed_by="Carla")
    assert "changed or moved on" in _text(replies)
    replies = await personal.say("customers")
    assert "commit phase" in replies[0].text


async def test_sow_shows_the_card_and_markdown(personal: Conversation) -> None:
    await _quick_checked(personal)
    await _press(personal, await _to_review(personal), "Confirm")
    replies = await personal.say("sow contoso")
    assert "Statement of work" in texts(replies[0].cards[0])
    markdown = replies[1].text
    assert replies[1].body["textFormat"] == "markdown"  # readable Markdown, no code block
    assert "```" not in markdown
    assert "|---" not in markdown  # Teams shows no tables in a text message
    assert markdown.startswith("**Statement of work: Contoso**")
    assert (
        "1. **Landing zone live**: 3 subscriptions under policy (owner: partner (Ada), "
        "due 2027-03-31)" in markdown
    )


async def test_commit_resumes_after_a_restart(
    settings: Settings, clock: FixedClock, connector: FakeConnector
) -> None:
    async with TestClient(TestServer(create_app(settings, clock=clock))) as first:
        conversation = Conversation(first, connector, "a:commit-restart")
        await _quick_checked(conversation)
        card = _card(await conversation.say("commit Contoso"))
        goal_card = _card(await _press(conversation, card, "Next", workshops="azure-governance"))
    async with TestClient(TestServer(create_app(settings, clock=clock))) as second:
        conversation = Conversation(second, connector, "a:commit-restart")
        replies = await _press(conversation, goal_card, "Save goal", **GOAL)
        assert "Add another goal?" in texts(_card(replies))


async def test_from_a_full_assessment_to_an_agreed_statement_of_work(
    personal: Conversation,
) -> None:
    replies = await personal.say("assess Contoso")
    replies = await personal.submit(submit_data(replies[0].cards[0], "Yes"))
    for _ in range(len(load_catalog().questionnaire.questions)):
        card = replies[-1].cards[0]
        replies = await personal.submit(
            [d for _, d in submit_actions(card) if d.get("action") == "choose"][1]
        )
    result = replies[-1].cards[0]
    replies = await personal.submit(submit_data(result, "Start commit phase"))
    assert "workshops" in texts(_card(replies))
    review = await _to_review_from_workshops(personal, _card(replies))
    sow = _card(await _press(personal, review, "Confirm"))
    replies = await _press(personal, sow, "Record customer agreement", agreed_by="Carla Diaz")
    assert "Both sides agreed" in _text(replies)


async def _to_review_from_workshops(personal: Conversation, card: dict[str, Any]) -> dict[str, Any]:
    replies = await _press(personal, card, "Next", workshops=choice_sets(card)[0]["value"])
    replies = await _press(personal, _card(replies), "Save goal", **GOAL)
    replies = await personal.say("no")
    replies = await _press(personal, _card(replies), "Skip")
    return _card(await _press(personal, _card(replies), "Next", **PERIOD))
