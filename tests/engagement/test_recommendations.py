"""Recommendations: the level's workshops by rank, then adjacent levels, growth first."""

from __future__ import annotations

import pytest

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
from engagement.recommendations import recommend

AFFINE, OPTION, SOLUTION, IN_USE = list(MaturityLevel)


def workshop(wid: str, *levels: MaturityLevel, rank: int) -> Workshop:
    return Workshop(
        id=wid,
        name=wid,
        levels=levels,
        summary="s",
        outcomes=("o",),
        duration="1 day",
        audience="a",
        format="hybrid",
        link="https://example.org/",
        rank=rank,
    )


def questionnaire() -> Questionnaire:
    options = tuple(Option(id=f"o{lvl.rank}", label="x", level=lvl) for lvl in MaturityLevel)
    return Questionnaire(
        dimensions=(Dimension(id="d", name="D", description="d"),),
        questions=tuple(
            Question(id=f"q{i}", dimension="d", text="?", quick=True, options=options)
            for i in range(4)
        ),
    )


@pytest.fixture
def catalog() -> Catalog:
    """a1, a2 at affine; o1 at option; s1..s3 at solution (s3 also in use); u1, u2 at in use."""
    return Catalog(
        levels=tuple(
            LevelInfo(id=lvl, name=lvl.label, description="d", signals=("s",))
            for lvl in MaturityLevel
        ),
        workshops=(
            workshop("a2", AFFINE, rank=2),
            workshop("a1", AFFINE, rank=1),
            workshop("o1", OPTION, rank=1),
            workshop("s3", SOLUTION, IN_USE, rank=3),
            workshop("s1", SOLUTION, rank=1),
            workshop("s2", SOLUTION, rank=2),
            workshop("u2", IN_USE, rank=2),
            workshop("u1", IN_USE, rank=1),
        ),
        questionnaire=questionnaire(),
    )


def ids(workshops: list[Workshop]) -> list[str]:
    return [w.id for w in workshops]


@pytest.mark.parametrize(
    ("level", "limit", "expected"),
    [
        pytest.param(SOLUTION, 3, ["s1", "s2", "s3"], id="own-level-by-rank"),
        pytest.param(SOLUTION, 2, ["s1", "s2"], id="own-level-cut-at-limit"),
        pytest.param(AFFINE, 4, ["a1", "a2", "o1"], id="fills-with-next-level-up-only-adjacent"),
        pytest.param(OPTION, 4, ["o1", "s1", "s2", "s3"], id="growth-path-first"),
        pytest.param(OPTION, 10, ["o1", "s1", "s2", "s3", "a1", "a2"], id="then-level-below"),
        pytest.param(IN_USE, 4, ["u1", "u2", "s3", "s1"], id="top-level-fills-from-below"),
        pytest.param(SOLUTION, 10, ["s1", "s2", "s3", "u1", "u2", "o1"], id="no-duplicates"),
        pytest.param(SOLUTION, 0, [], id="zero-limit"),
    ],
)
def test_recommend(catalog: Catalog, level: MaturityLevel, limit: int, expected: list[str]) -> None:
    assert ids(recommend(catalog, level, limit=limit)) == expected


@pytest.mark.parametrize(
    ("previous", "expected"),
    [
        pytest.param(None, ["o1", "s1", "s2", "s3"], id="first-assessment-grows"),
        pytest.param(AFFINE, ["o1", "s1", "s2", "s3"], id="moved-up-grows"),
        pytest.param(OPTION, ["o1", "s1", "s2", "s3"], id="same-level-grows"),
        pytest.param(SOLUTION, ["o1", "a1", "a2", "s1"], id="stepped-back-reinforces-basics"),
        pytest.param(IN_USE, ["o1", "a1", "a2", "s1"], id="stepped-far-back"),
    ],
)
def test_previous_level_decides_which_neighbour_comes_first(
    catalog: Catalog, previous: MaturityLevel | None, expected: list[str]
) -> None:
    assert ids(recommend(catalog, OPTION, previous_level=previous)) == expected


def test_default_limit_is_four(catalog: Catalog) -> None:
    assert len(recommend(catalog, OPTION)) == 4


@pytest.mark.parametrize("level", list(MaturityLevel))
def test_shipped_catalog_recommends_the_levels_own_workshops_first(level: MaturityLevel) -> None:
    shipped = load_catalog()
    own = shipped.workshops_for(level)
    chosen = recommend(shipped, level)
    assert len(chosen) == 4
    assert chosen[: len(own)] == own[:4]
    assert len({w.id for w in chosen}) == len(chosen)
    for extra in chosen[len(own) :]:
        assert any(abs(lvl.rank - level.rank) == 1 for lvl in extra.levels)
