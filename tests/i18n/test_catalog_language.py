"""The catalog and the readiness checklist in the turn's language over /api/messages: a German
user reads the questionnaire, the workshops and the checklist in German, an English user as
before, and what is stored is the same whoever took it."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from tests.support.cards import choice_sets, submit_actions, texts
from tests.support.conversation import Conversation


def _answers(card: dict[str, Any], score: int) -> dict[str, Any]:
    ((_, data),) = submit_actions(card)
    return data | {choice["id"]: str(score) for choice in choice_sets(card)}


async def test_the_quick_check_card_asks_in_the_users_language(personal: Conversation) -> None:
    german = replace(personal, conversation_id="a:personal-grete", user_id="grete", locale="de-DE")
    card = texts((await german.say("schnellcheck"))[0].cards[0])
    assert "Betreibt der Kunde heute Workloads in Azure?" in card
    assert "Ja, Workloads in Produktion" in card
    assert "Beantworten Sie jede Frage und tippen Sie dann auf Reifegrad anzeigen." in card
    assert "Answer each question" not in card
    assert "Does the customer run workloads in Azure today?" not in card
    english = texts((await personal.say("quick check"))[0].cards[0])
    assert "Does the customer run workloads in Azure today?" in english
    assert "Betreibt der Kunde" not in english


async def test_the_catalog_shows_german_workshop_texts_and_the_frameworks_names(
    personal: Conversation,
) -> None:
    german = replace(personal, locale="de-DE")
    card = texts((await german.say("catalog 3"))[0].cards[0])
    assert "Architecture Design Session (ADS)" in card
    assert "Pilot oder PoC" in card
    assert "Eine strukturierte Design-Session zum konkreten Anwendungsfall" in card
    assert "Workshop-Katalog" in card
    assert (
        "1-2 Tage · Lösungsarchitektur, Anwendungsverantwortliche, Projektsponsor · vor Ort" in card
    )
    assert "Mehr erfahren" in card
    english = texts((await personal.say("catalog 3"))[0].cards[0])
    assert "Pilot or PoC" in english
    assert "A structured design session on the customer's concrete use case" in english
    assert "Workshop catalog" in english
    assert (
        "1-2 days · Solution architects, application owners, the project sponsor · on-site"
        in english
    )


async def test_readiness_reads_in_german_and_stores_the_files_own_names(
    personal: Conversation,
) -> None:
    german = replace(personal, locale="de-DE")
    replies = await german.say("readiness")
    card = replies[-1].cards[0]
    assert "Partnerstrategie und Rollen" in texts(card)
    assert "Übergreifende Customer Journey Map" in texts(card)
    for _step in range(5):
        replies = await german.submit(_answers(card, 2))
        card = replies[-1].cards[0]
    result = texts(card)
    assert "Personalmodell" in result
    assert "Schaffen Sie intern Einigkeit" in result
    # an English colleague of the same organisation reads the same assessment in English
    english = texts((await personal.say("readiness"))[0].cards[0])
    assert "Staffing model" in english
    assert "Personalmodell" not in english
    assert "Gain internal consensus" in english
