"""The account area in the turn's language (issue 18): status, history, brief, health factors,
lifecycle stage, touches and undo; German errors for bad German input; English as before."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

from engagement.brief import renewal_checkpoint
from engagement.health import assess_health
from engagement.licenses import license_line_text
from engagement.lifecycle import SOW_CONTACT_ROLE, new_customer
from engagement.models import Contact, LicenseLine, Person
from i18n import use_language
from tests.dialogs.commit.test_commit_conversation import GOAL, PERIOD
from tests.i18n.test_german_conversation import GERMAN_NAMES, User, _quick_check, english_lines
from tests.support.cards import texts
from tests.support.connector import Sent
from tests.support.conversation import Conversation
from tests.support.language import foreign_messages, leaks


def _card(sent: list[Sent]) -> dict[str, Any]:
    return next(s for s in reversed(sent) if s.cards).cards[0]


def _shown(sent: list[Sent]) -> str:
    return "\n".join([s.text or "" for s in sent] + [texts(c) for s in sent for c in s.cards])


async def _delivering(user: User, commit: str, deliver: str) -> None:
    """Contoso assessed, its statement of work agreed on both sides, one workshop delivered."""
    form = _card(await user.say(f"{commit} Contoso form"))
    goals = {f"goal1_{k}": v for k, v in GOAL.items()}
    review = _card(
        await user.press(form, "Review", workshops="azure-governance", **goals, **PERIOD)
    )
    sow = _card(await user.press(review, "Confirm"))
    await user.press(sow, "Record customer agreement", agreed_by="Carla Diaz")
    delivery = _card(await user.say(f"{deliver} Contoso"))
    await user.press(
        delivery, "Record delivery", workshop="azure-governance", on="2026-11-02", attendees="12"
    )


ACCOUNT = ("status", "brief", "health", "stage", "touches", "history")
GERMAN = {"stage": "lebenszyklus", "touches": "kontakte", "history": "verlauf", "touch": "kontakt"}
GERMAN |= {"undo": "rückgängig", **GERMAN_NAMES}


async def _account(user: User, names: dict[str, str]) -> dict[str, str]:
    """Contoso in delivery with a renewal and a touch; each account command's reply by name."""
    await _quick_check(user, names.get("quick check", "quick check"))
    await _delivering(user, names.get("commit", "commit"), names.get("deliver", "deliver"))
    await user.say(f"{names.get('renewal', 'renewal')} Contoso 2027-03-31")
    replies = {}
    replies["touch"] = _shown(await user.say(f"{names.get('touch', 'touch')} Contoso call: ok"))
    for command in ACCOUNT:
        replies[command] = _shown(await user.say(f"{names.get(command, command)} Contoso"))
    said = f"{names.get('undo', 'undo')} {names.get('touch', 'touch')} Contoso"
    replies["undo"] = _shown(await user.say(said))
    return replies


async def test_a_german_user_reads_the_account_in_german(personal: Conversation) -> None:
    user = User(replace(personal, locale="de-DE"), "de")
    replies = await _account(user, GERMAN | {"renewal": "verlängerung"})
    assert replies["touch"] == "Kontakt (Anruf) mit Contoso erfasst: ok. 3 Kontakte erfasst."
    status = replies["status"]
    assert "1, Phase „liefern“ seit 02. Nov. 2026" in status
    assert "31. März 2027 (in 149 Tagen)" in status
    assert "heute (02. Nov. 2026)" in status
    assert "vor 0 Tagen" not in status
    assert "Carla Diaz, CIO (Ansprechpartner laut Leistungsbeschreibung)" in status
    assert "Lebenszyklusphase: renew (aus dem Datensatz abgeleitet;" in status
    assert (
        "Landing zone live (KPI: 3 subscriptions under policy): offen, fällig am 31. März 2027"
        in (status)
    )
    brief = replies["brief"]
    assert "Gesprächsvorbereitung · Contoso\nStand 02. Nov. 2026\nGesprächspunkte" in brief
    assert "Verlängerung am 31. März 2027 (in 149 Tagen): Bestätigen Sie den Plan" in brief
    assert "Iteration 1, „liefern“ seit heute" in brief
    assert "02. Nov. 2026 · Termin · Ada Lovelace: Workshop durchgeführt" in brief
    assert "letzter Kontakt heute (Regel: spätestens nach 14 Tagen)" in replies["health"]
    assert "- Verlängerungen: noch keine erfasst" in replies["stage"]
    assert "Kontakte mit Contoso, neueste zuerst (3):" in replies["touches"]
    assert "1 Iteration seit 02. Nov. 2026" in replies["history"]
    assert replies["undo"].startswith("Den letzten Kontakt mit Contoso entfernt (02. Nov. 2026")
    assert leaks(list(replies.values()), foreign_messages("de")) == set()
    assert english_lines(list(replies.values())) == []


async def test_an_english_user_reads_the_account_as_before(personal: Conversation) -> None:
    user = User(personal, "en")
    replies = await _account(user, {})
    assert replies["touch"] == "Logged a call touch with Contoso: ok. 3 touches on record."
    assert "1, deliver phase since 02 Nov 2026" in replies["status"]
    assert "31 Mar 2027 (in 149 days)" in replies["status"]
    assert "today (02 Nov 2026)" in replies["status"]
    assert "0 days ago" not in replies["status"]
    assert "Carla Diaz, CIO (customer contact (statement of work))" in replies["status"]
    assert "Call brief · Contoso\nAs of 02 Nov 2026\nTalking points" in replies["brief"]
    assert "02 Nov 2026 · meeting · Ada Lovelace: workshop delivered" in replies["brief"]
    assert "last touch today (policy: every 14 days)" in replies["health"]
    assert "Touches with Contoso, newest first (3):" in replies["touches"]
    assert "1 iteration since 02 Nov 2026" in replies["history"]
    assert replies["undo"].startswith("Removed the latest touch with Contoso (02 Nov 2026, call")
    assert leaks(list(replies.values()), foreign_messages("en")) == set()


async def test_bad_input_in_german_gets_german_answers(personal: Conversation) -> None:
    user = User(replace(personal, locale="de-DE"), "de")
    await _quick_check(user, GERMAN_NAMES["quick check"])
    answers = {
        "lebenszyklus Contoso foo": "Ich verstehe „foo“ nicht. Tippen Sie `lebenszyklus <Kunde>`",
        "lebenszyklus Niemand": "Kein Kunde gefunden. Tippen Sie `lebenszyklus <Kunde>`",
        "kontakt Niemand hallo": "Tippen Sie `kontakt <Kunde> <Notiz>`",
        "rückgängig": "Tippen Sie `rückgängig lieferung <Kunde>` oder",
        "status": "Welcher Kunde? Tippen Sie `status <Kunde>`.",
        "briefing": "Welcher Kunde? Tippen Sie `briefing <Kunde>`.",
        "erfolgsplan": "Welcher Kunde? Tippen Sie `erfolgsplan <Kunde>`.",
        "bericht Contoso": "Contoso hat noch keine abgeschlossene Iteration;",
        "rückgängig lieferung Contoso": "contoso ist in der Phase „vereinbaren“, daher kann ich "
        "noch nicht eine Lieferung zurücknehmen: zuerst in der Phase „liefern“ sein.",
    }
    for said, answer in answers.items():
        assert (await user.say(said))[0].text.startswith(answer), said
    logged = (await user.say("kontakt Contoso sonstiges: Messe"))[0].text
    assert logged == "Kontakt (Sonstiges) mit Contoso erfasst: Messe. 2 Kontakte erfasst."
    await user.say("rückgängig kontakt Contoso")
    await user.say("rückgängig kontakt Contoso")  # the quick check's touch
    assert (await user.say("rückgängig kontakt Contoso"))[0].text == (
        "Keine Kontakte mit Contoso, die sich zurücknehmen ließen."
    )


NOW = datetime(2026, 11, 2, 9, 30, tzinfo=UTC)


def test_health_factors_license_lines_and_checkpoints_in_german() -> None:
    customer = new_customer("t", "contoso", "Contoso", Person(id="u", name="Ada"), NOW)
    customer.contacts = [Contact(name="Eve", role=SOW_CONTACT_ROLE)]
    with use_language("de"):
        lines = assess_health(customer, NOW).explanation
        line = LicenseLine(product="Azure", licensed=3000, active=1087, as_of=NOW.date())
        license_text = license_line_text(line)
        checkpoint = renewal_checkpoint(NOW.date() + timedelta(days=500), NOW.date()).text
    assert (
        "Lizenznutzung [Gewicht 25, fehlt]: fehlt: keine Lizenzzeilen erfasst. Als Nächstes: "
        in ("\n".join(lines))
    )
    assert "„bewerten“ seit heute (gilt nach 30 Tagen als festgefahren)" in "\n".join(lines)
    assert license_text == "Azure: 1.087 von 3.000 lizenzierten Nutzern aktiv (36 %), Risiko mittel"
    assert checkpoint == "Checkpoint Planung beginnt in 44 Tagen"
    assert customer.contacts[0].role == "customer contact (statement of work)"  # stored as code
    english = "\n".join(assess_health(customer, NOW).explanation)
    assert "assess since today (stalled after 30 days)" in english
    assert "assess for 0 days" not in english
