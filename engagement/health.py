"""Customer health: a 0-100 score, a band and a readable explanation. Pure; `now` is passed in.

Imports only the standard library and `engagement`. The score is the weighted mean of six
factors, each scored 0.0-1.0 and rated like the bands (>= 0.7 green, >= 0.4 yellow, else red):

| factor | weight | scored from |
|---|---|---|
| license utilisation | 25 | active / licensed users of each product's latest license line |
| satisfaction | 25 | CSAT (mean of overall, value, team; 1-5) and NPS (0-10) of the latest review |
| goals | 15 | goal outcomes of the last closed iteration: achieved 1, partially 0.5, not 0 |
| touch cadence | 15 | days since the last touch against the check-in policy (14 days) |
| renewal | 15 | within 90 days: 0 if the other factors are weak (< 70), 1 if strong |
| phase | 5 | days the open iteration has been in its phase (stalled after 30 days) |

The weights follow the seed's churn indicators (number of users and utilisation; NPS or CSAT)
first, then proof of execution and the regular touch the partner controls, then timing.

Factor scores are piecewise linear between anchor points placed on the rating thresholds:
- licenses: u = sum of min(active, licensed) / sum of licensed over products (a product used
  without licenses counts as fully used); u 0 -> 0, 25 % -> 0.4, 60 % -> 0.7, 100 % -> 1;
- satisfaction: mean of CSAT 1 -> 0, 3 -> 0.4, 4.2 -> 0.7 (the lowest average the seed's CSAT
  scoring rewards), 5 -> 1, and NPS 0 -> 0, 7 -> 0.4 (passive), 9 -> 0.7 (promoter), 10 -> 1;
- touch and phase: days 0 -> 1, the policy's days -> 0.7, twice -> 0.4, four times -> 0.

Missing data is shown as missing and never scored as zero: the weights are renormalised over the
factors that have data (each factor's `share` is its weight after renormalising). Renewal and
phase are *timing* factors: they say when weak health turns into risk, not whether the customer
is healthy, so they are counted only when at least one *signal* (licenses, satisfaction, goals,
touch) has data, and a renewal further away than the window is not counted at all (a distant
renewal must not lift a weak customer's score). With no signal the score is None and the band
UNKNOWN.

Band: score >= 70 green, >= 40 yellow, else red; any red factor caps the band at yellow, so one
churn indicator at High risk (0 of 85 users active) is never hidden by an average.

License risk per product (the seed's "Current Risk Assessment"), utilisation u = active / licensed:
u < 25 % High, 25 % <= u < 60 % Medium, u >= 60 % Low. More active than licensed users (the seed's
"Learning, full use": 9 active, none licensed) is Low: an upsell opportunity, not a churn risk.
60 % is the adoption rate the seed's vendor incentive rewards ("sustain customer adoption rates of
60% active usage"); the seed's rows put 36 % at Medium and 0 % at High, so High ends at 25 %.
Rows: 0/85 High, 72/85 Low, 75/85 Low, 9/0 Low, 0/3,000 High, 2,954/3,000 Low, 1,087/3,000 Medium.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import NamedTuple

from engagement.models import (
    Customer,
    GoalStatus,
    Iteration,
    LicenseLine,
    Phase,
    Review,
    Satisfaction,
)


class Band(StrEnum):
    """A customer's (or a factor's) health band."""

    GREEN = "green"
    YELLOW = "yellow"
    RED = "red"
    UNKNOWN = "unknown"


class LicenseRisk(StrEnum):
    """The seed's "Current Risk Assessment" of one license line."""

    LOW = "Low"
    MEDIUM = "Medium"
    HIGH = "High"


class FactorKey(StrEnum):
    """The six health factors."""

    LICENSES = "licenses"
    SATISFACTION = "satisfaction"
    GOALS = "goals"
    TOUCH = "touch"
    RENEWAL = "renewal"
    PHASE = "phase"


WEIGHTS: dict[FactorKey, int] = {
    FactorKey.LICENSES: 25,
    FactorKey.SATISFACTION: 25,
    FactorKey.GOALS: 15,
    FactorKey.TOUCH: 15,
    FactorKey.RENEWAL: 15,
    FactorKey.PHASE: 5,
}
LABELS: dict[FactorKey, str] = {
    FactorKey.LICENSES: "License utilisation",
    FactorKey.SATISFACTION: "Satisfaction (CSAT/NPS)",
    FactorKey.GOALS: "Goals of the last iteration",
    FactorKey.TOUCH: "Touch cadence",
    FactorKey.RENEWAL: "Renewal",
    FactorKey.PHASE: "Phase progress",
}
SIGNALS = (FactorKey.LICENSES, FactorKey.SATISFACTION, FactorKey.GOALS, FactorKey.TOUCH)
TIMING = (FactorKey.RENEWAL, FactorKey.PHASE)

GREEN_AT = 0.7  # band and factor thresholds, on the 0-1 scale (70 and 40 on the 0-100 score)
YELLOW_AT = 0.4
LICENSE_MEDIUM_AT = 0.25  # utilisation below this is High risk
LICENSE_LOW_AT = 0.6  # utilisation at or above this is Low risk
CSAT_GOOD = 4.2  # the lowest average the seed's CSAT scoring rewards
CSAT_NEUTRAL = 3.0
NPS_PROMOTER = 9  # NPS: 9-10 promoters, 7-8 passives, 0-6 detractors
NPS_PASSIVE = 7
_GOAL_CREDIT = {GoalStatus.ACHIEVED: 1.0, GoalStatus.PARTIALLY: 0.5, GoalStatus.NOT_ACHIEVED: 0.0}


@dataclass(frozen=True)
class HealthPolicy:
    """The partner's rules of thumb, in days."""

    check_in_days: int = 14  # seed 003: touch each customer at least twice a month
    renewal_window_days: int = 90  # seed 002: renewal prompts 60-90 days ahead
    stall_days: int = 30  # the same phase for longer than this is stalled


DEFAULT_POLICY = HealthPolicy()


@dataclass(frozen=True)
class Factor:
    """One factor of a health score: counted, missing, or known but not counted.

    Attributes:
        key: which factor.
        label: its name for people.
        weight: its documented weight (see WEIGHTS).
        share: its weight after renormalising over the counted factors (0.0 when not counted).
        score: 0.0-1.0, or None when not counted: data missing, or a timing factor with nothing
            to weigh (no signal, or a renewal outside the window).
        rating: GREEN/YELLOW/RED from the score, UNKNOWN when not counted.
        value: what was measured ("72 of 85 users active (85 %), Low risk") or why it is missing.
        advice: what to do about it, "" when nothing.
        missing: True when the data is missing (not merely not counted).
    """

    key: FactorKey
    label: str
    weight: int
    share: float
    score: float | None
    rating: Band
    value: str
    advice: str = ""
    missing: bool = False

    @property
    def counted(self) -> bool:
        """True when the factor counts towards the score."""
        return self.score is not None


@dataclass(frozen=True)
class Health:
    """A customer's health: score 0-100 (None when unknown), band, factors, explanation."""

    score: int | None
    band: Band
    factors: tuple[Factor, ...]
    summary: tuple[str, ...]  # the overall lines (score, band cap), without the factor lines

    @property
    def explanation(self) -> tuple[str, ...]:
        """The summary, then one line per factor: weight, value or missing, and advice."""
        return (*self.summary, *(_factor_line(f) for f in self.factors))

    def factor(self, key: FactorKey) -> Factor:
        """The factor with this key (every Health has all six)."""
        return next(factor for factor in self.factors if factor.key == key)


# ---------------------------------------------------------------- small pieces


def rating_for(score: float) -> Band:
    """GREEN at >= 0.7, YELLOW at >= 0.4, else RED."""
    if score >= GREEN_AT:
        return Band.GREEN
    return Band.YELLOW if score >= YELLOW_AT else Band.RED


def _interpolate(x: float, points: Sequence[tuple[float, float]]) -> float:
    """Piecewise-linear y for x over points sorted by x; flat beyond the ends."""
    xs = [px for px, _ in points]
    if x <= xs[0]:
        return points[0][1]
    if x >= xs[-1]:
        return points[-1][1]
    i = bisect_right(xs, x)
    (x0, y0), (x1, y1) = points[i - 1], points[i]
    return y0 + (y1 - y0) * (x - x0) / (x1 - x0)


def utilisation(licensed: int, active: int) -> float | None:
    """active / licensed capped at 1.0; 1.0 when users are active without licenses; None for 0/0."""
    if licensed <= 0:
        return 1.0 if active > 0 else None
    return min(active / licensed, 1.0)


def license_risk(licensed: int, active: int) -> LicenseRisk | None:
    """The seed's risk assessment of one license line (None when nothing is licensed or used)."""
    used = utilisation(licensed, active)
    if used is None:
        return None
    if used >= LICENSE_LOW_AT:
        return LicenseRisk.LOW
    return LicenseRisk.MEDIUM if used >= LICENSE_MEDIUM_AT else LicenseRisk.HIGH


def license_score(used: float) -> float:
    """Utilisation 0-1 to a factor score whose ratings match the risk levels (High = red)."""
    return _interpolate(
        used, [(0.0, 0.0), (LICENSE_MEDIUM_AT, YELLOW_AT), (LICENSE_LOW_AT, GREEN_AT), (1.0, 1.0)]
    )


def csat_of(satisfaction: Satisfaction) -> float:
    """The CSAT of one review: the mean of its three 1-5 ratings."""
    return (satisfaction.overall + satisfaction.value + satisfaction.team) / 3


def satisfaction_score(satisfaction: Satisfaction) -> float:
    """Mean of a CSAT part (3.0 -> 0.4, 4.2 -> 0.7) and an NPS part (7 -> 0.4, 9 -> 0.7)."""
    csat = _interpolate(
        csat_of(satisfaction),
        [(1.0, 0.0), (CSAT_NEUTRAL, YELLOW_AT), (CSAT_GOOD, GREEN_AT), (5.0, 1.0)],
    )
    nps = _interpolate(
        satisfaction.nps, [(0, 0.0), (NPS_PASSIVE, YELLOW_AT), (NPS_PROMOTER, GREEN_AT), (10, 1.0)]
    )
    return (csat + nps) / 2


def nps_group(nps: int) -> str:
    """ "promoter" (9-10), "passive" (7-8) or "detractor" (0-6)."""
    if nps >= NPS_PROMOTER:
        return "promoter"
    return "passive" if nps >= NPS_PASSIVE else "detractor"


def overdue_score(days: float, allowed: int) -> float:
    """1.0 at 0 days, 0.7 at `allowed`, 0.4 at twice, 0.0 at four times `allowed`."""
    return _interpolate(
        days, [(0, 1.0), (allowed, GREEN_AT), (2 * allowed, YELLOW_AT), (4 * allowed, 0.0)]
    )


def latest_licenses(lines: Iterable[LicenseLine]) -> list[LicenseLine]:
    """The newest line per product (products compared case-insensitively), in first-seen order."""
    latest: dict[str, LicenseLine] = {}
    for line in lines:
        key = line.product.casefold()
        if key not in latest or line.as_of >= latest[key].as_of:
            latest[key] = line
    return list(latest.values())


def latest_satisfaction(customer: Customer) -> Review | None:
    """The most recent review that recorded satisfaction, in any iteration."""
    reviews = [
        it.review
        for it in customer.iterations
        if it.review is not None and it.review.satisfaction is not None
    ]
    return max(reviews, key=lambda review: review.at, default=None)


def last_closed_iteration(customer: Customer) -> Iteration | None:
    """The most recent iteration that was closed with a review."""
    closed = [it for it in customer.iterations if it.closed_at is not None and it.review]
    return closed[-1] if closed else None


def last_touch_at(customer: Customer) -> datetime | None:
    """When the customer was last touched, or None."""
    return max((touch.at for touch in customer.touches), default=None)


def _count(n: int, unit: str = "day") -> str:
    return f"{n:,} {unit}" + ("" if abs(n) == 1 else "s")


def _pct(fraction: float) -> str:
    return f"{round(fraction * 100)} %"


# ---------------------------------------------------------------- the factors


class _Draft(NamedTuple):
    score: float | None  # None: missing, or known but not counted
    value: str
    advice: str = ""
    missing: bool = False


def _lack(what: str, advice: str = "") -> _Draft:
    return _Draft(None, f"missing: {what}", advice, missing=True)


def license_lines_in_use(customer: Customer) -> list[LicenseLine]:
    """The newest line per product that has licensed or active users, worst utilisation first."""
    lines = [line for line in latest_licenses(customer.licenses) if line.licensed or line.active]
    return sorted(lines, key=lambda line: utilisation(line.licensed, line.active) or 0.0)


def license_line_text(line: LicenseLine) -> str:
    """One line as a person reads it, with the seed's risk: `Azure: 320 of 500 licensed users
    active (64 %), Low risk`; `Microsoft 365: 9 active, none licensed, Low risk (an upsell)`."""
    risk = license_risk(line.licensed, line.active)
    if line.licensed == 0:
        return f"{line.product}: {line.active:,} active, none licensed, {risk} risk (an upsell)"
    used = utilisation(line.licensed, line.active) or 0.0
    return (
        f"{line.product}: {line.active:,} of {line.licensed:,} licensed users active "
        f"({_pct(used)}), {risk} risk"
    )


def license_utilisation(customer: Customer) -> float | None:
    """The utilisation the licenses factor scores (0.0-1.0): the customer's worst line's
    (active / licensed, capped at 1; a line used without licenses counts as fully used); None
    without license lines."""
    lines = license_lines_in_use(customer)
    return utilisation(lines[0].licensed, lines[0].active) if lines else None


def _licenses(customer: Customer) -> _Draft:
    """Scored by the worst line (the seed's risk per line); every line is shown."""
    lines = license_lines_in_use(customer)
    if not lines:
        return _lack("no license lines recorded", "record licensed and active users")
    worst = utilisation(lines[0].licensed, lines[0].active) or 0.0
    value = "; ".join(license_line_text(line) for line in lines)
    advice = ""
    if any(license_risk(line.licensed, line.active) == LicenseRisk.HIGH for line in lines):
        advice = "plan adoption work for the unused products before the renewal"
    elif any(line.active > line.licensed for line in lines):
        advice = "more users than licenses: an upsell conversation"
    return _Draft(license_score(worst), value, advice)


def _satisfaction(customer: Customer) -> _Draft:
    review = latest_satisfaction(customer)
    if review is None or review.satisfaction is None:
        return _lack("no review with CSAT/NPS yet", "ask for CSAT and NPS in ensure")
    sat = review.satisfaction
    score = satisfaction_score(sat)
    value = (
        f"CSAT {csat_of(sat):.1f} of 5 (overall {sat.overall}, value {sat.value}, "
        f"team {sat.team}), NPS {sat.nps} ({nps_group(sat.nps)}), {review.at:%d %b %Y}"
    )
    advice = ""
    if rating_for(score) != Band.GREEN:
        # Seed 003: act on the feedback and show the customer you are listening.
        advice = "follow up on the feedback with the customer and agree what changes"
        if sat.comment:
            advice += f': "{sat.comment}"'
    return _Draft(score, value, advice)


def _goals(customer: Customer) -> _Draft:
    iteration = last_closed_iteration(customer)
    if iteration is None or iteration.review is None:
        return _lack("no closed iteration yet")
    outcomes = iteration.review.outcomes
    if not outcomes:
        return _lack(f"iteration {iteration.number} closed without goal outcomes")
    score = sum(_GOAL_CREDIT[o.status] for o in outcomes) / len(outcomes)
    counts = {status: sum(o.status == status for o in outcomes) for status in GoalStatus}
    value = (
        f"iteration {iteration.number}: {counts[GoalStatus.ACHIEVED]} of {len(outcomes)} achieved, "
        f"{counts[GoalStatus.PARTIALLY]} partially, {counts[GoalStatus.NOT_ACHIEVED]} not "
        f"({_pct(score)})"
    )
    advice = "carry the open goals into the next iteration" if score < 1 else ""
    return _Draft(score, value, advice)


def _touch(customer: Customer, now: datetime, policy: HealthPolicy) -> _Draft:
    last = last_touch_at(customer)
    if last is None:
        return _lack("no touch recorded", "log calls and meetings so check-ins count")
    days = max((now - last).days, 0)
    score = overdue_score(days, policy.check_in_days)
    value = f"last touch {_count(days)} ago (policy: every {_count(policy.check_in_days)})"
    advice = "check in with the customer" if days > policy.check_in_days else ""
    return _Draft(score, value, advice)


def _phase(customer: Customer, now: datetime, policy: HealthPolicy) -> _Draft:
    iteration = customer.current
    days = max((now - iteration.phase_changed_at).days, 0)
    phase = iteration.phase.value
    value = f"{phase} for {_count(days)} (stalled after {_count(policy.stall_days)})"
    if iteration.phase == Phase.CLOSED:  # not reachable through the lifecycle; kept neutral
        return _Draft(1.0, value, "")
    advice = f"move {phase} forward or agree a date" if days > policy.stall_days else ""
    return _Draft(overdue_score(days, policy.stall_days), value, advice)


def _renewal(
    customer: Customer, now: datetime, policy: HealthPolicy, others: float | None
) -> _Draft:
    if customer.renewal_date is None:
        return _lack("no renewal date", "record the renewal date")
    days = (customer.renewal_date - now.date()).days
    when = (
        f"renewal in {_count(days)} ({customer.renewal_date:%d %b %Y})"
        if days >= 0
        else f"renewal date passed {_count(-days)} ago ({customer.renewal_date:%d %b %Y})"
    )
    if days > policy.renewal_window_days:
        window = f"outside the {policy.renewal_window_days}-day window, not counted"
        return _Draft(None, f"{when}, {window}")
    if others is None:
        return _Draft(None, f"{when}; no health signal known", "check in before the renewal")
    if others >= GREEN_AT:
        return _Draft(1.0, f"{when}; the other signals are strong ({round(others * 100)})")
    return _Draft(
        0.0,
        f"{when} while the other signals are weak ({round(others * 100)} < 70): at risk",
        "start the renewal conversation and fix the weak factors first",
    )


def _weighted(scores: dict[FactorKey, float]) -> float | None:
    total = sum(WEIGHTS[key] for key in scores)
    if not total:
        return None
    return sum(WEIGHTS[key] * score for key, score in scores.items()) / total


# ---------------------------------------------------------------- the score


def assess_health(
    customer: Customer, now: datetime, policy: HealthPolicy = DEFAULT_POLICY
) -> Health:
    """The customer's health at `now` (an aware datetime), under `policy`."""
    drafts: dict[FactorKey, _Draft] = {
        FactorKey.LICENSES: _licenses(customer),
        FactorKey.SATISFACTION: _satisfaction(customer),
        FactorKey.GOALS: _goals(customer),
        FactorKey.TOUCH: _touch(customer, now, policy),
        FactorKey.PHASE: _phase(customer, now, policy),
    }
    has_signal = any(drafts[key].score is not None for key in SIGNALS)
    others = _weighted({k: d.score for k, d in drafts.items() if d.score is not None})
    drafts[FactorKey.RENEWAL] = _renewal(customer, now, policy, others if has_signal else None)

    scored: dict[FactorKey, float] = {}
    for key, draft in drafts.items():
        if draft.score is not None and (has_signal or key not in TIMING):
            scored[key] = draft.score
    total = sum(WEIGHTS[key] for key in scored)
    factors = tuple(
        _factor(key, drafts[key], scored.get(key), WEIGHTS[key] / total if key in scored else 0.0)
        for key in FactorKey
    )
    overall = _weighted(scored)
    if overall is None:
        return Health(None, Band.UNKNOWN, factors, _summary(None, Band.UNKNOWN, factors))
    score = round(overall * 100)
    band = rating_for(score / 100)
    if band == Band.GREEN and any(f.rating == Band.RED for f in factors):
        band = Band.YELLOW
    return Health(score, band, factors, _summary(score, band, factors))


def _factor(key: FactorKey, draft: _Draft, scored: float | None, share: float) -> Factor:
    value = draft.value
    if scored is None and key in TIMING and not draft.missing and " not counted" not in value:
        value += " (not counted: no health signal to weigh it against)"
    return Factor(
        key=key,
        label=LABELS[key],
        weight=WEIGHTS[key],
        share=share,
        score=scored,
        rating=rating_for(scored) if scored is not None else Band.UNKNOWN,
        value=value,
        advice=draft.advice,
        missing=draft.missing,
    )


def _summary(score: int | None, band: Band, factors: Sequence[Factor]) -> tuple[str, ...]:
    scored = [f for f in factors if f.counted]
    if score is None:
        return (
            "Health unknown: no license, satisfaction, goal or touch data yet. "
            "Missing data is not counted as bad.",
        )
    lines = [
        f"Score {score} of 100 ({band.value}) from {len(scored)} of {len(factors)} factors; "
        "the weights of factors not counted are shared among the others."
    ]
    red = [f.label for f in scored if f.rating == Band.RED]
    if red and score >= GREEN_AT * 100:
        lines.append(f"Band capped at yellow: {', '.join(red)} rated red.")
    return tuple(lines)


def _factor_line(factor: Factor) -> str:
    if factor.score is None:
        weight = f"weight {factor.weight}, {'missing' if factor.missing else 'not counted'}"
    else:
        weight = (
            f"{round(factor.score * 100)} points, weight {factor.weight} ({_pct(factor.share)})"
        )
    line = f"{factor.label} [{weight}]: {factor.value}"
    return line + (f". Next: {factor.advice}" if factor.advice else "")
