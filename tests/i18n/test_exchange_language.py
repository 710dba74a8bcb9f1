"""`export`, `import` and the download links in the turn's language: a German user reads the
summary, the refusals and every problem in German (`importieren ersetzen` understood); an
English user reads exactly what pydantic and the `json` module say."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from bot.downloads import Downloads, browser_language, downloads_handler
from dialogs.portfolio.exchange_commands import export_command, import_command
from engagement.clock import FixedClock
from engagement.exchange import ImportRefused, plan_import
from engagement.export import export_json
from i18n import use_language
from tests.bot.test_full_cycle import _quick_check
from tests.dialogs.portfolio.test_portfolio_commands import repository
from tests.support.connector import FakeConnector
from tests.support.conversation import Conversation
from tests.support.portfolio import NOW, TENANT, MemoryCustomers, customer


def _document(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(export_json(TENANT, [customer("Contoso")], NOW))
    data["customers"][0].update(changes)
    return data


def _problems(data: object) -> list[str]:
    with pytest.raises(ImportRefused) as refused:
        plan_import(data if isinstance(data, str) else json.dumps(data), TENANT, ())
    return [str(problem) for problem in refused.value.problems]


async def test_a_german_export_and_import() -> None:
    with use_language("de"):
        files = await export_command("", TENANT, "x", NOW, repository())
        reply = await import_command(
            "", TENANT, "x", NOW, MemoryCustomers(), document=files.json_text
        )
        usage = await import_command("ersetzen", TENANT, "x", NOW, MemoryCustomers())
    assert files.csv_name == "csf-tenant-a-20261102-0930-bewertungen-ziele.csv"
    assert files.summary.startswith(
        "3 Kunden mit Iterationen, Kontakten und Lizenzen exportiert, dazu 2 Zeilen mit "
    )
    assert reply == "3 Kunden importiert (3 neu) aus dem Export vom 02. Nov. 2026, 09:30 UTC."
    assert usage.startswith("Hängen Sie die Exportdatei (.json) an eine Nachricht")


async def test_importieren_ersetzen_replaces() -> None:
    repo = repository()
    text = export_json(TENANT, [customer("Contoso")], NOW)
    with use_language("de"):
        refused = await import_command(text, TENANT, "x", NOW, repo)
        replaced = await import_command("ersetzen " + text, TENANT, "x", NOW, repo)
    assert refused.startswith("Ich habe nichts importiert: Die Datei hat 1 Problem.\n- `Feld ")
    assert "1 Kunde gibt es schon: 'contoso'; importieren Sie mit 'ersetzen'" in refused
    assert replaced.startswith("1 Kunde importiert (0 neu, 1 ersetzt)")


@pytest.mark.parametrize(
    ("data", "german"),
    [
        ("", "die Datei ist kein JSON: Wert erwartet in Zeile 1, Spalte 1"),
        ("[1]", "die Datei enthält einen JSON-Wert vom Typ Array, kein Export-Objekt"),
        ({"format": "csf-export", "version": 2}, "Feld version: 2 wird nicht unterstützt; "),
        (_document(name=None), "customers[0] ('contoso'): Feld name: muss ein Text sein"),
        (_document(renewal_date="bald"), "Feld renewal_date: muss ein gültiges Datum sein ("),
        (_document(extra=1), "customers[0] ('contoso'): Feld extra: ist kein bekanntes Feld"),
        (
            _document(iterations=[]),
            "Feld iterations: Die Liste braucht mindestens 1 Eintrag, nicht 0",
        ),
    ],
)
def test_import_problems_in_german(data: object, german: str) -> None:
    with use_language("de"):
        problems = _problems(data)
    assert any(problem.startswith(german) or german in problem for problem in problems), problems


def test_english_problems_are_pydantics_own_words() -> None:
    problems = _problems(_document(name=None, licenses=[{"product": "x", "licensed": "many"}]))
    assert "customers[0] ('contoso'): field name: Input should be a valid string (got None)" in (
        problems
    )
    assert any(
        "Input should be a valid integer, unable to parse string as an integer" in p
        for p in problems
    )
    phase = _problems(_document(stage="sideways"))
    assert any(
        "Input should be 'land', 'onboard', 'adopt', 'expand' or 'renew'" in p for p in phase
    )
    with use_language("de"):
        german = _problems(_document(stage="sideways"))
    assert any("muss 'land', 'onboard', 'adopt', 'expand' oder 'renew' sein" in p for p in german)


def test_the_browsers_first_language_picks_the_download_error() -> None:
    assert browser_language("de-DE,de;q=0.9,en;q=0.8") == "de"
    assert browser_language("de") == "de"
    assert browser_language("en-US,de;q=0.5") == "en"
    assert browser_language("") == "en"


async def test_an_unknown_download_link_in_the_browsers_language() -> None:
    app = web.Application()
    app.router.add_get("/exports/{token}", downloads_handler(Downloads(FixedClock(NOW))))
    async with TestClient(TestServer(app, host="127.0.0.1")) as client:
        german = await client.get("/exports/nope", headers={"Accept-Language": "de-DE,de"})
        english = await client.get("/exports/nope")
        assert german.status == english.status == 404
        assert (await german.json())["error"].startswith("dieser Download-Link ist unbekannt")
        assert (await english.json()) == {"error": "this download link is unknown, used or expired"}


async def test_a_german_user_exports_and_imports_over_the_bot(
    personal: Conversation, connector: FakeConnector
) -> None:
    user = replace(personal, locale="de-DE")
    await _quick_check(personal, 1)  # Contoso, assessed in English: the data has no language
    exported = (await user.say("exportieren"))[0].text
    assert exported.startswith("1 Kunde mit Iterationen, Kontakten und Lizenzen exportiert, ")
    assert exported.endswith("Jeder Link funktioniert einmal, 15 Minuten lang.")
    csv_link = re.findall(r"\]\((http://[^)]+/exports/[^)]+)\)", exported)[1]
    csv_text = await (await user.client.get("/exports/" + csv_link.split("/exports/")[1])).text()
    assert csv_text.startswith("Datensatz,Kunden-ID,Kunde,")
    assert "\nassessment,contoso,Contoso," in csv_text  # the values stay codes
    refused = (await user.say('importieren {"format": "csf-export"}'))[0].text
    assert refused.startswith("Ich habe nichts importiert: Die Datei hat 1 Problem.")
    assert "Feld version: fehlt; dieser Bot liest Version 1" in refused
    group = Conversation(
        personal.client, connector, "19:team@thread.v2", conversation_type="groupChat"
    )
    shared = await replace(group, locale="de-DE").say("exportieren", mention=True)
    assert shared[0].text == "Exporte gibt es nur in unserem persönlichen Chat."
