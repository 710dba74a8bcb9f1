"""Proof of execution figures: achievement, CSAT, NPS bands, follow-up flags."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from engagement.models import (
    Commitment,
    Goal,
    GoalOutcome,
    GoalOwnerSide,
    GoalStatus,
    Person,
    Review,
    Satisfaction,
)
from engagement.outcomes import NpsCategory, csat_average, nps_category, proof_of_execution

NOW = datetime(2027, 2, 1, tzinfo=UTC)


def _goal(n: int) -> Goal:
    return Goal(
        id=f"g{n}",
        title=f"Goal {n}",
        kpi="k",
        owner_side=GoalOwnerSide.PARTNER,
        due=date(2027, 1, 1),
    )


def _commitment(goals: int) -> Commitment:
    return Commitment(
        workshops=["ads"],
        goals=[_goal(n) for n in range(1, goals + 1)],
        start=date(2026, 12, 1),
        end=date(2027, 1, 31),
    )


def _review(statuses: list[GoalStatus], satisfaction: Satisfaction | None) -> Review:
    return Review(
        outcomes=[GoalOutcome(goal_id=f"g{n}", status=s) for n, s in enumerate(statuses, start=1)],
        satisfaction=satisfaction,
        by=Person(id="ada"),
        at=NOW,
    )


@pytest.mark.parametrize(
    ("score", "category"),
    [
        (0, NpsCategory.DETRACTOR),
        (6, NpsCategory.DETRACTOR),
        (7, NpsCategory.PASSIVE),
        (8, NpsCategory.PASSIVE),
        (9, NpsCategory.PROMOTER),
        (10, NpsCategory.PROMOTER),
    ],
)
def test_nps_bands(score: int, category: NpsCategory) -> None:
    assert nps_category(score) is category


def test_achievement_counts_partial_as_half_and_missing_as_not() -> None:
    proof = proof_of_execution(
        _commitment(4),
        _review([GoalStatus.ACHIEVED, GoalStatus.PARTIALLY, GoalStatus.NOT_ACHIEVED], None),
    )
    assert proof.achievement_rate == 0.375
    assert proof.csat is None
    assert proof.nps_category is None
    assert not proof.needs_follow_up


def test_detractor_is_flagged_for_follow_up() -> None:
    proof = proof_of_execution(
        _commitment(1),
        _review([GoalStatus.ACHIEVED], Satisfaction(overall=5, value=5, team=5, nps=0)),
    )
    assert proof.needs_follow_up
    assert "detractor" in proof.reasons[0]


def test_low_csat_is_flagged_and_a_promoter_with_good_csat_is_not() -> None:
    low = Satisfaction(overall=2, value=3, team=3, nps=10)
    assert csat_average(low) == 2.67
    assert proof_of_execution(_commitment(1), _review([GoalStatus.ACHIEVED], low)).needs_follow_up
    good = Satisfaction(overall=3, value=3, team=3, nps=10)
    assert not proof_of_execution(
        _commitment(1), _review([GoalStatus.ACHIEVED], good)
    ).needs_follow_up
