"""`bereitschaft` in German (issue 18): section cards, validation, the result with its history
and trend, and stale cards speak German; English reads as before (tests/dialogs/readiness)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from engagement.clock import FixedClock
from tests.dialogs.readiness.test_readiness_conversation import _answers
from tests.i18n.test_german_conversation import english_lines
from tests.support.cards import texts
from tests.support.connector import Sent
from tests.support.conversation import Conversation
from tests.support.language import foreign_messages, leaks, shown


async def _take(chat: Conversation, scores: list[int], start: str) -> tuple[Sent, list[str]]:
    replies = await chat.say(start)
    seen = shown(replies)
    card = replies[-1].cards[0]
    for score in scores:
        replies = await chat.submit(_answers(card, score))
        seen += shown(replies)
        card = replies[-1].cards[0]
    return replies[-1], seen


async def test_a_german_user_takes_the_readiness_check_in_german(
    personal: Conversation, clock: FixedClock
) -> None:
    german = replace(personal, locale="de-DE")
    first = texts((await german.say("bereitschaft"))[0].cards[0])
    assert "Bereitschaft 1 von 5: " in first
    assert "5 Bereiche mit je bis zu 100 Punkten." in first
    assert "Nächster Bereich" in first
    _, seen = await _take(german, [2, 2, 2, 2, 2], "bereitschaft")
    clock.set(clock.now().replace(month=12))
    result, again = await _take(german, [5, 5, 4, 4, 4], "bereitschaft neu")
    card = texts(result.cards[0])
    assert "Partner-Bereitschaft: Optimizing" in card
    assert "440 von 500 Punkten · durchgeführt von Ada Lovelace am 02. Dez. 2026" in card
    assert "240 Punkte mehr seit 02. Nov. 2026." in card
    assert "Punkte je Bereich" in card
    assert "Gesamt" in card
    assert "Verlauf" in card
    assert "Erneut durchführen" in card
    assert "Die letzten Bewertungen Ihrer Organisation sind eingetragen." in "\n".join(again)
    assert leaks(seen + again, foreign_messages("de")) == set()
    assert english_lines(seen + again) == []


async def test_bad_and_stale_readiness_cards_are_answered_in_german(
    personal: Conversation,
) -> None:
    german = replace(personal, locale="de-DE")
    card: dict[str, Any] = (await german.say("bereitschaft"))[0].cards[0]
    good = _answers(card, 3)
    replies = await german.submit(good | {"checklist": "older"})
    assert replies[0].text.startswith("Diese Bereitschaftskarte ist veraltet")
    assert "`bereitschaft neu`" in replies[0].text
    replies = await german.submit(good | {"started": "../x"})  # refused at the edge
    assert replies[0].text.startswith("Diese Bereitschaftskarte ist veraltet")
    replies = await german.submit({"action": "log_touch", "customer": ""})
    assert replies[0].text.startswith("Diese Karte ist veraltet, daher wurde nichts geändert.")
    replies = await german.submit(good | {"r_journey_map": "7"})
    assert replies[0].text == "Bitte bewerten Sie jedes Element dieses Bereichs (1 ohne Bewertung)."
    english = texts((await personal.say("readiness new"))[0].cards[0])
    assert "Readiness 1 of 5" in english
    assert "Bereitschaft" not in english
