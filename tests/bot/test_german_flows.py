"""A German user's flows over /api/messages: the dialogs answer in German (prompts, retries,
confirmations, errors) and show the catalog's German texts; typed answers work in both languages."""

from __future__ import annotations

import pytest
from aiohttp.test_utils import TestClient

from catalog import load_catalog
from engagement.catalog_text import in_language
from tests.support.cards import submit_actions, texts
from tests.support.connector import FakeConnector
from tests.support.conversation import Conversation

QUESTIONS = load_catalog().questionnaire.questions
GERMAN_QUESTIONS = in_language(load_catalog(), "de").questionnaire.questions


@pytest.fixture
def german(client: TestClient, connector: FakeConnector) -> Conversation:
    """A personal chat of a user whose Teams client is German."""
    return Conversation(client, connector, "a:personal-greta", "greta", "Greta", locale="de-DE")


def _buttons(card: dict) -> dict[str, dict]:
    return dict(submit_actions(card))


async def test_a_german_assessment(german: Conversation) -> None:
    replies = await german.say("assess Fabrikam")
    confirm = replies[0].cards[0]
    assert "Neuer Kunde: Fabrikam" in texts(confirm)
    assert "Fabrikam anlegen und die Bewertung beginnen?" in texts(confirm)
    replies = await german.say("vielleicht")
    assert replies[0].text.startswith("Fabrikam anlegen und die Bewertung beginnen?")
    replies = await german.say("ja")
    card = replies[0].cards[0]
    assert GERMAN_QUESTIONS[0].options[0].label in texts(card)
    assert GERMAN_QUESTIONS[0].text in texts(card)
    replies = await german.say("keine Ahnung")
    assert replies[0].text.startswith(f"Frage 1 von {len(QUESTIONS)}: Bitte drücken Sie")
    assert GERMAN_QUESTIONS[0].options[1].label in replies[0].text
    replies = await german.say(GERMAN_QUESTIONS[0].options[1].label.upper())  # German text
    assert GERMAN_QUESTIONS[1].text in texts(replies[0].cards[0])
    replies = await german.say(QUESTIONS[1].options[0].label)  # the English text works too
    assert GERMAN_QUESTIONS[2].text in texts(replies[0].cards[0])
    replies = await german.say("zurück")
    assert GERMAN_QUESTIONS[1].text in texts(replies[0].cards[0])
    for _ in range(len(QUESTIONS) - 1):
        replies = await german.say("1")
    result = texts(replies[-1].cards[0])
    assert "Cloud affine" in result


async def test_german_quick_check_messages(german: Conversation) -> None:
    replies = await german.say("quick check Fabrikam")
    card = replies[0].cards[0]
    assert "Neuer Kunde: Fabrikam?" in texts(card)
    assert "Fabrikam ist noch nicht in Ihrer Kundenliste. Fabrikam als neuen Kunden anlegen?" in (
        texts(card)
    )
    assert "Fabrikam anlegen" in _buttons(card)
    replies = await german.submit(_buttons(card)["Fabrikam anlegen"])
    card = replies[0].cards[0]
    submit = next(data for _, data in submit_actions(card) if data.get("action") == "quick_check")
    replies = await german.submit(submit)  # nothing answered
    assert replies[0].text.startswith("Bitte beantworten Sie jede Frage")
