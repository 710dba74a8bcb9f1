"""A quick check beside a full assessment, in German (issue 18): the result card says where the
level comes from, using it says so, and the count of assessments kept beside it is a proper
plural in both languages (no "assessment(s)")."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from tests.support.cards import choice_sets, submit_actions, submit_data, texts
from tests.support.conversation import Conversation
from tests.support.correctness import all_text, last_card, press


async def _full_assessment(chat: Conversation, command: str, yes: str, option: int) -> None:
    card = last_card(await chat.say(command))
    card = last_card(await chat.submit(submit_data(card, yes)))
    while any(data.get("action") == "choose" for _, data in submit_actions(card)):
        buttons = [data for _, data in submit_actions(card) if data.get("action") == "choose"]
        card = last_card(await chat.submit(buttons[option]))


async def _quick_check(chat: Conversation, command: str, show: str, option: int) -> dict[str, Any]:
    card = last_card(await chat.say(command))
    value = dict(submit_data(card, show))
    for choice_set in choice_sets(card):
        value[choice_set["id"]] = choice_set["choices"][option]["value"]
    return last_card(await chat.submit(value))


async def test_a_quick_check_beside_the_full_assessment_in_german(personal: Conversation) -> None:
    german = replace(personal, locale="de-DE")
    await _full_assessment(german, "bewerten Contoso", "Ja", 3)
    result = await _quick_check(german, "schnellcheck Contoso", "Reifegrad anzeigen", 0)
    shown = texts(result)
    assert "Nicht übernommen" in shown
    assert "Not applied" not in shown
    replies = await press(german, result, "Reifegrad dieses Schnellchecks übernehmen")
    assert (
        "Der Reifegrad von Contoso ist jetzt Cloud affine, aus diesem Schnellcheck; die "
        "vollständige Bewertung bleibt daneben erhalten." in all_text(replies)
    )
    assert (
        "Der Reifegrad von Iteration 1 stammt aus diesem Schnellcheck; 1 frühere Bewertung "
        "dieser Iteration wird daneben aufbewahrt." in texts(last_card(replies))
    )


async def test_one_assessment_kept_beside_is_singular_in_english(personal: Conversation) -> None:
    await _full_assessment(personal, "assess Contoso", "Yes", 3)
    result = await _quick_check(personal, "quick check Contoso", "Show level", 0)
    replies = await press(personal, result, "Use this quick check's level")
    assert (
        "The level of iteration 1 comes from this quick check; 1 earlier assessment of this "
        "iteration is kept beside it." in texts(last_card(replies))
    )
