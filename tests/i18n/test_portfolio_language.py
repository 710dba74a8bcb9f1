"""`portfolio`, `kpis` and `health` in the turn's language: German filters understood, German
cards and German errors for a German user; English exactly as before for an English one."""

from __future__ import annotations

from dataclasses import replace

import pytest

from dialogs.portfolio.portfolio_commands import health_command, kpis_command, portfolio_command
from i18n import use_language
from tests.dialogs.portfolio.test_portfolio_commands import both, repository, texts
from tests.i18n.test_german_conversation import (
    GERMAN_NAMES,
    User,
    _iteration,
    _quick_check,
    english_lines,
)
from tests.support.conversation import Conversation
from tests.support.portfolio import NOW, TENANT


async def test_a_german_portfolio_reads_german() -> None:
    with use_language("de"):
        card = await portfolio_command("meine", TENANT, "aad-ada", NOW, repository())
    shown = texts(card)
    assert "Gefiltert: meine (2 von 3)" in shown
    assert "Kennzahlen · GJ2027 (Juli 2026 \u2013 Juni 2027)" in shown
    assert "Verlängerung in 120 Tagen (02. März 2027)" in shown
    assert "noch kein Kontakt" in shown
    assert any(t.startswith("Iteration 1 · bewerten · ") for t in shown)
    assert any(t.startswith("Rot ") or t.startswith("Grün ") for t in shown)  # the badge
    assert "Seite 1 von 1 · 2 Kunden" in shown
    assert not {"All customers", "no touch yet", "Customers", "Phases"} & set(shown)


async def test_the_english_portfolio_is_unchanged() -> None:
    shown = texts(await portfolio_command("mine", TENANT, "aad-ada", NOW, repository()))
    assert "Filtered: mine (2 of 3)" in shown
    assert "Key figures · FY2027 (Jul 2026 - Jun 2027)" in shown
    assert "renews in 120 days (02 Mar 2027)" in shown
    assert "no touch yet" in shown


@pytest.mark.parametrize(
    ("argument", "expected"),
    [
        ("verlängerungen 30 tage", "Gefiltert: Verlängerung innerhalb von 30 Tagen (1 von 3)"),
        ("reifegrad 9", "Den Reifegrad „9“ kenne ich nicht"),
        ("seitwärts", "Den Filter „seitwärts“ kenne ich nicht. Gültige Filter: `meine`, "),
        ("seite zwei", "`seite` braucht eine Zahl von 0 bis 1.000.000, nicht „zwei“."),
        ("verlängerungen 99999", "`verlängerungen` braucht eine Zahl von 0 bis 3.660"),
        ("lebenszyklus x", "`lebenszyklus` braucht eines von: land, onboard"),
        ("seite 9", "Alle Kunden. Eine Seite 9 gibt es nicht; dies ist Seite 1."),
    ],
)
async def test_german_filters_and_german_errors(argument: str, expected: str) -> None:
    with use_language("de"):
        reply = await portfolio_command(argument, TENANT, "aad-ada", NOW, repository())
    said = reply if isinstance(reply, str) else "\n".join(texts(reply))
    assert expected in said


async def test_german_kpis() -> None:
    with use_language("de"):
        card = await kpis_command("", TENANT, "aad-ada", NOW, repository())
    shown = texts(card)
    assert shown[0] == "Partner-Kennzahlen"
    for label in ("Kunden", "CSAT GJ2027", "NPS GJ2027", "Verlängerung innerhalb von 90 Tagen"):
        assert label in shown
    assert "5,00 von 5 aus 1 abgeschlossenen Iteration" in shown
    assert "bewerten 3 · vereinbaren 0 · liefern 0 · sicherstellen 0" in shown
    assert any(t.endswith(" · nicht bewertet 2") for t in shown)


async def test_german_health_card_and_messages() -> None:
    with use_language("de"):
        card = await health_command("Contoso", TENANT, "aad-ada", NOW, *both())
        which = await health_command("", TENANT, "aad-ada", NOW, *both())
        unknown = await health_command("Tailspin", TENANT, "aad-ada", NOW, *both())
        several = await health_command("o", TENANT, "aad-ada", NOW, *both())
    shown = texts(card)
    assert any(t.startswith("Gewicht ") and " · zählt " in t for t in shown)
    assert any(t.endswith(" Punkte") for t in shown)
    assert which == "Welcher Kunde? Tippen Sie `gesundheit <Kunde>`, z. B. `gesundheit Contoso`."
    assert str(unknown).startswith("Einen Kunden „Tailspin“ kenne ich")
    assert str(several).startswith("Mehrere Kunden passen zu „o“: ")


async def test_a_german_user_reads_no_english_in_portfolio_kpis_health_or_exchange(
    personal: Conversation,
) -> None:
    """Every reply of the portfolio area, good and bad input, over the bot: no English line."""
    user = User(replace(personal, locale="de-DE"), "de")
    await _quick_check(user, GERMAN_NAMES["quick check"])
    await _iteration(user, GERMAN_NAMES)
    await user.say("verlängerung Contoso 31.03.2027")
    start = len(user.seen)
    for text in (
        "portfolio",
        "portfolio meine verlängerungen 200 tage",
        "portfolio reifegrad 9",
        "portfolio seitwärts",
        "portfolio seite 7",
        "portfolio lebenszyklus x",
        "kennzahlen meine",
        "kennzahlen quer",
        "gesundheit Contoso",
        "gesundheit",
        "gesundheit Fabrikam",
        "gesundheit !!!",
        "exportieren",
        "importieren",
        "importieren [1]",
        'importieren {"format": "csf-export", "version": 2}',
    ):
        await user.say(text)
    seen = user.seen[start:]
    assert len(seen) >= 16
    assert english_lines(seen) == []
