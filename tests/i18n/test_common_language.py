"""Smaller texts a German user met in English (issue 18): the customer list's phase, the result
card's dimension scores (`2,0`), the statement of work form's KPI fields; English as before."""

from __future__ import annotations

from dataclasses import replace

from tests.i18n.test_german_conversation import User, _quick_check
from tests.support.cards import texts
from tests.support.conversation import Conversation
from tests.support.correctness import all_text, last_card, quick_check


async def test_a_german_user_reads_the_list_scores_and_kpi_fields_in_german(
    personal: Conversation,
) -> None:
    german = replace(personal, locale="de-DE")
    user = User(german, "de")
    await _quick_check(user, "schnellcheck")
    result = user.seen[-1]
    assert "Azure-Erfahrung\n2,0\n" in result
    assert "2.0" not in result
    listing = all_text(await german.say("kunden"))
    assert "- **Contoso**: Iteration 1, Phase „vereinbaren“, Cloud is an option" in listing
    form = texts(last_card(await german.say("vereinbaren Contoso formular")))
    assert "Ausgangswert der KPI, heute (optional)" in form
    assert "Zielwert der KPI (optional)" in form
    assert "KPI baseline" not in form


async def test_an_english_user_sees_them_as_before(personal: Conversation) -> None:
    result = texts(last_card(await quick_check(personal, "Contoso", 1)))
    assert "Azure experience\n2.0\n" in result
    listing = all_text(await personal.say("customers"))
    assert "- **Contoso**: iteration 1, commit phase, Cloud is an option" in listing
    form = texts(last_card(await personal.say("commit Contoso form")))
    assert "KPI baseline, today (optional)" in form


async def test_a_flow_waiting_when_the_language_changes_asks_again_in_the_new_one(
    personal: Conversation,
) -> None:
    card = texts(last_card(await personal.say("assess Newco")))
    assert "New customer: Newco" in card
    replies = await personal.say("sprache de")
    assert replies[0].text.startswith("Ab jetzt antworte ich Ihnen auf Deutsch.")
    assert "Neuer Kunde: Newco" in texts(last_card(replies))
    assert "New customer" not in texts(last_card(replies))


async def test_the_goal_form_explains_the_one_line_goal_in_german(personal: Conversation) -> None:
    german = replace(personal, locale="de-DE")
    await _quick_check(User(german, "de"), "schnellcheck")
    await german.say("vereinbaren Contoso")
    form = texts(last_card(await german.say("1")))
    assert "Ein Ziel braucht ein messbares Erfolgskriterium" in form
    assert "Titel | KPI | Kunde oder Partner | Zieldatum (| Ausgangswert | Zielwert)" in form


async def test_the_help_card_names_the_phases_like_their_commands(personal: Conversation) -> None:
    german = texts(last_card(await replace(personal, locale="de-DE").say("hilfe")))
    phases = german.split("Phasen\n", 1)[1].split("Befehle\n", 1)[0]
    assert [line for line in phases.split("\n")[::3] if line] == [
        "bewerten",
        "vereinbaren",
        "liefern",
        "sicherstellen",
    ]
    english = texts(last_card(await personal.say("help")))
    assert "Phases\nassess\n · \n" in english


async def test_a_stale_success_plan_card_is_answered_in_german(personal: Conversation) -> None:
    german = replace(personal, locale="de-DE")
    replies = await german.submit({"action": "save_plan", "customer": "nobody", "iteration": 1})
    assert all_text(replies).startswith("Diese Erfolgsplan-Karte ist veraltet")
