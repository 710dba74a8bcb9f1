"""Readiness scoring: section points out of 100, total, the seed's levels, gaps; the checklist."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from catalog import READINESS_FILE, CatalogError, load_readiness
from engagement.catalog_text import in_language
from engagement.readiness import (
    ReadinessAssessment,
    ReadinessChecklist,
    ScoreError,
    gaps,
    score_readiness,
)

NOW = datetime(2026, 11, 2, 9, 30, tzinfo=UTC)
SHIPPED = load_readiness()


def _score(checklist: ReadinessChecklist, by_section: list[list[int]]) -> ReadinessAssessment:
    scores = {
        element.id: score
        for section, values in zip(checklist.section, by_section, strict=True)
        for element, score in zip(section.element, values, strict=True)
    }
    return score_readiness(
        checklist, scores, assessment_id="a1", tenant_id="t", taken_by=("u", "Ada"), now=NOW
    )


def _uniform(score: int) -> list[list[int]]:
    return [[score] * len(section.element) for section in SHIPPED.section]


def test_the_shipped_checklist_has_the_seeds_five_sections_of_ten_elements() -> None:
    assert [s.name for s in SHIPPED.section] == [
        "Partner strategy & roles",
        "KPIs and performance targets",
        "Segmentation & target profiles",
        "Support & enablement requirements",
        "Staffing model",
    ]
    assert all(len(s.element) == 10 for s in SHIPPED.section)
    assert SHIPPED.total_points == 500
    assert [lvl.name for lvl in SHIPPED.level] == [
        "Formulating",
        "Preparing",
        "Aspiring",
        "Optimizing",
    ]
    assert SHIPPED.scale[0] == "Missing or undeveloped"


def test_the_seeds_strategy_section_scores_as_its_sheet() -> None:
    # Seed 002's example marks for "Partner strategy & roles": 2 points per step with ten elements.
    strategy = [2, 3, 3, 4, 2, 2, 2, 2, 3, 3]
    assessment = _score(SHIPPED, [strategy, *_uniform(1)[1:]])
    assert assessment.sections[0].points == 52
    assert [s.points for s in assessment.sections[1:]] == [20, 20, 20, 20]
    assert assessment.total == 132
    assert assessment.out_of == 500


@pytest.mark.parametrize(
    ("score", "total", "level"),
    [
        (1, 100, "Formulating"),
        (2, 200, "Formulating"),
        (3, 300, "Preparing"),
        (4, 400, "Aspiring"),
        (5, 500, "Optimizing"),
    ],
)
def test_levels_follow_the_seeds_bands(score: int, total: int, level: str) -> None:
    assessment = _score(SHIPPED, _uniform(score))
    assert (assessment.total, assessment.level) == (total, level)


def test_band_edges() -> None:
    assert SHIPPED.level_for(200).name == "Formulating"
    assert SHIPPED.level_for(201).name == "Preparing"
    assert SHIPPED.level_for(301).name == "Aspiring"
    assert SHIPPED.level_for(401).name == "Optimizing"


def test_a_missing_or_out_of_range_score_is_refused() -> None:
    scores = {e.id: 3 for s in SHIPPED.section for e in s.element}
    for bad in (0, 6):
        with pytest.raises(ScoreError):
            score_readiness(
                SHIPPED,
                scores | {"journey_map": bad},
                assessment_id="a",
                tenant_id="t",
                taken_by=("u", "n"),
                now=NOW,
            )
    del scores["technical_roles"]
    with pytest.raises(ScoreError, match="technical_roles"):
        score_readiness(
            SHIPPED, scores, assessment_id="a", tenant_id="t", taken_by=("u", "n"), now=NOW
        )


def test_gaps_are_the_elements_scored_1_or_2_lowest_first_and_weakest_section() -> None:
    values = _uniform(4)
    values[4][0] = 2
    values[2][3] = 1
    assessment = _score(SHIPPED, values)
    assert [(e.id, s) for e, s in gaps(SHIPPED, assessment)] == [
        ("base_vs_new", 1),
        ("executive_sponsor", 2),
    ]
    assert assessment.weakest().id == "segmentation"


def _write(directory: Path, text: str) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    (directory / READINESS_FILE).write_text(text, encoding="utf-8")
    return directory


SMALL = """
scale = ["a", "b", "c", "d", "e"]
scale_de = ["eins", "zwei", "drei", "vier", "fünf"]
[[section]]
id = "only"
name = "Only"
name_de = "Einzig"
description = "One section."
description_de = "Ein Abschnitt."
[[section.element]]
id = "one"
text = "The element"
text_de = "Das Element"
[[level]]
name = "Low"
up_to = 50
next_steps = ["Grow."]
next_steps_de = ["Wachsen."]
[[level]]
name = "High"
up_to = 100
next_steps = ["Keep going."]
next_steps_de = ["Weiter so."]
"""


def test_a_partner_can_edit_the_checklist(tmp_path: Path) -> None:
    checklist = load_readiness(_write(tmp_path, SMALL))
    assert checklist.total_points == 100
    assessment = score_readiness(
        checklist, {"one": 3}, assessment_id="a", tenant_id="t", taken_by=("u", "n"), now=NOW
    )
    assert (assessment.total, assessment.level) == (60, "High")


def test_the_shipped_checklist_reads_in_german() -> None:
    german = in_language(SHIPPED, "de")
    assert german.section[0].name == "Partnerstrategie und Rollen"
    assert german.section[0].element[0].text.startswith("Übergreifende Customer Journey Map")
    assert german.scale[0] == "Fehlt oder nicht entwickelt"
    assert german.level[0].next_steps[0].startswith("Schaffen Sie intern Einigkeit")
    assert [lvl.name for lvl in german.level] == [lvl.name for lvl in SHIPPED.level]
    assert german.fingerprint == SHIPPED.fingerprint
    assert in_language(SHIPPED, "en") is SHIPPED


def test_a_catalog_directory_without_the_checklist_uses_the_shipped_one(tmp_path: Path) -> None:
    assert load_readiness(tmp_path) == SHIPPED


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (('"e"]', '"e", "f"]'), "scale.*exactly 5"),
        (("up_to = 100", "up_to = 90"), "up_to.*total of 100"),
        (("up_to = 50", "up_to = 150"), "up_to.*grow"),
        (('id = "one"', 'id = "One!"'), r"section 'only' \(entry 1\), element.*id"),
        (('text = "The element"', "text = 3"), "element.*text"),
        (
            ('text_de = "Das Element"\n', ""),
            r"section 'only' \(entry 1\), element 'one' \(entry 1\): field 'text_de': German text",
        ),
        (('next_steps_de = ["Weiter so."]', 'next_steps_de = ["Weiter", "so"]'), "High.*2 German"),
        (('scale_de = ["eins", ', "scale_de = ["), "scale_de.*4 German lines for 5"),
    ],
)
def test_mistakes_name_the_entry_and_field(
    tmp_path: Path, change: tuple[str, str], message: str
) -> None:
    with pytest.raises(CatalogError, match=message) as raised:
        load_readiness(_write(tmp_path, SMALL.replace(*change)))
    assert raised.value.file == READINESS_FILE
