"""The catalog a partner edits: maturity levels, workshops and the assessment questionnaire.

Pure models (stdlib + pydantic + engagement only); `catalog/` reads the TOML files into them.
Every model is frozen and rejects unknown fields; its texts carry German twins
(engagement/catalog_text.py). Rules that span entries (unique ids, known
dimensions, every level covered) live in the `*_problems` functions, which the models' own
validators and the file loader share, so a catalog built in code obeys the same rules.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from itertools import pairwise
from typing import Annotated, Self

from pydantic import Field, ValidationInfo, field_validator, model_validator

from engagement.catalog_text import (
    Audience,
    CatalogModel,
    HelpText,
    Line,
    Lines,
    Name,
    QuestionText,
    Short,
    Signals,
    Slug,
    Text,
)
from engagement.models import MaturityLevel

OPTIONS_PER_QUESTION = 4
QUICK_QUESTIONS_MIN = 4
QUICK_QUESTIONS_MAX = 5

Link = Annotated[str, Field(max_length=300, pattern=r"^https?://[^\s/]+\S*$")]
StrictRank = Annotated[int, Field(strict=True, ge=1, le=1000)]


@dataclass(frozen=True)
class CatalogProblem:
    """One broken rule: which entry (e.g. "workshop 'ads' (entry 5)"), which field, and why."""

    entry: str | None
    field: str | None
    reason: str

    def __str__(self) -> str:
        parts = [self.entry] if self.entry else []
        if self.field:
            parts.append(f"field {self.field!r}")
        return ": ".join([*parts, self.reason])


def describe_entry(kind: str, index: int | None, entry_id: object = None) -> str:
    """How problems name an entry: `workshop 'ads' (entry 5)`; `index` is 0-based."""
    name = f"{kind} {entry_id!r}" if isinstance(entry_id, str) and entry_id else kind
    return name if index is None else f"{name} (entry {index + 1})"


class LevelInfo(CatalogModel):
    """A maturity level as the framework describes it."""

    german_optional = frozenset({"name"})  # the framework's own terms

    id: MaturityLevel
    name: Name
    name_de: Name | None = None
    description: Text
    description_de: Text | None = None
    signals: Signals
    signals_de: Signals | None = None

    @property
    def rank(self) -> int:
        """1 (least mature) .. 4 (most mature)."""
        return self.id.rank


class DeliveryFormat(StrEnum):
    """How a workshop is delivered."""

    ON_SITE = "on-site"
    REMOTE = "remote"
    HYBRID = "hybrid"


class Workshop(CatalogModel):
    """An engagement offering; `rank` orders it within each of its levels (lower first)."""

    german_optional = frozenset({"name"})  # the framework's offerings keep their names

    id: Slug
    name: Name
    name_de: Name | None = None
    levels: Annotated[tuple[MaturityLevel, ...], Field(min_length=1)]
    summary: Text
    summary_de: Text | None = None
    outcomes: Lines
    outcomes_de: Lines | None = None
    duration: Short
    duration_de: Short | None = None
    audience: Audience
    audience_de: Audience | None = None
    prerequisites: tuple[Line, ...] = ()
    prerequisites_de: tuple[Line, ...] | None = None
    format: DeliveryFormat
    link: Link
    rank: StrictRank

    @field_validator("levels")
    @classmethod
    def _levels_unique(cls, levels: tuple[MaturityLevel, ...]) -> tuple[MaturityLevel, ...]:
        repeated = sorted({lvl.value for lvl in levels if levels.count(lvl) > 1})
        if repeated:
            raise ValueError(f"level listed twice: {', '.join(repeated)}")
        return tuple(sorted(levels, key=lambda lvl: lvl.rank))


class Dimension(CatalogModel):
    """A named aspect of maturity; its score is the mean of its questions' answers."""

    id: Slug
    name: Name
    name_de: Name | None = None
    description: Text
    description_de: Text | None = None


class Option(CatalogModel):
    """One answer; `level` is the maturity level this answer points to."""

    id: Slug
    label: Short
    level: MaturityLevel
    label_de: Short | None = None


class Question(CatalogModel):
    """A question with exactly four options, listed from least to most mature.

    `quick` puts it in the one-card quick check. `required_for` makes it a gate: the result
    reaches that level only when this question is answered with an option at that level or above.
    """

    id: Slug
    dimension: Slug
    text: QuestionText
    text_de: QuestionText | None = None
    help: HelpText = ""
    help_de: HelpText | None = None
    quick: Annotated[bool, Field(strict=True)] = False
    options: tuple[Option, ...]
    required_for: MaturityLevel | None = None

    @field_validator("options")
    @classmethod
    def _options_well_formed(cls, options: tuple[Option, ...]) -> tuple[Option, ...]:
        if len(options) != OPTIONS_PER_QUESTION:
            raise ValueError(f"needs exactly {OPTIONS_PER_QUESTION} options, found {len(options)}")
        repeated = sorted(k for k, n in Counter(o.id for o in options).items() if n > 1)
        if repeated:
            raise ValueError(f"duplicate option id {repeated[0]!r}")
        for before, after in pairwise(options):
            if after.level.rank < before.level.rank:
                raise ValueError(
                    "options must be listed from least to most mature: "
                    f"{after.id!r} ({after.level.value}) comes after "
                    f"{before.id!r} ({before.level.value})"
                )
        if options[0].level == options[-1].level:
            raise ValueError("all options indicate the same level, so the question tells nothing")
        return options

    @field_validator("required_for")
    @classmethod
    def _gate_reachable(
        cls, level: MaturityLevel | None, info: ValidationInfo
    ) -> MaturityLevel | None:
        options: tuple[Option, ...] = info.data.get("options", ())
        if level is not None and level.rank == 1:
            raise ValueError(f"{level.value} is the least mature level and needs no gate")
        if level is not None and options and options[-1].level.rank < level.rank:
            raise ValueError(f"no option reaches {level.value}, so that level could never result")
        return level

    def option(self, option_id: str) -> Option | None:
        """The option with this id, or None."""
        return next((o for o in self.options if o.id == option_id), None)


def _duplicates(kind: str, ids: Sequence[str]) -> list[CatalogProblem]:
    first_seen: dict[str, int] = {}
    problems = []
    for index, entry_id in enumerate(ids):
        if entry_id in first_seen:
            problems.append(
                CatalogProblem(
                    describe_entry(kind, index, entry_id),
                    "id",
                    f"duplicate id, already used by entry {first_seen[entry_id] + 1}",
                )
            )
        else:
            first_seen[entry_id] = index
    return problems


def level_problems(levels: Sequence[LevelInfo]) -> list[CatalogProblem]:
    """Each of the four maturity levels is described exactly once."""
    problems = _duplicates("level", [lvl.id.value for lvl in levels])
    described = {lvl.id for lvl in levels}
    problems += [
        CatalogProblem(None, None, f"level {missing.value!r} is not described")
        for missing in MaturityLevel
        if missing not in described
    ]
    return problems


def workshop_problems(workshops: Sequence[Workshop]) -> list[CatalogProblem]:
    """Workshop ids are unique and every level has at least one workshop."""
    problems = _duplicates("workshop", [w.id for w in workshops])
    offered = {lvl for w in workshops for lvl in w.levels}
    problems += [
        CatalogProblem(None, "levels", f"no workshop lists level {missing.value!r}")
        for missing in MaturityLevel
        if missing not in offered
    ]
    return problems


def questionnaire_problems(
    dimensions: Sequence[Dimension], questions: Sequence[Question]
) -> list[CatalogProblem]:
    """Unique ids, known dimensions each asked about, a 4-5 question quick check covering gates."""
    problems = _duplicates("dimension", [d.id for d in dimensions])
    problems += _duplicates("question", [q.id for q in questions])
    known = {d.id for d in dimensions}
    for index, question in enumerate(questions):
        entry = describe_entry("question", index, question.id)
        if question.dimension not in known:
            problems.append(
                CatalogProblem(entry, "dimension", f"unknown dimension {question.dimension!r}")
            )
        if question.required_for is not None and not question.quick:
            problems.append(
                CatalogProblem(
                    entry,
                    "quick",
                    "a gate question (required_for) must be in the quick check, "
                    "otherwise a quick check could never reach its level",
                )
            )
    asked = {q.dimension for q in questions}
    problems += [
        CatalogProblem(describe_entry("dimension", i, d.id), "id", "no question asks about it")
        for i, d in enumerate(dimensions)
        if d.id not in asked
    ]
    quick = sum(q.quick for q in questions)
    if not QUICK_QUESTIONS_MIN <= quick <= QUICK_QUESTIONS_MAX:
        problems.append(
            CatalogProblem(
                None,
                "quick",
                f"the quick check needs {QUICK_QUESTIONS_MIN}-{QUICK_QUESTIONS_MAX} questions "
                f"marked quick = true, found {quick}",
            )
        )
    return problems


def _raise_if(problems: Iterable[CatalogProblem]) -> None:
    found = list(problems)
    if found:
        raise ValueError("; ".join(str(p) for p in found))


class Questionnaire(CatalogModel):
    """Dimensions and the questions of the full assessment; the quick check is a subset."""

    dimensions: Annotated[tuple[Dimension, ...], Field(min_length=1)]
    questions: Annotated[tuple[Question, ...], Field(min_length=1)]

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        _raise_if(questionnaire_problems(self.dimensions, self.questions))
        return self

    @property
    def quick_questions(self) -> tuple[Question, ...]:
        """The quick-check subset, in questionnaire order."""
        return tuple(q for q in self.questions if q.quick)

    def question(self, question_id: str) -> Question | None:
        """The question with this id, or None."""
        return next((q for q in self.questions if q.id == question_id), None)

    def dimension(self, dimension_id: str) -> Dimension | None:
        """The dimension with this id, or None."""
        return next((d for d in self.dimensions if d.id == dimension_id), None)

    def questions_in(self, dimension_id: str) -> tuple[Question, ...]:
        """The questions of one dimension, in questionnaire order."""
        return tuple(q for q in self.questions if q.dimension == dimension_id)


# Words that every level name shares or that carry no meaning when a user names a level.
_FILLER_WORDS = frozenset({"cloud", "is", "an", "a", "in", "the", "level", "maturity", "stage"})
_MIN_PREFIX = 3


def _level_key(text: str) -> str:
    """`Cloud is an Option!` -> `option`; `cloud_is_in_use` -> `use`; `Level 2` -> `2`."""
    words = re.findall(r"[a-z0-9]+", text.casefold().replace("_", " "))
    return " ".join(w for w in words if w not in _FILLER_WORDS)


class Catalog(CatalogModel):
    """Levels (in rank order), workshops and the questionnaire, checked for consistency."""

    levels: tuple[LevelInfo, ...]
    workshops: tuple[Workshop, ...]
    questionnaire: Questionnaire

    @field_validator("levels")
    @classmethod
    def _levels_in_rank_order(cls, levels: tuple[LevelInfo, ...]) -> tuple[LevelInfo, ...]:
        return tuple(sorted(levels, key=lambda lvl: lvl.rank))

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        _raise_if([*level_problems(self.levels), *workshop_problems(self.workshops)])
        return self

    def level(self, level: MaturityLevel) -> LevelInfo:
        """The description of a level (every level has one)."""
        return next(info for info in self.levels if info.id == level)

    def workshop(self, workshop_id: str) -> Workshop | None:
        """The workshop with this id, or None."""
        return next((w for w in self.workshops if w.id == workshop_id), None)

    def workshops_for(self, level: MaturityLevel) -> list[Workshop]:
        """The workshops offered at a level, by rank (then name)."""
        return sorted(
            (w for w in self.workshops if level in w.levels), key=lambda w: (w.rank, w.name)
        )

    def find_level(self, text: str) -> MaturityLevel | None:
        """The level a user means: "Cloud is an option", "option", "opt", "2", "in use", "affine".

        Case, punctuation and the shared words ("cloud", "is", "an", "level") are ignored; a
        rank 1-4, a level's id, its label, the catalog's name for it, or an unambiguous prefix
        (3+ letters) of its distinctive word all match. Anything else gives None.
        """
        key = _level_key(text)
        if not key:
            return None
        keys = {
            info.id: {
                str(info.rank),
                _level_key(info.id.value),
                _level_key(info.id.label),
                _level_key(info.name),
            }
            for info in self.levels
        }
        exact = [level for level, names in keys.items() if key in names]
        if len(exact) == 1:
            return exact[0]
        if len(key) < _MIN_PREFIX or exact:
            return None
        prefixed = {level for level, names in keys.items() if any(n.startswith(key) for n in names)}
        return prefixed.pop() if len(prefixed) == 1 else None
