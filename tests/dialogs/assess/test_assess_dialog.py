"""AssessDialog on botbuilder's TestAdapter over a real temporary store (no HTTP)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from botbuilder.core import ConversationState, MemoryStorage, TurnContext
from botbuilder.core.adapters import TestAdapter, TestFlow
from botbuilder.dialogs import Dialog, DialogSet, DialogTurnStatus
from botbuilder.schema import Activity, ActivityTypes

from catalog import load_catalog
from dialogs.assess.assess_dialog import AssessDialog
from dialogs.common.services import DialogServices
from dialogs.common.turn import LOCAL_TENANT
from engagement.book import ListedSummaries
from engagement.clock import FixedClock
from engagement.models import AssessmentKind, MaturityLevel, Phase
from store import Store, open_store
from tests.support.cards import submit_data, texts

CATALOG = load_catalog()
QUESTIONS = CATALOG.questionnaire.questions
_NOW = datetime(2026, 11, 2, 9, 30, tzinfo=UTC)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    opened = open_store(tmp_path / "data")
    yield opened
    opened.close()


def dialog_adapter(dialog: Dialog) -> TestAdapter:
    """Run `dialog` for every turn, continuing it while it is active (STYLE.md 2.9)."""
    state = ConversationState(MemoryStorage())
    dialogs = DialogSet(state.create_property("DialogState"))
    dialogs.add(dialog)

    async def turn(context: TurnContext) -> None:
        dialog_context = await dialogs.create_context(context)
        if (await dialog_context.continue_dialog()).status == DialogTurnStatus.Empty:
            await dialog_context.begin_dialog(dialog.id, {"customer": context.activity.text})
        await state.save_changes(context)

    return TestAdapter(turn)


def card_of(activity: Activity) -> dict[str, Any]:
    return activity.attachments[0].content  # type: ignore[no-any-return]


def has_card_text(expected: str) -> Any:
    def check(activity: Activity, description: str | None = None) -> None:
        assert activity.attachments, f"expected a card with {expected!r}, got {activity.text!r}"
        assert expected in texts(card_of(activity)), description

    return check


def press(card: dict[str, Any], title: str) -> Activity:
    return Activity(type=ActivityTypes.message, value=submit_data(card, title))


def services_of(store: Store) -> DialogServices:
    clock = FixedClock(_NOW)
    return DialogServices(store.customers, CATALOG, clock, ListedSummaries(store.customers, clock))


async def test_assess_walks_every_question_and_stores_the_level(store: Store) -> None:
    services = services_of(store)
    adapter = dialog_adapter(AssessDialog(services))
    replies: list[Activity] = []
    flow: TestFlow = await adapter.send("Contoso")
    flow = await flow.assert_reply(lambda a, d=None: replies.append(a))
    flow = await flow.send(press(card_of(replies[-1]), "Yes"))
    for number in range(1, len(QUESTIONS) + 1):
        flow = await flow.assert_reply(has_card_text(f"Question {number} of {len(QUESTIONS)}"))
        flow = await flow.send(str(len(QUESTIONS[number - 1].options)))
    await flow.assert_reply(has_card_text("Cloud is in use"))
    customer = await store.customers.get(LOCAL_TENANT, "contoso")
    assert customer is not None
    assert customer.current.phase is Phase.COMMIT
    assessment = customer.current.assessment
    assert assessment is not None
    assert assessment.kind is AssessmentKind.FULL
    assert assessment.level is MaturityLevel.CLOUD_IS_IN_USE
    assert set(assessment.answers) == {q.id for q in QUESTIONS}
    assert customer.current.recommendations


async def test_back_on_the_first_question_is_not_an_answer(store: Store) -> None:
    services = services_of(store)
    adapter = dialog_adapter(AssessDialog(services))
    replies: list[Activity] = []
    flow = await adapter.send("Contoso")
    flow = await flow.assert_reply(lambda a, d=None: replies.append(a))
    flow = await flow.send(press(card_of(replies[-1]), "Yes"))
    flow = await flow.assert_reply(has_card_text("Question 1 of"))
    flow = await flow.send("back")
    await flow.assert_reply(lambda a, d=None: _assert_in("Question 1 of", a.text))


async def test_an_invalid_name_is_explained_and_asked_again(store: Store) -> None:
    services = services_of(store)
    adapter = dialog_adapter(AssessDialog(services))
    flow = await adapter.send("!!!")
    flow = await flow.assert_reply(lambda a, d=None: _assert_in("does not work", a.text))
    flow = await flow.assert_reply(lambda a, d=None: _assert_in("Which customer", a.text))
    flow = await flow.send("Contoso")
    await flow.assert_reply(has_card_text("New customer: Contoso"))


def _assert_in(expected: str, text: str | None) -> None:
    assert expected in (text or "")
