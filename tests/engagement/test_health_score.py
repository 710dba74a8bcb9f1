"""Customer health: the seed's license rows, each factor's table, missing data, bands, renewal."""

from __future__ import annotations

from datetime import timedelta

import pytest

from engagement.clock import FixedClock
from engagement.health import SIGNALS, TIMING, WEIGHTS, FactorKey, assess_health
from engagement.health_factors import (
    Band,
    HealthPolicy,
    license_score,
    overdue_score,
    rating_for,
    satisfaction_score,
)
from engagement.licenses import LicenseRisk, license_risk, utilisation
from engagement.models import Customer, GoalStatus, Satisfaction
from i18n import use_language
from tests.support.portfolio import (
    NOW,
    TODAY,
    customer,
    days_ago,
    healthy,
    license_line,
    run_iteration,
    satisfied,
    touch,
)

# ---------------------------------------------------------------- license utilisation


@pytest.mark.parametrize(
    ("product", "licensed", "active", "risk"),
    [
        # The seed's license compliance tables, row by row (blank cells are 0).
        ("Users - 360 Degree Reviews", 85, 0, LicenseRisk.HIGH),
        ("Users - Goal Management", 85, 72, LicenseRisk.LOW),
        ("Users - Performance Management", 85, 75, LicenseRisk.LOW),
        ("Users - Learning, full use", 0, 9, LicenseRisk.LOW),
        ("Users - 360 Degree Reviews", 3_000, 0, LicenseRisk.HIGH),
        ("Users - Compensation", 3_000, 2_954, LicenseRisk.LOW),
        ("Users - Goal Management", 3_000, 1_087, LicenseRisk.MEDIUM),
        ("Users - Performance Management", 3_000, 2_959, LicenseRisk.LOW),
        ("Users - Variable Pay", 3_000, 0, LicenseRisk.HIGH),
    ],
)
def test_seed_license_rows_get_the_seed_risk(
    product: str, licensed: int, active: int, risk: LicenseRisk
) -> None:
    assert license_risk(licensed, active) == risk, product


@pytest.mark.parametrize(
    ("licensed", "active", "risk"),
    [
        (100, 24, LicenseRisk.HIGH),
        (100, 25, LicenseRisk.MEDIUM),
        (100, 59, LicenseRisk.MEDIUM),
        (100, 60, LicenseRisk.LOW),
        (100, 100, LicenseRisk.LOW),
        (100, 130, LicenseRisk.LOW),  # more users than licenses: upsell, not churn
        (1, 0, LicenseRisk.HIGH),
    ],
)
def test_license_risk_thresholds_are_25_and_60_percent(
    licensed: int, active: int, risk: LicenseRisk
) -> None:
    assert license_risk(licensed, active) == risk


def test_nothing_licensed_and_nothing_used_has_no_risk() -> None:
    assert utilisation(0, 0) is None
    assert license_risk(0, 0) is None


@pytest.mark.parametrize(
    ("used", "band"),
    [
        (0.0, Band.RED),
        (0.2499, Band.RED),
        (0.25, Band.YELLOW),
        (0.5999, Band.YELLOW),
        (0.6, Band.GREEN),
        (1.0, Band.GREEN),
    ],
)
def test_license_factor_ratings_match_the_risk_levels(used: float, band: Band) -> None:
    assert rating_for(license_score(used)) == band


def test_customer_license_factor_is_the_worst_latest_line_of_each_product() -> None:
    target = customer()
    touch(target, 1)
    target.licenses = [
        license_line("Users - 360 Degree Reviews", 3_000, 0),
        license_line("Users - Compensation", 3_000, 2_954),
        license_line("Users - Goal Management", 3_000, 3_000, TODAY - timedelta(days=90)),
        license_line("users - goal management", 3_000, 1_087),  # newer line, same product
        license_line("Users - Performance Management", 3_000, 2_959),
        license_line("Users - Variable Pay", 3_000, 0),
    ]
    factor = assess_health(target, NOW).factor(FactorKey.LICENSES)
    assert factor.value.startswith(  # worst line first; every product's latest line shown
        "Users - 360 Degree Reviews: 0 of 3,000 licensed users active (0 %), High risk"
    )
    assert "users - goal management: 1,087 of 3,000 licensed users active (36 %)" in factor.value
    assert "Users - Goal Management: 3,000" not in factor.value  # an older line
    assert factor.rating == Band.RED  # scored by the worst line
    assert factor.advice


def test_more_users_than_licenses_is_low_risk_and_suggests_an_upsell() -> None:
    target = customer()
    target.licenses = [license_line("Users - Learning, full use", 0, 9)]
    factor = assess_health(target, NOW).factor(FactorKey.LICENSES)
    assert factor.score == 1.0
    assert "Low risk" in factor.value
    assert "upsell" in factor.advice


# ---------------------------------------------------------------- the other factors


@pytest.mark.parametrize(
    ("answer", "band"),
    [
        (satisfied(5, 5, 5, 10), Band.GREEN),
        (satisfied(4, 4, 5, 9), Band.GREEN),  # CSAT 4.3 (>= 4.2) and a promoter
        (satisfied(3, 3, 3, 7), Band.YELLOW),
        (satisfied(4, 4, 4, 6), Band.YELLOW),  # good CSAT, but a detractor
        (satisfied(2, 2, 2, 3), Band.RED),
        (satisfied(1, 1, 1, 0), Band.RED),
    ],
)
def test_satisfaction_table(answer: Satisfaction, band: Band) -> None:
    assert rating_for(satisfaction_score(answer)) == band


@pytest.mark.parametrize(
    ("days", "band"),
    [
        (0, Band.GREEN),
        (14, Band.GREEN),
        (15, Band.YELLOW),
        (28, Band.YELLOW),
        (29, Band.RED),
        (56, Band.RED),
    ],
)
def test_touch_cadence_against_the_14_day_policy(days: int, band: Band) -> None:
    target = customer(created_days_ago=2)
    touch(target, days)
    factor = assess_health(target, NOW).factor(FactorKey.TOUCH)
    assert factor.rating == band
    assert f"last touch {days} day" in factor.value if days else "last touch today" in factor.value
    assert bool(factor.advice) == (days > 14)
    assert overdue_score(56, 14) == 0.0


def test_the_check_in_policy_is_configurable() -> None:
    target = customer()
    touch(target, 20)
    assert assess_health(target, NOW).factor(FactorKey.TOUCH).rating == Band.YELLOW
    weekly = HealthPolicy(check_in_days=30)
    assert assess_health(target, NOW, weekly).factor(FactorKey.TOUCH).rating == Band.GREEN


@pytest.mark.parametrize(
    ("days", "band", "stalled"),
    [
        (5, Band.GREEN, False),
        (30, Band.GREEN, False),
        (31, Band.YELLOW, True),
        (60, Band.YELLOW, True),
        (61, Band.RED, True),
    ],
)
def test_same_phase_over_30_days_is_stalled(days: int, band: Band, stalled: bool) -> None:
    target = customer(created_days_ago=days)
    touch(target, 1)
    factor = assess_health(target, NOW).factor(FactorKey.PHASE)
    assert factor.rating == band
    assert f"assess for {days} days" in factor.value
    assert bool(factor.advice) == stalled


@pytest.mark.parametrize(
    ("outcomes", "score"),
    [
        ((GoalStatus.ACHIEVED,), 1.0),
        ((GoalStatus.PARTIALLY,), 0.5),
        ((GoalStatus.NOT_ACHIEVED,), 0.0),
        ((GoalStatus.ACHIEVED, GoalStatus.PARTIALLY, GoalStatus.NOT_ACHIEVED), 0.5),
        ((GoalStatus.ACHIEVED, GoalStatus.ACHIEVED, GoalStatus.PARTIALLY), 2.5 / 3),
    ],
)
def test_goals_of_the_last_closed_iteration(outcomes: tuple[GoalStatus, ...], score: float) -> None:
    target = customer(created_days_ago=20)
    run_iteration(target, FixedClock(days_ago(10)), outcomes=outcomes)
    factor = assess_health(target, NOW).factor(FactorKey.GOALS)
    assert factor.score == pytest.approx(score)
    assert f"{sum(o == GoalStatus.ACHIEVED for o in outcomes)} of {len(outcomes)} achieved" in (
        factor.value
    )


def test_only_the_last_closed_iteration_counts_for_goals() -> None:
    target = customer(created_days_ago=40)
    run_iteration(target, FixedClock(days_ago(30)), outcomes=(GoalStatus.NOT_ACHIEVED,))
    run_iteration(target, FixedClock(days_ago(10)), outcomes=(GoalStatus.ACHIEVED,))
    factor = assess_health(target, NOW).factor(FactorKey.GOALS)
    assert factor.score == 1.0
    assert factor.value.startswith("iteration 2:")


def test_the_latest_review_with_satisfaction_counts() -> None:
    target = customer(created_days_ago=60)
    run_iteration(target, FixedClock(days_ago(50)), satisfaction=satisfied(1, 1, 1, 0))
    run_iteration(target, FixedClock(days_ago(30)), satisfaction=satisfied(5, 5, 5, 10))
    run_iteration(target, FixedClock(days_ago(10)), satisfaction=None)  # no survey this time
    factor = assess_health(target, NOW).factor(FactorKey.SATISFACTION)
    assert factor.score == 1.0
    assert "NPS 10 (promoter)" in factor.value


def test_weak_feedback_asks_to_act_on_it_and_quotes_the_comment() -> None:
    target = customer(created_days_ago=20)
    answer = Satisfaction(overall=2, value=2, team=3, nps=4, comment="Too slow to respond")
    run_iteration(target, FixedClock(days_ago(10)), satisfaction=answer)
    factor = assess_health(target, NOW).factor(FactorKey.SATISFACTION)
    assert factor.rating == Band.RED
    assert "follow up on the feedback" in factor.advice
    assert factor.advice.endswith(': "Too slow to respond"')
    with use_language("de"):
        german = assess_health(target, NOW).factor(FactorKey.SATISFACTION)
    assert german.advice.endswith(": „Too slow to respond“")


# ---------------------------------------------------------------- missing data and the score


def test_a_customer_with_no_data_is_unknown_not_red() -> None:
    health = assess_health(customer(), NOW)
    assert health.score is None
    assert health.band == Band.UNKNOWN
    assert not any(factor.counted for factor in health.factors)
    for key in [*SIGNALS, FactorKey.RENEWAL]:
        assert health.factor(key).missing
        assert health.factor(key).value.startswith("missing")
    assert not health.factor(FactorKey.PHASE).missing  # known, but nothing to weigh it against
    assert "not counted: no health signal" in health.factor(FactorKey.PHASE).value
    assert health.summary[0].startswith("Health unknown")


def test_timing_alone_is_not_health_data() -> None:
    target = customer(created_days_ago=90)
    target.renewal_date = TODAY + timedelta(days=10)
    health = assess_health(target, NOW)
    assert health.band == Band.UNKNOWN
    for key in TIMING:
        assert not health.factor(key).counted
        assert not health.factor(key).missing
        assert "not counted: no health signal" in health.factor(key).value


def test_missing_factors_share_their_weight_instead_of_scoring_zero() -> None:
    target = customer(created_days_ago=1)
    touch(target, 0)
    health = assess_health(target, NOW)
    scored = [f for f in health.factors if f.counted]
    assert {f.key for f in scored} == {FactorKey.TOUCH, FactorKey.PHASE}
    assert sum(f.share for f in scored) == pytest.approx(1.0)
    assert health.factor(FactorKey.TOUCH).share == pytest.approx(15 / 20)
    assert all(f.share == 0 for f in health.factors if not f.counted)
    assert health.band == Band.GREEN
    assert health.score is not None
    assert health.score >= 95


def test_weights_are_documented_and_sum_to_100() -> None:
    assert sum(WEIGHTS.values()) == 100
    assert set(WEIGHTS) == set(FactorKey)


def test_a_healthy_customer_is_green_and_every_factor_is_explained() -> None:
    health = assess_health(healthy(renewal_days=60), NOW)
    assert health.band == Band.GREEN
    assert health.score is not None
    assert health.score >= 90
    assert all(f.counted for f in health.factors)
    lines = health.explanation
    assert len(lines) == len(health.summary) + len(FactorKey)
    for factor in health.factors:
        assert any(line.startswith(factor.label) for line in lines), factor.label
        assert any(f"weight {factor.weight}" in line for line in lines)


def test_missing_factors_are_named_as_missing_in_the_explanation() -> None:
    target = customer()
    touch(target, 3)
    lines = assess_health(target, NOW).explanation
    assert "License utilisation [weight 25, missing]: missing: no license lines recorded" in (
        "\n".join(lines)
    )
    assert any(line.startswith("Satisfaction (CSAT/NPS) [weight 20, missing]") for line in lines)


def test_one_red_churn_indicator_caps_the_band_at_yellow() -> None:
    target = healthy()
    target.touches = []
    touch(target, 40)  # nobody checked in for almost six weeks
    health = assess_health(target, NOW)
    assert health.factor(FactorKey.TOUCH).rating == Band.RED
    assert health.score is not None
    assert health.score >= 70
    assert health.band == Band.YELLOW
    assert any("capped at yellow" in line for line in health.summary)


def _weak(renewal_days: int) -> Band:
    target = customer(created_days_ago=25)
    run_iteration(
        target,
        FixedClock(days_ago(20)),
        outcomes=(GoalStatus.PARTIALLY,),
        satisfaction=satisfied(3, 3, 3, 7),
    )
    target.licenses = [license_line("Users - Goal Management", 3_000, 1_087)]
    touch(target, 20)
    target.renewal_date = TODAY + timedelta(days=renewal_days)
    health = assess_health(target, NOW)
    assert health.score is not None
    return health.factor(FactorKey.RENEWAL).rating


def test_renewal_within_90_days_with_weak_signals_is_a_risk() -> None:
    assert _weak(200) == Band.UNKNOWN  # outside the window: not counted
    assert _weak(91) == Band.UNKNOWN
    assert _weak(90) == Band.RED
    assert _weak(10) == Band.RED
    assert _weak(-5) == Band.RED  # the date passed: still a risk, and it needs updating


def test_renewal_risk_lowers_the_score_of_a_weak_customer() -> None:
    def score(days: int) -> tuple[int | None, Band]:
        target = customer(created_days_ago=25)
        run_iteration(target, FixedClock(days_ago(20)), satisfaction=satisfied(3, 3, 3, 7))
        touch(target, 20)
        target.renewal_date = TODAY + timedelta(days=days)
        health = assess_health(target, NOW)
        return health.score, health.band

    far, near = score(200), score(30)
    assert far[0] is not None
    assert near[0] is not None
    assert near[0] < far[0] - 10
    assert "at risk" in assess_health(_near_weak(), NOW).factor(FactorKey.RENEWAL).value


def _near_weak() -> Customer:
    target = customer(created_days_ago=25)
    touch(target, 40)
    target.renewal_date = TODAY + timedelta(days=30)
    return target


def test_renewal_near_with_strong_signals_is_fine() -> None:
    target = healthy(renewal_days=30)
    factor = assess_health(target, NOW).factor(FactorKey.RENEWAL)
    assert factor.rating == Band.GREEN
    assert "other signals are strong" in factor.value


def test_a_distant_renewal_does_not_lift_a_weak_score() -> None:
    def score(renewal_days: int | None) -> int | None:
        target = customer()
        target.licenses = [license_line("Users - 360 Degree Reviews", 85, 0)]
        if renewal_days is not None:
            target.renewal_date = TODAY + timedelta(days=renewal_days)
        return assess_health(target, NOW).score

    assert score(None) == score(400)
    renewal = assess_health(healthy(renewal_days=400), NOW).factor(FactorKey.RENEWAL)
    assert "outside the 90-day window, not counted" in renewal.value
    assert (renewal.counted, renewal.missing) == (False, False)
