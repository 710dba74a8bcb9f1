"""Deliver and ensure in German (issue 18): the delivery form and its errors, the ensure form,
the closing messages, the proof of execution card and the report; English stays as it was."""

from __future__ import annotations

from dataclasses import replace

from tests.i18n.test_german_conversation import User
from tests.support.cards import texts
from tests.support.conversation import Conversation
from tests.support.correctness import all_text, card_defaults, committed, delivered, last_card

REVIEW = {
    "status_g1": "achieved",
    "evidence_g1": "Policy report",
    "csat_overall": "5",
    "csat_value": "4",
    "csat_team": "5",
    "nps": "9",
    "next_steps": "Pilot AKS",
}


def _german(conversation: Conversation) -> User:
    return User(replace(conversation, locale="de-DE"), "de")


async def _closed(user: User) -> str:
    """Ensure, review and close the delivered iteration; the text of every reply."""
    form = last_card(await user.say("sicherstellen Contoso"))
    replies = await user.press(form, "Close the iteration", **card_defaults(form), **REVIEW)
    return "\n".join([all_text(replies), *(texts(card) for r in replies for card in r.cards)])


async def test_the_proof_of_execution_and_the_report_in_german(personal: Conversation) -> None:
    await committed(personal, "Contoso")
    await delivered(personal, "Contoso")
    user = _german(personal)
    shown = await _closed(user)
    assert "Leistungsnachweis · Contoso" in shown
    assert "Zielerreichung" in shown
    assert "100\u00a0%" in shown
    assert "Ziele und Ergebnisse" in shown
    assert "erreicht (Policy report)" in shown
    assert "9 (Promoter)" in shown
    assert "am 02. Nov. 2026 (9 Teilnehmende)" in shown
    assert "Erfolgsplan in der Phase „sicherstellen“" in shown
    report = all_text(await user.say("bericht Contoso"))
    assert "**Leistungsnachweis: Contoso, Iteration 1**" in report
    assert "am 2. November 2026, 9 Teilnehmende" in report
    assert "- NPS: 9 (Promoter)" in report
    assert ": erreicht; Nachweis: Policy report" in report


async def test_the_proof_of_execution_in_english_is_unchanged(personal: Conversation) -> None:
    await committed(personal, "Contoso")
    await delivered(personal, "Contoso")
    form = last_card(await personal.say("ensure Contoso"))
    user = User(personal, "en")
    replies = await user.press(form, "Close the iteration", **card_defaults(form), **REVIEW)
    card = texts(last_card(replies))
    assert "Proof of execution · Contoso" in card
    assert "100%" in card
    assert "achieved (Policy report)" in card
    assert "9 (promoter)" in card
    assert "on 02 Nov 2026 (9 attendees)" in card
    report = all_text(await personal.say("report Contoso"))
    assert "on 2026-11-02, 9 attendees" in report
    assert "- NPS: 9 (promoter)" in report


async def test_a_german_detractor_follow_up_reads_german(personal: Conversation) -> None:
    await committed(personal, "Contoso")
    await delivered(personal, "Contoso")
    user = _german(personal)
    form = last_card(await user.say("sicherstellen Contoso"))
    low = {**REVIEW, "csat_overall": "2", "csat_value": "2", "csat_team": "3", "nps": "3"}
    replies = await user.press(form, "Close the iteration", **card_defaults(form), **low)
    card = texts(last_card(replies))
    assert "Beim Kunden nachfassen" in card
    assert "NPS 3 ist ein Kritiker-Wert (0-6); CSAT 2,3 liegt unter 3" in card
