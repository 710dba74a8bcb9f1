"""Read levels.toml, workshops.toml and questionnaire.toml into a validated `Catalog`, and
readiness.toml into the `ReadinessChecklist`.

Any mistake in a file raises CatalogError naming the file, the entry and the field, so a partner
who edited the catalog can fix it from the message alone. Imports engagement, never bot code.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable, Mapping, Sequence
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Annotated, Any, TypeVar

from pydantic import BaseModel, Field, ValidationError
from pydantic_core import ErrorDetails

from engagement.catalog import (
    Catalog,
    CatalogProblem,
    Dimension,
    LevelInfo,
    Question,
    Questionnaire,
    Workshop,
    describe_entry,
    level_problems,
    questionnaire_problems,
    workshop_problems,
)
from engagement.catalog_text import TWIN_SUFFIX, CatalogModel, twins
from engagement.readiness import (
    ReadinessChecklist,
    ReadinessLevel,
    ReadinessSection,
    checklist_problems,
)

LEVELS_FILE = "levels.toml"
WORKSHOPS_FILE = "workshops.toml"
QUESTIONNAIRE_FILE = "questionnaire.toml"
READINESS_FILE = "readiness.toml"

# Arrays of tables that are entries with ids; the key is the TOML name, the value how to call one.
_ENTRY_KINDS = {
    "level": "level",
    "workshop": "workshop",
    "dimension": "dimension",
    "question": "question",
    "options": "option",
    "section": "section",
    "element": "element",
}
_FRIENDLIER = {
    "missing": "required field is missing",
    "extra_forbidden": "unknown field",
    "tuple_type": 'should be a list, e.g. ["first", "second"]',
}
_LINE = re.compile(r"\bline (\d+)")

FileModel = TypeVar("FileModel", bound=BaseModel)


class CatalogError(Exception):
    """A catalog file is missing, unreadable or breaks a rule.

    `file`, `entry` (e.g. "workshop 'ads' (entry 5)" or "line 12"), `field` and `reason`
    describe the first problem; `problems` holds all found in that file.
    """

    def __init__(self, file: str, problems: Sequence[CatalogProblem]) -> None:
        self.file = file
        self.problems = tuple(problems) or (CatalogProblem(None, None, "invalid"),)
        first = self.problems[0]
        self.entry, self.field, self.reason = first.entry, first.field, first.reason
        super().__init__("\n".join(f"{file}: {problem}" for problem in self.problems))


class _LevelsFile(CatalogModel):
    level: list[LevelInfo]


class _WorkshopsFile(CatalogModel):
    workshop: list[Workshop]


class _QuestionnaireFile(CatalogModel):
    dimension: list[Dimension]
    question: list[Question]


class _ReadinessFile(CatalogModel):
    scale: tuple[Annotated[str, Field(min_length=1, max_length=100)], ...]
    scale_de: tuple[Annotated[str, Field(min_length=1, max_length=100)], ...] | None = None
    section: Annotated[list[ReadinessSection], Field(min_length=1, max_length=10)]
    level: Annotated[list[ReadinessLevel], Field(min_length=1, max_length=10)]


def load_catalog(directory: Path | None = None) -> Catalog:
    """Load and check the catalog from `directory` (default: the files shipped in this package).

    Raises:
        CatalogError: a file is missing, is not valid TOML, or breaks a catalog rule.
    """
    root: Traversable = directory if directory is not None else files(__package__ or "catalog")
    levels = _load(root, LEVELS_FILE, _LevelsFile, lambda f: level_problems(f.level))
    workshops = _load(root, WORKSHOPS_FILE, _WorkshopsFile, lambda f: workshop_problems(f.workshop))
    questions = _load(
        root,
        QUESTIONNAIRE_FILE,
        _QuestionnaireFile,
        lambda f: questionnaire_problems(f.dimension, f.question),
    )
    try:  # the files passed their checks, which are the ones the models run: this cannot fail
        return Catalog(
            levels=tuple(levels.level),
            workshops=tuple(workshops.workshop),
            questionnaire=Questionnaire(
                dimensions=tuple(questions.dimension), questions=tuple(questions.question)
            ),
        )
    except ValidationError as error:  # pragma: no cover - a rule checked by the model only
        raise CatalogError("catalog", [CatalogProblem(None, None, str(error))]) from error


def load_readiness(directory: Path | None = None) -> ReadinessChecklist:
    """Load and check the readiness checklist from `directory`; a directory without one uses
    the checklist shipped in this package.

    Raises:
        CatalogError: the file is not valid TOML or breaks a checklist rule.
    """
    shipped: Traversable = files(__package__ or "catalog")
    root = directory if directory is not None and (directory / READINESS_FILE).is_file() else None
    checked = _load(
        root or shipped,
        READINESS_FILE,
        _ReadinessFile,
        lambda f: checklist_problems(f.scale, f.section, f.level),
    )
    try:  # the file passed the checks the model runs
        return ReadinessChecklist(
            scale=checked.scale,
            scale_de=checked.scale_de,
            section=tuple(checked.section),
            level=tuple(checked.level),
        )
    except ValidationError as error:  # pragma: no cover - a rule checked by the model only
        raise CatalogError(READINESS_FILE, [CatalogProblem(None, None, str(error))]) from error


def _load(
    root: Traversable,
    name: str,
    model: type[FileModel],
    cross_check: Callable[[FileModel], list[CatalogProblem]],
) -> FileModel:
    raw = _read(root, name)
    try:
        parsed = model.model_validate(raw)
    except ValidationError as error:
        details = _without_echoes(error.errors())
        raise CatalogError(name, [_problem(e, raw) for e in details]) from error
    problems = cross_check(parsed) + _german_problems(parsed)
    if problems:
        raise CatalogError(name, problems)
    return parsed


def _read(root: Traversable, name: str) -> dict[str, Any]:
    path = root.joinpath(name)
    if not path.is_file():
        raise CatalogError(name, [CatalogProblem(None, None, f"file not found in {root}")])
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError as error:
        raise CatalogError(
            name, [CatalogProblem(None, None, f"not UTF-8 text ({error.reason})")]
        ) from error
    except tomllib.TOMLDecodeError as error:
        line = _LINE.search(str(error))
        entry = f"line {line.group(1)}" if line else None
        problem = CatalogProblem(entry, None, f"TOML syntax error: {error}")
        raise CatalogError(name, [problem]) from error


def _german_problems(entry: BaseModel, name: str | None = None) -> list[CatalogProblem]:
    """Every text without its German twin (`description_de`), or whose German list has another
    number of lines than the English, in `entry` and the entries inside it."""
    optional = entry.german_optional if isinstance(entry, CatalogModel) else frozenset()
    problems = []
    for field, english, german in twins(entry):
        if german is None and english and field not in optional:
            problems.append(CatalogProblem(name, f"{field}{TWIN_SUFFIX}", "German text missing"))
        elif isinstance(english, tuple) and german is not None and len(german) != len(english):
            problems.append(
                CatalogProblem(
                    name,
                    f"{field}{TWIN_SUFFIX}",
                    f"{len(german)} German lines for {len(english)} English ones",
                )
            )
    for field in type(entry).model_fields:
        items = getattr(entry, field)
        if field in _ENTRY_KINDS and isinstance(items, list | tuple):
            for index, item in enumerate(items):
                label = getattr(item, "id", None) or getattr(item, "name", None)
                inner = describe_entry(_ENTRY_KINDS[field], index, label and str(label))
                problems += _german_problems(item, f"{name}, {inner}" if name else inner)
    return problems


def _without_echoes(errors: list[ErrorDetails]) -> list[ErrorDetails]:
    """Drop "list too short" where it only echoes a bad item of the same list."""
    return [
        error
        for error in errors
        if not (
            error["type"] == "too_short"
            and any(
                other["loc"][: len(error["loc"])] == error["loc"]
                and len(other["loc"]) > len(error["loc"])
                for other in errors
            )
        )
    ]


def _problem(error: ErrorDetails, raw: Mapping[str, Any]) -> CatalogProblem:
    """Name the entries along pydantic's error location, then the field and what is wrong."""
    entries: list[str] = []
    node: Any = raw
    location = list(error["loc"])
    while (
        len(location) >= 2
        and isinstance(location[0], str)
        and location[0] in _ENTRY_KINDS
        and isinstance(location[1], int)
        and isinstance(node, Mapping)
    ):
        key, index = location[0], location[1]
        items = node.get(key)
        node = items[index] if isinstance(items, list) and index < len(items) else None
        entry_id = node.get("id") if isinstance(node, Mapping) else None
        entries.append(describe_entry(_ENTRY_KINDS[key], index, entry_id))
        location = location[2:]
    field = str(location.pop(0)) if location else None
    reason = _FRIENDLIER.get(error["type"], error["msg"]).removeprefix("Value error, ")
    reason = reason.replace("Tuple should", "List should")  # TOML calls them arrays or lists
    if location:  # inside a list or table value: `levels` item 2
        path = ".".join(str(p + 1) if isinstance(p, int) else p for p in location)
        reason = f"item {path}: {reason}"
    if error["type"] not in _FRIENDLIER and isinstance(error["input"], str | int | float | bool):
        reason = f"{reason} (got {error['input']!r})"
    return CatalogProblem(", ".join(entries) or None, field, reason)
