"""Catalog models built in code obey the loader's rules; lookups and level names forgive typing."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from catalog import load_catalog
from engagement.catalog import (
    Catalog,
    Dimension,
    LevelInfo,
    Option,
    Question,
    Questionnaire,
    Workshop,
)
from engagement.models import MaturityLevel

AFFINE, OPTION, SOLUTION, IN_USE = list(MaturityLevel)


def options(*levels: MaturityLevel) -> tuple[Option, ...]:
    return tuple(Option(id=f"o{i}", label=f"answer {i}", level=lvl) for i, lvl in enumerate(levels))


def question(qid: str, *, quick: bool = True, **changes: Any) -> Question:
    fields: dict[str, Any] = {
        "id": qid,
        "dimension": "d",
        "text": f"{qid}?",
        "quick": quick,
        "options": options(*MaturityLevel),
    }
    return Question(**(fields | changes))


def workshop(wid: str, *levels: MaturityLevel, rank: int = 1) -> Workshop:
    return Workshop(
        id=wid,
        name=wid.title(),
        levels=levels,
        summary="s",
        outcomes=("o",),
        duration="1 day",
        audience="a",
        format="remote",
        link="https://example.org/",
        rank=rank,
    )


def levels() -> tuple[LevelInfo, ...]:
    return tuple(
        LevelInfo(id=lvl, name=lvl.label, description="d", signals=("s",))
        for lvl in reversed(MaturityLevel)
    )


def small_questionnaire() -> Questionnaire:
    return Questionnaire(
        dimensions=(Dimension(id="d", name="D", description="d"),),
        questions=tuple(question(f"q{i}") for i in range(4)),
    )


@pytest.fixture(scope="module")
def shipped() -> Catalog:
    return load_catalog()


def test_catalog_sorts_levels_by_rank() -> None:
    built = Catalog(
        levels=levels(),
        workshops=tuple(workshop(f"w{lvl.rank}", lvl) for lvl in MaturityLevel),
        questionnaire=small_questionnaire(),
    )
    assert [info.id for info in built.levels] == list(MaturityLevel)
    assert built.level(SOLUTION).rank == 3


def test_catalog_in_code_needs_a_workshop_per_level() -> None:
    with pytest.raises(ValidationError, match="no workshop lists level 'cloud_is_in_use'"):
        Catalog(
            levels=levels(),
            workshops=(workshop("w", AFFINE, OPTION, SOLUTION),),
            questionnaire=small_questionnaire(),
        )


def test_workshops_for_ranks_then_names() -> None:
    built = Catalog(
        levels=levels(),
        workshops=(
            workshop("zeta", AFFINE, rank=1),
            workshop("late", AFFINE, rank=9),
            workshop("alpha", AFFINE, rank=1),
            workshop("rest", OPTION, SOLUTION, IN_USE),
        ),
        questionnaire=small_questionnaire(),
    )
    assert [w.id for w in built.workshops_for(AFFINE)] == ["alpha", "zeta", "late"]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"options": options(AFFINE, OPTION, IN_USE)}, "exactly 4 options, found 3"),
        ({"options": options(AFFINE, SOLUTION, OPTION, IN_USE)}, "least to most mature"),
        ({"options": options(OPTION, OPTION, OPTION, OPTION)}, "same level"),
        (
            {
                "options": (
                    *options(AFFINE, OPTION, SOLUTION),
                    Option(id="o0", label="x", level=IN_USE),
                )
            },
            "duplicate option id 'o0'",
        ),
        (
            {"options": options(AFFINE, OPTION, OPTION, SOLUTION), "required_for": IN_USE},
            "no option reaches cloud_is_in_use",
        ),
        ({"required_for": AFFINE}, "needs no gate"),
        ({"quick": "yes"}, "valid boolean"),
        ({"colour": "blue"}, "Extra inputs"),
    ],
)
def test_question_rules(changes: dict[str, Any], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        question("q", **changes)


def test_equal_levels_next_to_each_other_are_allowed() -> None:
    assert question("q", options=options(AFFINE, OPTION, OPTION, IN_USE)).option("o2") is not None


@pytest.mark.parametrize(
    ("questions", "message"),
    [
        ((question("a"), question("b"), question("c")), "needs 4-5 questions"),
        (tuple(question(f"q{i}") for i in range(6)), "found 6"),
        ((*(question(f"q{i}") for i in range(4)), question("q0", quick=False)), "duplicate id"),
        ((*(question(f"q{i}") for i in range(4)), question("x", dimension="e")), "unknown dim"),
        (
            (
                *(question(f"q{i}") for i in range(4)),
                question("g", quick=False, required_for=IN_USE),
            ),
            "gate question",
        ),
    ],
)
def test_questionnaire_rules(questions: tuple[Question, ...], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        Questionnaire(
            dimensions=(Dimension(id="d", name="D", description="d"),), questions=questions
        )


def test_dimension_without_questions_is_rejected() -> None:
    with pytest.raises(ValidationError, match="dimension 'empty' \\(entry 2\\): field 'id'"):
        Questionnaire(
            dimensions=(
                Dimension(id="d", name="D", description="d"),
                Dimension(id="empty", name="E", description="e"),
            ),
            questions=tuple(question(f"q{i}") for i in range(4)),
        )


def test_models_are_frozen(shipped: Catalog) -> None:
    with pytest.raises(ValidationError):
        shipped.workshops[0].name = "changed"  # type: ignore[misc]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("cloud is an option", OPTION),
        ("Cloud Is An Option", OPTION),
        ("  cloud   is an OPTION. ", OPTION),
        ("option", OPTION),
        ("an option", OPTION),
        ("opt", OPTION),
        ("2", OPTION),
        ("level 2", OPTION),
        ("in use", IN_USE),
        ("Cloud is in use", IN_USE),
        ("in-use", IN_USE),
        ("use", IN_USE),
        ("cloud_is_in_use", IN_USE),
        ("4", IN_USE),
        ("affine", AFFINE),
        ("Cloud affine", AFFINE),
        ("affin", AFFINE),
        ("1", AFFINE),
        ("solution", SOLUTION),
        ("Cloud is a solution!", SOLUTION),
        ("sol", SOLUTION),
        ("cloud_is_a_solution", SOLUTION),
        ("3", SOLUTION),
    ],
)
def test_find_level_matches_what_people_type(
    shipped: Catalog, text: str, expected: MaturityLevel
) -> None:
    assert shipped.find_level(text) == expected


@pytest.mark.parametrize(
    "text", ["", "   ", "cloud", "5", "0", "o", "so", "xyz", "option solution"]
)
def test_find_level_gives_none_for_unclear_text(shipped: Catalog, text: str) -> None:
    assert shipped.find_level(text) is None


def test_find_level_knows_a_partner_renamed_level() -> None:
    renamed = tuple(
        info.model_copy(update={"name": "Cloud explorer"}) if info.id == AFFINE else info
        for info in levels()
    )
    built = Catalog(
        levels=renamed,
        workshops=(workshop("w", *MaturityLevel),),
        questionnaire=small_questionnaire(),
    )
    assert built.find_level("explorer") == AFFINE
    assert built.find_level("affine") == AFFINE
