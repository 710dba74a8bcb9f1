"""Every command has a German name (and the English one keeps working for everyone); the German
help card lists the German names; unknown text is answered in German with German suggestions."""

from __future__ import annotations

from dataclasses import replace

import pytest

from bot.commands import COMMANDS, parse_command
from bot.flows import commit_arguments
from i18n import _, use_language
from tests.support.cards import submit_actions, texts
from tests.support.conversation import Conversation


def test_every_command_has_a_german_name_that_its_german_usage_starts_with() -> None:
    with use_language("de"):
        wrong = {c.name: _(c.usage) for c in COMMANDS if not _(c.usage).startswith(c.german)}
    assert all(c.german for c in COMMANDS)
    assert wrong == {}


def test_no_two_commands_share_a_name() -> None:
    names = [name for command in COMMANDS for name in command.names()]
    assert len(names) == len(set(names))


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c.name)
def test_every_name_runs_its_command_in_any_case(command: object) -> None:
    for name in command.names():  # type: ignore[attr-defined]
        parsed = parse_command(f"{name.capitalize()} Contoso")
        assert parsed is not None
        assert (parsed.command, parsed.argument) == (command, "Contoso")


@pytest.fixture
def german(personal: Conversation) -> Conversation:
    return replace(personal, conversation_id="german-chat", user_id="grete", locale="de-DE")


async def test_the_german_help_card_lists_the_german_names(german: Conversation) -> None:
    [reply] = await german.say("hilfe")
    shown = texts(reply.cards[0])
    for usage in ("schnellcheck [Kunde]", "bewerten <Kunde>", "erinnerungen", "abbrechen"):
        assert usage in shown
    assert "Was der Bot kann, die vier Phasen und alle Befehle" in shown
    [reply] = await german.say("help")  # the English name works for a German user too
    assert "schnellcheck [Kunde]" in texts(reply.cards[0])


async def test_german_names_run_their_commands(german: Conversation) -> None:
    [reply] = await german.say("Kunden")
    assert reply.text.startswith("Noch keine Kunden. Tippen Sie `bewerten <Name>`")
    [reply] = await german.say("abbrechen")
    assert reply.text == "Es gibt nichts abzubrechen."


async def test_unknown_text_gets_german_suggestions(german: Conversation) -> None:
    [reply] = await german.say("kundne")
    assert reply.text == "Entschuldigung, „kundne“ kenne ich nicht. Meinten Sie `kunden`?"
    assert [title for title, _ in submit_actions(reply.cards[0])] == ["kunden", "Hilfe"]
    [reply] = await german.say("wie ist das wetter")
    assert reply.text == (
        "Entschuldigung, „wie ist das wetter“ kenne ich nicht. "
        "Tippen Sie `hilfe`, um zu sehen, was ich kann."
    )


@pytest.mark.parametrize(
    ("argument", "expected"),
    [
        ("Contoso form", ("Contoso", True)),
        ("Contoso Formular", ("Contoso", True)),
        ("Contoso AG formular", ("Contoso AG", True)),
        ("form", ("", True)),
        ("Contoso", ("Contoso", False)),
        ("Formwerk GmbH", ("Formwerk GmbH", False)),
    ],
)
def test_the_commit_form_is_asked_for_in_either_language(
    argument: str, expected: tuple[str, bool]
) -> None:
    assert commit_arguments(argument) == expected
