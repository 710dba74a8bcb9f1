"""Readiness cards: catalog text shown as written, the largest checklist fits, clean submit data."""

from __future__ import annotations

from datetime import UTC, datetime

from cards.library import wire_size
from cards.renderer import MAX_CARD_BYTES
from dialogs.readiness.readiness import Readiness
from engagement.clock import FixedClock
from engagement.readiness import (
    ReadinessAssessment,
    ReadinessChecklist,
    ReadinessElement,
    ReadinessLevel,
    ReadinessSection,
    score_readiness,
)
from tests.support.cards import HOSTILE, client_owned_fields, runs, strings, walk

NOW = datetime(2026, 11, 2, 9, 30, tzinfo=UTC)


class _NoStore:
    async def add(self, assessment: ReadinessAssessment) -> bool:
        return True

    async def history(self, tenant_id: str) -> list[ReadinessAssessment]:
        return []


def _checklist(text: str, sections: int, elements: int) -> ReadinessChecklist:
    return ReadinessChecklist(
        scale=tuple(f"{text[:90]} {n}" for n in range(5)),
        section=tuple(
            ReadinessSection(
                id=f"s{s}",
                name=text[:100],
                description=text[:600],
                element=tuple(
                    ReadinessElement(id=f"e{s}_{e}", text=text[:300]) for e in range(elements)
                ),
            )
            for s in range(sections)
        ),
        level=(
            ReadinessLevel(name=text[:100], up_to=sections * 50, next_steps=(text[:300],) * 5),
            ReadinessLevel(name="Top", up_to=sections * 100, next_steps=(text[:300],)),
        ),
    )


def _history(checklist: ReadinessChecklist, count: int) -> list[ReadinessAssessment]:
    ids = [e.id for s in checklist.section for e in s.element]
    return [
        score_readiness(
            checklist,
            dict.fromkeys(ids, 1 + n % 5),
            assessment_id=f"a{n:08d}",
            tenant_id="t",
            taken_by=("u", HOSTILE),
            now=NOW.replace(day=1 + n),
        )
        for n in range(count)
    ]


def test_hostile_catalog_text_is_shown_exactly_in_text_runs_and_labels() -> None:
    checklist = _checklist(HOSTILE, 2, 3)
    readiness = Readiness(checklist, _NoStore(), FixedClock(NOW))
    section = readiness.section_card(0, "", "abcdef0123456789")
    assert HOSTILE in set(strings(section))
    assert not client_owned_fields(section)
    result = readiness.result_card(_history(checklist, 3))
    assert any(HOSTILE in run for run in runs(result))
    assert not client_owned_fields(result)
    for node in walk(result):
        if str(node.get("type", "")).startswith("Chart."):
            assert "fallback" in node


def test_the_largest_checklist_still_fits_one_card_per_section() -> None:
    checklist = _checklist("x" * 600, 10, 20)
    readiness = Readiness(checklist, _NoStore(), FixedClock(NOW))
    for step in (0, 9):
        card = readiness.section_card(step, "3" * 20 * step, "abcdef0123456789")
        assert wire_size(card) <= MAX_CARD_BYTES
        assert len([n for n in walk(card) if n.get("type") == "Input.ChoiceSet"]) == 20
    assert wire_size(readiness.result_card(_history(checklist, 12))) <= MAX_CARD_BYTES
