"""Each turn over /api/messages speaks the user's language: German for a `de-*` locale, English
for anything else, the turn-error apology included."""

from __future__ import annotations

from dataclasses import replace

import pytest

from bot.teams_bot import TeamsBot
from tests.support.conversation import Conversation

LONG = "x" * 2001


async def test_a_german_client_gets_german_and_an_english_one_english(
    personal: Conversation,
) -> None:
    german = replace(personal, conversation_id="german-chat", user_id="grete", locale="de-DE")
    [reply] = await german.say(LONG)
    assert reply.text == (
        "Diese Nachricht ist mir zu lang (2001 Zeichen; die Grenze ist 2000). Bitte kürzen Sie sie."
    )
    [reply] = await personal.say(LONG)
    assert reply.text == (
        "That message is too long for me (2001 characters; the limit is 2000). Please shorten it."
    )
    french = replace(personal, conversation_id="french-chat", user_id="amelie", locale="fr-FR")
    [reply] = await french.submit({"action": "no_such_action"})
    assert reply.text.startswith("That card is no longer active")


async def test_the_apology_for_a_failed_turn_is_german_for_a_german_user(
    personal: Conversation, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def fail(*args: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(TeamsBot, "on_message_activity", fail)
    german = replace(personal, locale="de-DE")
    [reply] = await german.say("help")
    assert reply.text.startswith("Entschuldigung, bei mir ist etwas schiefgegangen.")
