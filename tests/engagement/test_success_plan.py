"""The success plan (seed 004): factors with status, owner and gap; stored free text migrates;
the plan's score and summary; health counts a missing factor; typed factors."""

from __future__ import annotations

import pytest

from dialogs.commit.commitment_input import InputProblems, factors_value, typed_factors
from engagement.clock import FixedClock
from engagement.health import FactorKey, assess_health
from engagement.health_factors import Band
from engagement.models import Commitment, FactorStatus, SuccessFactor, SuccessFactors
from engagement.success_plan import factor_text, latest_plan, plan_score, plan_summary
from tests.support.portfolio import (
    NOW,
    customer,
    days_ago,
    goals,
    plan,
    run_iteration,
    touch,
)

IN_PLACE, IN_PROGRESS, MISSING = (
    FactorStatus.IN_PLACE,
    FactorStatus.IN_PROGRESS,
    FactorStatus.MISSING,
)


def test_free_text_factors_stored_before_the_plan_load_as_gaps_in_progress() -> None:
    stored = {
        "workshops": ["ads"],
        "goals": [g.model_dump(mode="json") for g in goals("One")],
        "success_factors": {"stakeholders": "  CIO sponsors it ", "scenarios": "", "awareness": ""},
        "start": "2026-12-01",
        "end": "2027-01-31",
    }
    factors = Commitment.model_validate(stored).success_factors
    assert factors.stakeholders == SuccessFactor(status=IN_PROGRESS, gap="CIO sponsors it")
    assert factors.scenarios == SuccessFactor(status=MISSING)
    assert factors.training == SuccessFactor(status=MISSING)  # not stored at all
    again = Commitment.model_validate(Commitment.model_validate(stored).model_dump(mode="json"))
    assert again.success_factors == factors  # the new shape round-trips


def test_a_commitment_without_factors_has_every_factor_missing() -> None:
    assert plan_score(SuccessFactors()) == 0.0
    assert plan_summary(SuccessFactors()) == (
        "0 of 4 in place, missing: Stakeholders, Scenarios, Awareness, Training"
    )


@pytest.mark.parametrize(
    ("statuses", "score", "summary"),
    [
        ((IN_PLACE,) * 4, 1.0, "4 of 4 in place"),
        ((IN_PLACE, IN_PROGRESS, MISSING, MISSING), 0.375, "1 of 4 in place, 1 in progress, "),
        ((IN_PROGRESS,) * 4, 0.5, "0 of 4 in place, 4 in progress"),
    ],
)
def test_the_plan_scores_in_place_1_in_progress_half_missing_0(
    statuses: tuple[FactorStatus, ...], score: float, summary: str
) -> None:
    factors = SuccessFactors(
        **{
            name: SuccessFactor(status=status)
            for name, status in zip(
                ("stakeholders", "scenarios", "awareness", "training"), statuses, strict=True
            )
        }
    )
    assert plan_score(factors) == score
    assert plan_summary(factors).startswith(summary)


def test_factor_text_shows_only_what_is_set() -> None:
    assert factor_text(SuccessFactor()) == "Missing"
    assert factor_text(SuccessFactor(status=IN_PROGRESS, owner="Ben", gap="one scenario")) == (
        "In progress · owner: Ben · gap: one scenario"
    )


def test_the_latest_plan_is_the_newest_statement_of_works() -> None:
    target = customer(created_days_ago=30)
    assert latest_plan(target) is None
    run_iteration(target, FixedClock(days_ago(20)), success_factors=plan(IN_PROGRESS))
    found = latest_plan(target)  # iteration 2 is at assess: iteration 1's plan still counts
    assert found is not None
    assert found.iteration.number == 1
    assert found.factors == plan(IN_PROGRESS)


def test_health_counts_the_plan_and_names_the_missing_factors() -> None:
    target = customer(created_days_ago=30)
    touch(target, 2)
    before = assess_health(target, NOW).factor(FactorKey.SUCCESS_PLAN)
    assert (before.missing, before.counted) == (True, False)
    assert "no statement of work with a success plan yet" in before.value

    missing = SuccessFactors(stakeholders=SuccessFactor(status=IN_PLACE))
    run_iteration(target, FixedClock(days_ago(20)), success_factors=missing)
    factor = assess_health(target, NOW).factor(FactorKey.SUCCESS_PLAN)
    assert factor.score == 0.25
    assert factor.rating == Band.RED
    assert "1 of 4 in place, missing: Scenarios, Awareness, Training" in factor.value
    assert factor.advice == "agree an owner for scenarios, awareness, training with the customer"

    healthy_plan = customer("Fabrikam", created_days_ago=30)
    touch(healthy_plan, 2)
    run_iteration(healthy_plan, FixedClock(days_ago(20)))
    full = assess_health(healthy_plan, NOW)
    assert full.factor(FactorKey.SUCCESS_PLAN).score == 1.0
    assert full.score is not None
    assert assess_health(target, NOW).score is not None
    assert assess_health(target, NOW).score < full.score  # type: ignore[operator]


@pytest.mark.parametrize(
    ("typed", "stakeholders"),
    [
        ("in place, Carla Diaz (CIO)", SuccessFactor(status=IN_PLACE, owner="Carla Diaz (CIO)")),
        (
            "IN  progress, Ben: one scenario",
            SuccessFactor(status=IN_PROGRESS, owner="Ben", gap="one scenario"),
        ),
        ("missing: nobody named", SuccessFactor(status=MISSING, gap="nobody named")),
        ("in place", SuccessFactor(status=IN_PLACE)),
        ("Carla Diaz, CIO", SuccessFactor(status=IN_PROGRESS, gap="Carla Diaz, CIO")),
        ("", SuccessFactor(status=MISSING)),
    ],
)
def test_typed_factors(typed: str, stakeholders: SuccessFactor) -> None:
    factors = factors_value(typed_factors(f"{typed} | in place"))
    assert factors.stakeholders == stakeholders
    assert factors.scenarios == SuccessFactor(status=IN_PLACE)
    assert factors.training == SuccessFactor(status=MISSING)


def test_typed_factors_with_a_part_too_many_or_too_long_are_refused() -> None:
    with pytest.raises(InputProblems, match="each as status, owner: gap"):
        typed_factors("a | b | c | d | e")
    with pytest.raises(InputProblems, match="Stakeholders: the owner is too long"):
        factors_value(typed_factors("in place, " + "x" * 201))
