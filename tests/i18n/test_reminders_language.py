"""Reminders in the user's language (issue 18): every kind of reminder on its card, the reminder
commands' replies and errors, the buttons' replies and a proactive card for a German recipient;
an English user reads the same English as before."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from cards.reminders import UpcomingView, reminder_digest_card, reminder_list_card
from dialogs.common.messages import phase_name
from dialogs.reminders.reminder_actions import handle_reminder_action
from dialogs.reminders.reminder_commands import ReminderServices
from dialogs.reminders.reminder_texts import follow_up_line, reminder_view
from engagement.clock import FixedClock
from engagement.models import Phase
from engagement.reminder_index import SchedulingCustomerRepository
from engagement.reminder_records import DeliveryRecord, DeliveryState
from engagement.reminders import Reminder, ReminderKind, due_reminders
from i18n import use_language
from store import open_store
from store.reminders import open_reminder_store
from tests.i18n.test_german_conversation import User, _quick_check, english_lines
from tests.support.cards import runs, texts
from tests.support.conversation import Conversation
from tests.support.language import foreign_messages, leaks, shown
from tests.support.reminders import (
    ANY_TIME,
    NOW,
    OWNER,
    PERSONAL,
    TENANT,
    Rig,
    click,
    customer,
)

TODAY = NOW.date()  # Monday 2 November 2026


def _reminder(kind: ReminderKind, due_on: date, **facts: object) -> Reminder:
    return Reminder(
        tenant_id=TENANT,
        customer_id="contoso",
        customer_name="Contoso",
        owner=OWNER,
        kind=kind,
        subject=kind.value,
        due_on=due_on,
        due_at=datetime.combine(due_on, datetime.min.time(), tzinfo=NOW.tzinfo),
        **facts,  # type: ignore[arg-type]
    )


EVERY_KIND = [
    _reminder(ReminderKind.CHECK_IN, TODAY, about="touched", since=TODAY - timedelta(days=14)),
    _reminder(ReminderKind.CHECK_IN, TODAY, about="added", since=TODAY - timedelta(days=1)),
    _reminder(ReminderKind.RENEWAL, TODAY, target=TODAY + timedelta(days=30), offset_days=30),
    _reminder(ReminderKind.RENEWAL, TODAY, target=TODAY, offset_days=1),
    _reminder(ReminderKind.GOAL_DUE, TODAY, about="Pilot live", target=TODAY - timedelta(days=3)),
    _reminder(ReminderKind.GOAL_DUE, TODAY, about="Pilot live", target=TODAY),
    _reminder(ReminderKind.PHASE_STALLED, TODAY, about="assess", since=TODAY - timedelta(days=30)),
    _reminder(ReminderKind.ENSURE_FOLLOW_UP, TODAY, about="w1", since=TODAY - timedelta(days=7)),
    _reminder(
        ReminderKind.DETRACTOR_FOLLOW_UP,
        TODAY,
        about="NPS 4, CSAT 2.0",
        since=TODAY - timedelta(days=1),
        target=TODAY + timedelta(days=1),
    ),
    _reminder(
        ReminderKind.RENEWAL_EXECUTION, TODAY, target=TODAY + timedelta(days=150), offset_days=183
    ),
]


def _views(language: str) -> list[tuple[str, str, str]]:
    with use_language(language):
        views = [reminder_view(r, NOW, ANY_TIME.zone(None)) for r in EVERY_KIND]
    return [(view.title, view.why, view.due) for view in views]


def test_every_kind_of_reminder_reads_german() -> None:
    views = _views("de")
    assert [title for title, _why, _due in views] == [
        "Bei Contoso melden",
        "Bei Contoso melden",
        "Contoso verlängert in 30 Tagen",
        "Contoso verlängert heute",
        "Ziel überfällig: Pilot live",
        "Ziel fällig: Pilot live",
        "Contoso steckt in der Phase „bewerten“ fest",
        "Bei Contoso zur Lieferung nachfassen",
        "Contoso anrufen: ein unzufriedener Kunde (NPS 4, CSAT 2,0)",
        "Verlängerungsumsetzung: Contoso (verlängert am Do., 1. Apr. 2027)",
    ]
    whys = [why for _title, why, _due in views]
    assert whys[0].startswith("14 Tage seit dem letzten Kontakt (Mo., 19. Okt. 2026); Partner")
    assert whys[1].startswith("1 Tag seit der Anlage des Kunden (So., 1. Nov. 2026)")
    assert whys[4].startswith("Das Ziel war am Fr., 30. Okt. 2026 fällig (vor 3 Tagen):")
    assert whys[6].startswith("Seit 30 Tagen in der Phase „bewerten“ (seit Sa., 3. Okt. 2026)")
    assert [due for _title, _why, due in views][4:6] == [
        "Fr., 30. Okt. 2026 (vor 3 Tagen)",
        "heute (Mo., 2. Nov. 2026)",
    ]
    seen = [text for view in views for text in view]
    assert english_lines(seen) == []
    assert leaks(seen, foreign_messages("de")) == set()


@pytest.mark.parametrize("phase", list(Phase))
def test_a_stalled_reminder_names_the_phase_as_status_does_in_german(phase: Phase) -> None:
    stalled = _reminder(ReminderKind.PHASE_STALLED, TODAY, about=phase.value, since=TODAY)
    with use_language("de"):
        view = reminder_view(stalled, NOW, ANY_TIME.zone(None))
        assert f"Phase „{phase_name(phase)}“" in view.title
        assert f"Phase „{phase_name(phase)}“" in view.why


def test_every_kind_of_reminder_reads_english_as_before() -> None:
    views = _views("en")
    assert views[0][0] == "Check in with Contoso"
    assert views[0][1] == (
        "14 days since the last touch (Mon 19 Oct 2026); partners touch each customer at least "
        "twice a month."
    )
    assert views[1][1].startswith("1 day since the customer was added (Sun 1 Nov 2026)")
    assert views[6][:2] == (
        "Contoso is stuck in the Assess phase",
        "In the Assess phase for 30 days (since Sat 3 Oct 2026): move it on, or note what blocks "
        "it.",
    )
    assert views[8][0] == "Call Contoso: an unhappy customer (NPS 4, CSAT 2.0)"
    assert views[4][2] == "Fri 30 Oct 2026 (3 days ago)"
    assert leaks([text for view in views for text in view], foreign_messages("en")) == set()


def test_the_call_briefs_follow_up_lines() -> None:
    later = _reminder(ReminderKind.CHECK_IN, TODAY + timedelta(days=14), since=TODAY)
    lines = {}
    for language in ("en", "de"):
        with use_language(language):
            lines[language] = [follow_up_line(r, TODAY) for r in (EVERY_KIND[0], later)]
    assert lines == {
        "en": [
            "Check in with Contoso (due 02 Nov 2026)",
            "Check in with Contoso (from 16 Nov 2026)",
        ],
        "de": [
            "Bei Contoso melden (fällig 02. Nov. 2026)",
            "Bei Contoso melden (ab 16. Nov. 2026)",
        ],
    }


def test_digest_and_list_cards_count_in_german() -> None:
    with use_language("de"):
        views = [reminder_view(EVERY_KIND[0], NOW, ANY_TIME.zone(None))] * 12
        digest = runs(reminder_digest_card(views))
        one = runs(reminder_digest_card(views[:1]))
        rows = [UpcomingView("jetzt fällig", "Contoso", "Titel", "Grund")] * 31
        listed = runs(reminder_list_card("Erinnerungen", rows, ""))
    assert digest[0] == "12 Erinnerungen"
    assert digest[-1] == "… und 2 weitere: Tippen Sie erinnerungen, um alle zu sehen"
    assert one[0] == "1 Erinnerung"
    assert listed[-1] == "… und 1 weitere"


# --- the commands, over /api/messages -----------------------------------------------------

COMMANDS = {
    "de": [
        "verlängerung Contoso 31.12.2027",
        "lizenzen Contoso 500 320",
        "lizenzen Contoso 10 12",
        "erinnerungen",
        "erinnerungen pausieren bis 30.11.2026",
        "erinnerungen",
        "erinnerungen fortsetzen",
        "tagesübersicht an",
        "tagesübersicht aus",
        "verlängerung Contoso erledigt",
        "verlängerung Contoso 2027-04-01",
        "verlängerung Contoso verloren Preis",
        "verlängerung Contoso keine",
    ],
    "en": [
        "renewal Contoso 31.12.2027",
        "licenses Contoso 500 320",
        "licenses Contoso 10 12",
        "reminders",
        "pause reminders until 30.11.2026",
        "reminders",
        "resume reminders",
        "digest on",
        "digest off",
        "renewal Contoso done",
        "renewal Contoso 2027-04-01",
        "renewal Contoso lost price",
        "renewal Contoso none",
    ],
}


@pytest.mark.parametrize("language", ["de", "en"])
async def test_the_reminder_commands_speak_the_users_language(
    personal: Conversation, language: str
) -> None:
    user = User(replace(personal, locale=f"{language}-{language.upper()}"), language)
    await _quick_check(user, "schnellcheck" if language == "de" else "quick check")
    user.seen = []
    for line in COMMANDS[language]:
        await user.say(line)
    assert leaks(user.seen, foreign_messages(language)) == set()
    if language == "de":
        assert english_lines(user.seen) == []
        assert user.seen[0] == (
            "Verlängerung von Contoso auf Fr., 31. Dez. 2027 gesetzt. Die verantwortliche Person "
            "wird 90, 60, 30 Tage vorher erinnert. Die nächste kommt am Sa., 2. Okt. 2027."
        )
        assert "(64\u00a0% in Nutzung), Stand Mo., 2. Nov. 2026." in user.seen[1]
        assert "Erinnerungen für Ihre Kunden, nächste 30 Tage" in "\n".join(user.seen)
    else:
        assert user.seen[0] == (
            "Renewal of Contoso set to Fri 31 Dec 2027. The owner is reminded 90, 60, 30 days "
            "ahead. The next one comes on Sat 2 Oct 2027."
        )
        assert "(64% in use), as of Mon 2 Nov 2026." in user.seen[1]


@pytest.mark.parametrize(
    ("line", "german"),
    [
        ("verlängerung Contoso", "Nennen Sie den Kunden und das Datum, z. B. `verlängerung"),
        ("verlängerung Contoso 01.01.2020", "Mi., 1. Jan. 2020 liegt in der Vergangenheit."),
        ("verlängerung Contoso 01.01.2040", "So., 1. Jan. 2040 liegt mehr als 10 Jahre in der"),
        ("verlängerung Fabrikam 31.12.2027", "Ich kenne keinen Kunden „Fabrikam“."),
        ("verlängerung Contoso verloren", "Warum ging sie verloren? Nennen Sie den Grund"),
        ("verlängerung Contoso erledigt", "Contoso hat kein Verlängerungsdatum"),
        ("lizenzen Contoso zehn 5", "„zehn“ ist keine ganze Zahl. Nennen Sie den Kunden"),
        ("lizenzen Contoso -1 5", "Lizenzzahlen können nicht negativ sein."),
        ("lizenzen Contoso 99999999 5", "Lizenzzahlen über 10.000.000 werden nicht"),
        ("erinnerungen pausieren", "Bis wann? Z. B. `erinnerungen pausieren bis 31.12.2026`"),
        ("erinnerungen pausieren bis 02.11.2026", "Bitte nennen Sie ein Datum nach dem"),
        ("erinnerungen pausieren bis 01.01.2030", "Erinnerungen lassen sich höchstens ein Jahr"),
        ("erinnerungen fortsetzen", "Die Erinnerungen sind nicht pausiert."),
        ("tagesübersicht vielleicht", "Tippen Sie `tagesübersicht an`"),
    ],
)
async def test_bad_reminder_input_in_german_gets_a_german_answer(
    personal: Conversation, line: str, german: str
) -> None:
    user = User(replace(personal, locale="de-DE"), "de")
    await _quick_check(user, "schnellcheck")
    [reply] = await user.say(line)
    assert (reply.text or "").startswith(german)


# --- the buttons and the proactive card -----------------------------------------------------


@pytest.fixture
async def services(tmp_path: Path) -> AsyncIterator[ReminderServices]:
    with open_store(tmp_path / "data") as data:
        reminders = open_reminder_store(tmp_path / "data" / "reminders")
        clock = FixedClock(NOW)
        customers = SchedulingCustomerRepository(data.customers, reminders, ANY_TIME, clock)
        yield ReminderServices(customers, reminders, ANY_TIME, clock, data.summaries)


async def test_the_buttons_answer_in_german(services: ReminderServices) -> None:
    made = customer(created=NOW - timedelta(days=20))
    await services.customers.add(made)
    (due, *_rest) = due_reminders(made, NOW, ANY_TIME)
    record = DeliveryRecord.for_reminder(due, NOW)
    record.state = DeliveryState.SENT
    await services.reminders.put_records([record])
    ids = {"customer": "contoso", "reminder": due.id}
    with use_language("de"):
        snoozed = await handle_reminder_action(
            click({"action": "snooze", **ids, "days": 7}), TENANT, OWNER, NOW, services
        )
        touched = await handle_reminder_action(
            click({"action": "log_touch", **ids}), TENANT, OWNER, NOW, services
        )
        again = await handle_reminder_action(
            click({"action": "reminder_done", **ids}), TENANT, OWNER, NOW, services
        )
        gone = await handle_reminder_action(
            click({"action": "reminder_done", "customer": "gone", "reminder": "r"}),
            TENANT,
            OWNER,
            NOW,
            services,
        )
    assert snoozed == "Zurückgestellt: Ich erinnere Sie am Mo., 9. Nov. 2026 wieder an Contoso."
    assert touched == (
        "Kontakt mit Contoso erfasst. Die nächste Check-in-Erinnerung kommt am Mo., 16. Nov. "
        "2026, wenn Sie sich nicht vorher wieder melden."
    )
    assert again == "Diese Erinnerung zu Contoso ist bereits erledigt; es wurde nichts geändert."
    assert gone == "Diesen Kunden finde ich nicht mehr, daher wurde nichts geändert."


async def test_a_german_recipient_gets_the_proactive_card_in_german(rig: Rig) -> None:
    await rig.personal_chat()
    await rig.reminders.remember_user_conversation(
        TENANT, OWNER.id, PERSONAL, is_personal=True, client_language="de"
    )
    await rig.add(customer(created=NOW - timedelta(days=15)))

    await rig.sweeper.sweep(NOW)

    [card] = rig.connector.messages()
    seen = shown([card])
    assert english_lines(seen) == []
    text = texts(card.cards[0])
    assert "Bei Contoso melden" in text
    assert "15 Tage seit der Anlage des Kunden (So., 18. Okt. 2026)" in text
    assert "Kontakt erfassen" in text
