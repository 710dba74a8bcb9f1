"""Reminders speak the recipient's language: their choice, else their Teams client's."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from bot import reminder_delivery
from i18n import current_language
from tests.support.language import foreign_messages, leaks, shown
from tests.support.reminders import NOW, OTHER, OWNER, PERSONAL, TENANT, Rig, customer


@pytest.fixture
def languages(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The language each reminder card was rendered in."""
    rendered: list[str] = []
    render = reminder_delivery.reminder_card

    def recording(*args: Any) -> dict[str, Any]:
        rendered.append(current_language())
        return render(*args)

    monkeypatch.setattr(reminder_delivery, "reminder_card", recording)
    return rendered


@pytest.mark.parametrize(
    ("chosen", "client", "expected"),
    [
        (None, None, "en"),
        (None, "de", "de"),
        ("en", "de", "en"),
        ("de", "en", "de"),
    ],
)
async def test_the_card_is_rendered_in_the_recipients_language(
    rig: Rig, languages: list[str], chosen: str | None, client: str | None, expected: str
) -> None:
    await rig.personal_chat()
    await rig.reminders.remember_user_conversation(
        TENANT, OWNER.id, PERSONAL, is_personal=True, client_language=client
    )
    preferences = await rig.reminders.preferences(TENANT, OWNER.id)
    preferences.language = chosen
    await rig.reminders.put_preferences(preferences)
    await rig.add(customer(created=NOW - timedelta(days=15)))

    report = await rig.sweeper.sweep(NOW)

    assert (report.sent, languages) == (1, [expected])
    assert current_language() == "en"  # the sweep leaves no language behind


async def test_two_recipients_each_get_their_own_language(rig: Rig, languages: list[str]) -> None:
    await rig.personal_chat(OWNER, "a:owner")
    await rig.personal_chat(OTHER, "a:other")
    await rig.reminders.remember_user_conversation(
        TENANT, OTHER.id, "a:other", is_personal=True, client_language="de"
    )
    await rig.add(
        customer(created=NOW - timedelta(days=15)),
        customer("fabrikam", owner=OTHER, created=NOW - timedelta(days=15)),
    )

    await rig.sweeper.sweep(NOW)

    assert sorted(languages) == ["de", "en"]


async def test_a_german_recipient_reads_no_english_message_on_the_card(rig: Rig) -> None:
    await rig.personal_chat()
    await rig.reminders.remember_user_conversation(
        TENANT, OWNER.id, PERSONAL, is_personal=True, client_language="de"
    )
    await rig.add(customer(created=NOW - timedelta(days=15)))

    await rig.sweeper.sweep(NOW)

    [card] = rig.connector.messages()
    assert leaks(shown([card]), foreign_messages("de")) == set()
