"""The commit phase's goal form and typed-goal errors in German (found by `make e2e`'s German
pass: the success metric's texts had stayed English)."""

from __future__ import annotations

from datetime import date

import pytest

from dialogs.commit.commit_views import goal_form
from dialogs.commit.commitment_input import InputProblems, goal_fields_from_text, goal_value
from i18n import ENGLISH, GERMAN, use_language

TODAY = date(2026, 12, 5)


def _shown(language: str) -> list[str]:
    with use_language(language):
        form = goal_form("key", "Contoso", 1, {})
    return [*form.intro, *(text for f in form.fields for text in (f.label, f.placeholder))]


def test_the_goal_form_speaks_german() -> None:
    shown = _shown(GERMAN)
    assert shown[0].startswith("Ein Ziel braucht ein messbares Erfolgskriterium")
    assert "Ausgangswert der KPI, heute (optional)" in shown
    assert "Zielwert der KPI (optional)" in shown
    assert "z. B. Landing Zone produktiv" in shown
    assert not [text for text in shown if "e.g." in text or "baseline" in text]


def test_the_goal_form_stays_english_for_an_english_user() -> None:
    shown = _shown(ENGLISH)
    assert "KPI baseline, today (optional)" in shown
    assert "e.g. 40 % of resources tagged" in shown


def test_a_mistyped_goal_and_a_past_date_are_explained_in_german() -> None:
    with use_language(GERMAN), pytest.raises(InputProblems) as typed:
        goal_fields_from_text("nur ein Titel | KPI")
    assert typed.value.problems[0].message.startswith("Tippen Sie das Ziel so: Titel | KPI")
    raw = {"title": "Ziel", "kpi": "KPI", "owner_side": "partner", "due": "01.01.2020"}
    with use_language(GERMAN), pytest.raises(InputProblems) as past:
        goal_value(raw, 1, TODAY)
    assert "das Zieldatum" in past.value.problems[0].message
