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


async def test_the_chosen_language_wins_over_the_client_and_is_remembered(
    personal: Conversation,
) -> None:
    [reply] = await personal.say("sprache de")
    assert reply.text.startswith("Ab jetzt antworte ich Ihnen auf Deutsch.")
    [reply] = await personal.say(LONG)
    assert reply.text.startswith("Diese Nachricht ist mir zu lang")
    # the same user in another chat, and with a German client choosing English
    group = replace(personal, conversation_id="19:team@thread.v2", conversation_type="groupChat")
    [reply] = await group.say(LONG, mention=True)
    assert reply.text.startswith("Diese Nachricht ist mir zu lang")
    german_client = replace(personal, locale="de-DE")
    [reply] = await german_client.say("language en")
    assert reply.text.startswith("From now on I answer you in English.")
    [reply] = await german_client.say(LONG)
    assert reply.text.startswith("That message is too long")
    [reply] = await german_client.say("language auto")
    assert reply.text == "Ab jetzt folge ich Ihrer Teams-Sprache."
    [reply] = await german_client.say("sprache klingonisch")
    assert reply.text.startswith("Ich spreche Deutsch und Englisch")
