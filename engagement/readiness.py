"""The partner's customer-success readiness self-assessment (IPED readiness checklist, seed 002).

Sections of elements, each element scored 1-5 on the checklist's scale ("Missing or
undeveloped" … "In production, established & mature"). A section earns points out of 100 in
proportion to its scores (score / 5 of the section's share per element: ten elements give 2
points per scale step, as in the seed's sheet), the total is the sum over the sections, and the
total's band is the readiness level (0-200 Formulating, 201-300 Preparing, 301-400 Aspiring,
401-500 Optimizing) with that level's next steps.

One assessment per organisation (tenant), re-takeable: every completed assessment is kept, the
latest is the current one. A stored assessment keeps its section names, points and level, so
history still reads right after the checklist was edited.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Annotated, Self

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, model_validator

from engagement.catalog import CatalogProblem, describe_entry
from engagement.catalog_text import CatalogModel, Name, Slug, Text

SCALE_STEPS = 5
SECTION_POINTS = 100

ElementText = Annotated[str, Field(min_length=1, max_length=300)]
NextSteps = Annotated[tuple[ElementText, ...], Field(min_length=1, max_length=5)]


class ReadinessElement(CatalogModel):
    """One element of a section, scored 1-5."""

    id: Slug
    text: ElementText
    text_de: ElementText | None = None


class ReadinessSection(CatalogModel):
    """A section of the checklist; it earns up to 100 points."""

    id: Slug
    name: Name
    name_de: Name | None = None
    description: Text
    description_de: Text | None = None
    element: Annotated[tuple[ReadinessElement, ...], Field(min_length=1, max_length=20)]


class ReadinessLevel(CatalogModel):
    """A readiness level: totals up to `up_to` points (above the previous level's) reach it."""

    name: Name
    up_to: Annotated[int, Field(strict=True, ge=0)]
    next_steps: NextSteps
    next_steps_de: NextSteps | None = None


def checklist_problems(
    scale: Sequence[str], sections: Sequence[ReadinessSection], levels: Sequence[ReadinessLevel]
) -> list[CatalogProblem]:
    """Rules across entries: unique ids, levels ascending and covering the whole total."""
    problems: list[CatalogProblem] = []
    if len(scale) != SCALE_STEPS:
        problems.append(
            CatalogProblem(None, "scale", f"needs exactly {SCALE_STEPS} labels, from 1 to 5")
        )
    seen: set[str] = set()
    for index, section in enumerate(sections):
        if section.id in seen:
            problems.append(
                CatalogProblem(describe_entry("section", index, section.id), "id", "used twice")
            )
        seen.add(section.id)
    elements: set[str] = set()
    for index, section in enumerate(sections):
        for position, element in enumerate(section.element):
            if element.id in elements:
                entry = f"{describe_entry('section', index, section.id)}, " + describe_entry(
                    "element", position, element.id
                )
                problems.append(CatalogProblem(entry, "id", "used twice (ids are checklist-wide)"))
            elements.add(element.id)
    total = SECTION_POINTS * len(sections)
    previous = -1
    for index, level in enumerate(levels):
        if level.up_to <= previous:
            problems.append(
                CatalogProblem(
                    describe_entry("level", index, level.name), "up_to", "must grow level by level"
                )
            )
        previous = level.up_to
    if levels and levels[-1].up_to != total:
        problems.append(
            CatalogProblem(
                describe_entry("level", len(levels) - 1, levels[-1].name),
                "up_to",
                f"the last level must reach the total of {total} points "
                f"({SECTION_POINTS} per section)",
            )
        )
    return problems


class ReadinessChecklist(CatalogModel):
    """The whole checklist: the scale's labels, the sections and the levels."""

    scale: tuple[Name, ...]
    scale_de: tuple[Name, ...] | None = None
    section: Annotated[tuple[ReadinessSection, ...], Field(min_length=1, max_length=10)]
    level: Annotated[tuple[ReadinessLevel, ...], Field(min_length=1, max_length=10)]

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        problems = checklist_problems(self.scale, self.section, self.level)
        if problems:
            raise ValueError("; ".join(str(problem) for problem in problems))
        return self

    @property
    def total_points(self) -> int:
        """The most points the checklist gives (100 per section)."""
        return SECTION_POINTS * len(self.section)

    @property
    def fingerprint(self) -> str:
        """A short hash of the element ids in order: answers collected against one version of
        the checklist are only valid for that version."""
        ids = "|".join(f"{s.id}:{e.id}" for s in self.section for e in s.element)
        return hashlib.sha256(ids.encode("utf-8")).hexdigest()[:12]

    def level_for(self, total: int) -> ReadinessLevel:
        """The level whose band holds `total`."""
        for level in self.level:
            if total <= level.up_to:
                return level
        return self.level[-1]


class SectionScore(BaseModel):
    """A section's result as it was scored."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    id: str
    name: str
    points: int


class ReadinessAssessment(BaseModel):
    """One completed self-assessment of an organisation."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    id: str  # chosen when it was started; a repeated final submit carries the same id
    tenant_id: str
    taken_by_id: str
    taken_by_name: str
    taken_at: AwareDatetime
    scores: dict[str, int]  # element id -> 1..5
    sections: tuple[SectionScore, ...]
    total: int
    out_of: int
    level: str

    def weakest(self) -> SectionScore:
        """The section with the fewest points (the first of equals)."""
        return min(self.sections, key=lambda section: section.points)


class ScoreError(ValueError):
    """Scores that do not fit the checklist (an element missing or out of 1-5)."""


def section_points(section: ReadinessSection, scores: Mapping[str, int]) -> int:
    """The section's points out of 100: its scores' share of the highest possible."""
    total = sum(scores[element.id] for element in section.element)
    return round(SECTION_POINTS * total / (SCALE_STEPS * len(section.element)))


def score_readiness(
    checklist: ReadinessChecklist,
    scores: Mapping[str, int],
    *,
    assessment_id: str,
    tenant_id: str,
    taken_by: tuple[str, str],
    now: datetime,
) -> ReadinessAssessment:
    """Score a complete set of answers.

    Raises:
        ScoreError: an element of the checklist has no score or one outside 1-5.
    """
    wanted = [element.id for section in checklist.section for element in section.element]
    for element_id in wanted:
        score = scores.get(element_id)
        if not isinstance(score, int) or not 1 <= score <= SCALE_STEPS:
            raise ScoreError(element_id)
    sections = tuple(
        SectionScore(id=s.id, name=s.name, points=section_points(s, scores))
        for s in checklist.section
    )
    total = sum(section.points for section in sections)
    return ReadinessAssessment(
        id=assessment_id,
        tenant_id=tenant_id,
        taken_by_id=taken_by[0],
        taken_by_name=taken_by[1],
        taken_at=now,
        scores={element_id: scores[element_id] for element_id in wanted},
        sections=sections,
        total=total,
        out_of=checklist.total_points,
        level=checklist.level_for(total).name,
    )


def gaps(
    checklist: ReadinessChecklist, assessment: ReadinessAssessment, *, below: int = 3
) -> list[tuple[ReadinessElement, int]]:
    """Elements of the current checklist scored below `below` (missing or only in concept),
    lowest first, in checklist order among equals."""
    found = [
        (element, assessment.scores[element.id])
        for section in checklist.section
        for element in section.element
        if assessment.scores.get(element.id, SCALE_STEPS) < below
    ]
    return sorted(found, key=lambda pair: pair[1])
