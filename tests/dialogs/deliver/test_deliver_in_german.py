"""Deliver and ensure in German (issue 18): the delivery form and its errors, the ensure form,
the closing messages, the proof of execution card and the report; English stays as it was."""

from __future__ import annotations

from dataclasses import replace

from tests.i18n.test_german_conversation import User
from tests.support.cards import texts
from tests.support.conversation import Conversation
from tests.support.correctness import (
    all_text,
    card_defaults,
    committed,
    delivered,
    last_card,
    quick_check,
)

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


async def test_deliver_and_ensure_speak_german(personal: Conversation) -> None:
    await committed(personal, "Contoso")
    user = _german(personal)
    hint = all_text(await user.say("sicherstellen Contoso"))
    assert "Für Contoso ist noch nichts geliefert" in hint
    assert "`liefern Contoso`" in hint
    form = last_card(await user.say("liefern Contoso"))
    shown = texts(form)
    assert "Liefern · Contoso" in shown
    assert "Bisher geliefert: 0 von 1 vereinbarten Workshops." in shown
    assert "Anzahl der Teilnehmenden" in shown
    assert "Link zu den Unterlagen (optional)" in shown
    inputs = {**card_defaults(form), "on": "2. November 2026", "attendees": "1"}
    recorded = texts(last_card(await user.press(form, "Record delivery", **inputs)))
    assert "Erfasst: " in recorded
    assert "am 02. Nov. 2026, 1 teilnehmende Person." in recorded
    assert "1 von 1 vereinbarten Workshops geliefert." in recorded
    assert "Sicherstellen beginnen" in recorded
    moved = await user.say("sicherstellen Contoso")
    assert "Contoso wechselt in die Phase „sicherstellen“" in all_text(moved)
    review = texts(last_card(moved))
    assert "Sicherstellen · Contoso · Iteration 1" in review
    assert "Nutzen im Verhältnis zum Aufwand" in review
    assert "Iteration abschließen" in review
    closing = await _closed(user)
    assert "Iteration 1 von Contoso ist abgeschlossen." in closing
    assert "übernimmt 1 nächsten Schritt" in closing
    assert "`bewerten Contoso` oder `schnellcheck Contoso`" in closing


async def test_bad_input_in_german_gets_german_errors(personal: Conversation) -> None:
    await committed(personal, "Contoso")
    user = _german(personal)
    form = last_card(await user.say("liefern Contoso"))
    bad = {"workshop": "ads", "on": "1. Mai 2027", "attendees": "viele", "materials_url": "ftp://x"}
    errors = all_text(await user.press(form, "Record delivery", **bad))
    assert "Wählen Sie einen der vereinbarten Workshops." in errors
    assert "Das Lieferdatum liegt in der Zukunft" in errors
    assert "muss eine ganze Zahl sein" in errors
    assert "Der Link muss mit https:// oder http:// beginnen." in errors
    await delivered(personal, "Contoso")
    review = last_card(await user.say("sicherstellen Contoso"))
    half = {**card_defaults(review), "status_g1": "achieved", "nps": "9", "next_steps": ""}
    errors = all_text(await user.press(review, "Close the iteration", **half))
    assert "Beantworten Sie alle drei Zufriedenheitsfragen und den NPS" in errors
    assert "mindestens einen nächsten Schritt" in errors


async def test_a_german_phase_hint_names_the_german_command(personal: Conversation) -> None:
    await quick_check(personal, "Contoso", 1)
    user = _german(personal)
    hint = all_text(await user.say("liefern Contoso"))
    assert "Contoso ist in der Phase „vereinbaren“ von Iteration 1" in hint
    assert "kann ich noch nicht eine Lieferung erfassen" in hint
    assert "(das braucht die Phase „liefern“). Als Nächstes: `vereinbaren Contoso`." in hint
    hint = all_text(await user.say("sicherstellen Contoso"))
    assert "kann ich noch nicht die Ziele prüfen" in hint
    english = all_text(await personal.say("deliver Contoso"))
    assert english == (
        "Contoso is in the commit phase of iteration 1, so I can't record a delivery yet (that "
        "needs the deliver phase). Next: `commit Contoso`."
    )


async def test_the_statement_of_work_document_in_german(personal: Conversation) -> None:
    await committed(personal, "Contoso")
    german = all_text(await _german(personal).say("leistungsbeschreibung Contoso"))
    assert "**Leistungsbeschreibung: Contoso**" in german
    assert "1. Dezember 2026 bis 31. Januar 2027" in german
    assert "(verantwortlich: Partner, fällig 31. März 2027)" in german
    english = all_text(await personal.say("sow Contoso"))
    assert "2026-12-01 to 2027-01-31" in english
    assert "(owner: partner, due 2027-03-31)" in english


async def test_moving_on_with_an_undelivered_workshop_in_german(personal: Conversation) -> None:
    await committed(personal, "Contoso", workshops="1, 2")
    await delivered(personal, "Contoso")
    user = _german(personal)
    ask = last_card(await user.say("sicherstellen Contoso"))
    shown = texts(ask)
    assert "Nicht alles ist geliefert · Contoso" in shown
    assert "1 vereinbarter Workshop hat keine erfasste Lieferung: Azure Governance" in shown
    form = last_card(await user.press(ask, "Move to ensure anyway"))
    again = all_text(await user.press(ask, "Move to ensure anyway"))
    assert "Diese Karte stammt aus einem früheren Stand von Contoso" in again
    assert "Phase „sicherstellen“" in again
    low = {
        **REVIEW,
        "status_g1": "partially",
        "csat_overall": "2",
        "csat_value": "2",
        "csat_team": "2",
    }
    await user.press(form, "Close the iteration", **card_defaults(form), **{**low, "nps": "5"})
    report = all_text(await user.say("bericht Contoso"))
    assert "- CSAT (1-5): 2,0" in report
    assert "): teilweise; Nachweis: Policy report" in report
    assert "**Nachfassen:** NPS 5 ist ein Kritiker-Wert (0-6); CSAT 2,0 liegt unter 3" in report
