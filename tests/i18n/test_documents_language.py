"""The statement of work, the report and the CSV export's header in the turn's language; English
exactly as before."""

from __future__ import annotations

import csv
import io

from cards.text import render_text
from engagement.export import CSV_COLUMNS, assessments_and_goals_csv
from i18n import use_language

SOW = {
    "customer": "Contoso",
    "iteration": 2,
    "level": "Cloud is a solution",
    "start": "1 Dec 2026",
    "end": "31 Jan 2027",
    "contact": "Eve",
    "workshops": ["ADS"],
    "goals": [{"title": "Pilot live", "kpi": "1 app", "owner": "partner (Ada)", "due": "31 Mar"}],
    "factors": [("Stakeholders", "CIO")],
    "agreements": ["Partner: agreed"],
}
REPORT = {
    "customer": "Contoso",
    "iteration": 2,
    "level": "Cloud is a solution",
    "start": "s",
    "end": "e",
    "closed": "c",
    "achievement": "50%",
    "csat": "4.3",
    "nps": "20",
    "plan": "",
    "goals": [{"title": "G", "kpi": "K", "outcome": "achieved", "evidence": "https://x.example"}],
    "deliveries": ["ADS"],
    "next_steps": ["Pilot"],
    "follow_up": "",
}


def test_the_statement_of_work_in_german_and_english() -> None:
    with use_language("de"):
        german = render_text("sow", **SOW)
    assert german.startswith("**Leistungsbeschreibung: Contoso**\n\nIteration 2 · ")
    assert "1. **Pilot live**: 1 app (verantwortlich: partner (Ada), fällig 31 Mar)" in german
    assert "**Ziele**" in german
    assert "**Erfolgsfaktoren**" in german
    english = render_text("sow", **SOW)
    assert english.startswith(
        "**Statement of work: Contoso**\n\nIteration 2 · Cloud is a solution · 1 Dec 2026 to "
        "31 Jan 2027 · customer contact: Eve\n\n**Workshops**\n\n- ADS\n\n**Goals**\n\n"
        "1. **Pilot live**: 1 app (owner: partner (Ada), due 31 Mar)\n"
    )


def test_the_report_in_german_and_english() -> None:
    with use_language("de"):
        german = render_text("report", **REPORT)
    assert german.startswith("**Leistungsnachweis: Contoso, Iteration 2**\n\n- Reifegrad: ")
    assert "- Engagement: s bis e, abgeschlossen am c\n" in german
    assert "; Nachweis: " in german
    assert "**Nächste Schritte**" in german
    english = render_text("report", **REPORT)
    assert english.startswith(
        "**Proof of execution: Contoso, iteration 2**\n\n- Maturity level: Cloud is a solution\n"
        "- Engagement: s to e, closed c\n- Goal achievement: **50%**\n"
    )
    assert "; evidence: " in english


def test_the_csv_header_is_in_the_users_language() -> None:
    english = next(csv.reader(io.StringIO(assessments_and_goals_csv([]))))
    assert english == list(CSV_COLUMNS)
    assert english[:3] == ["record", "customer_id", "customer_name"]
    with use_language("de"):
        german = next(csv.reader(io.StringIO(assessments_and_goals_csv([]))))
    assert german[:3] == ["Datensatz", "Kunden-ID", "Kunde"]
    assert len(set(german)) == len(german)
