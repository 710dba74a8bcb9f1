"""Answers typed in German are understood over /api/messages: yes/no, parts, skip, confirm,
dates (`31. März 2027`, `in 3 Wochen`, `morgen`) and counts grouped the German way."""

from __future__ import annotations

import pytest
from aiohttp.test_utils import TestClient

from tests.dialogs.commit.test_commit_conversation import _card, _quick_checked
from tests.support.cards import texts
from tests.support.connector import FakeConnector
from tests.support.conversation import Conversation


@pytest.fixture
def german(client: TestClient, connector: FakeConnector) -> Conversation:
    """A personal chat of a user whose Teams client is German."""
    return Conversation(client, connector, "a:personal-greta", "greta", "Greta", locale="de-DE")


async def test_a_statement_of_work_typed_in_german(
    personal: Conversation, german: Conversation
) -> None:
    await _quick_checked(personal)  # by an English colleague
    personal = german
    await personal.say("commit Contoso")
    replies = await personal.say("1")
    assert "Ziel 1" in texts(_card(replies))
    replies = await personal.say("Landezone live | 3 Abos unter Policy | Partner | 31. März 2027")
    replies = await personal.say("ja")
    assert "Ziel 2" in texts(_card(replies))
    await personal.say("Kostenbasis | monatlicher Kostenbericht | Kunde | in 3 Wochen")
    replies = await personal.say("nein")
    assert "Erfolgsfaktoren" in texts(_card(replies))
    replies = await personal.say("Überspringen")
    assert "Termine und Kontakt" in texts(_card(replies))
    replies = await personal.say("nächsten Montag | morgen | Carla Diaz")
    assert "muss nach dem Beginn" in replies[0].text  # explained, asked again
    replies = await personal.say("morgen | nächsten Montag | Carla Diaz")
    review = texts(_card(replies))
    assert "03. Nov. 2026 bis 09. Nov. 2026" in review  # today is Monday 2 Nov 2026
    assert "Verantwortlich: Partner · fällig 31. März 2027" in review
    assert "Verantwortlich: Kunde · fällig 23. Nov. 2026" in review
    replies = await personal.say("bearbeiten ziele")
    assert "Ziel 1" in texts(_card(replies))


async def test_licenses_and_dates_typed_in_german_commands(
    personal: Conversation, german: Conversation
) -> None:
    await _quick_checked(personal)
    personal = german
    replies = await personal.say("licenses Contoso 1.200 800")
    assert "1.200 lizenziert, 800 aktiv" in replies[0].text
    replies = await personal.say("licenses Contoso 1,200 800")  # a decimal comma: refused
    assert "keine ganze Zahl" in replies[0].text
    replies = await personal.say("renewal Contoso 30. Juni 2027")
    assert "30. Juni 2027" in replies[0].text
    replies = await personal.say("pause reminders bis in 2 Wochen")
    assert "16. Nov. 2026" in replies[0].text
    replies = await personal.say("digest an")
    assert "Tagesübersicht an" in replies[0].text
