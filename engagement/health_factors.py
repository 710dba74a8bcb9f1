"""The health factors one by one: each scored 0.0-1.0 from the customer's record, with what was
measured and what to do about it. Pure; `now` is passed in; imports only `engagement`.
`engagement.health` weighs them into the score (its docstring has the table of weights).

Factor scores are piecewise linear between anchor points placed on the rating thresholds
(>= 0.7 green, >= 0.4 yellow, else red):
- licenses: the worst product's utilisation u = active / licensed (capped at 1; a product used
  without licenses counts as fully used); u 0 -> 0, 25 % -> 0.4, 60 % -> 0.7, 100 % -> 1;
- satisfaction: mean of CSAT 1 -> 0, 3 -> 0.4, 4.2 -> 0.7 (the lowest average the seed's CSAT
  scoring rewards), 5 -> 1, and NPS 0 -> 0, 7 -> 0.4 (passive), 9 -> 0.7 (promoter), 10 -> 1;
- touch and phase: days 0 -> 1, the policy's days -> 0.7, twice -> 0.4, four times -> 0;
- success plan: the mean of the four success factors (in place 1, in progress 0.5, missing 0).
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import NamedTuple

from engagement.licenses import (
    LICENSE_LOW_AT,
    LICENSE_MEDIUM_AT,
    LicenseRisk,
    license_line_text,
    license_lines_in_use,
    license_risk,
    percent,
    utilisation,
)
from engagement.models import (
    Customer,
    FactorStatus,
    GoalStatus,
    Iteration,
    Phase,
    Review,
    Satisfaction,
)
from engagement.outcomes import NpsCategory, nps_category_name
from engagement.success_plan import factor_words, latest_plan, plan_score, plan_summary
from engagement.wording import day_text, days_text, decimal_text, phase_word
from i18n import _


class Band(StrEnum):
    """A customer's (or a factor's) health band."""

    GREEN = "green"
    YELLOW = "yellow"
    RED = "red"
    UNKNOWN = "unknown"


GREEN_AT = 0.7  # band and factor thresholds, on the 0-1 scale (70 and 40 on the 0-100 score)
YELLOW_AT = 0.4
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


# ---------------------------------------------------------------- small pieces


def rating_for(score: float) -> Band:
    """GREEN at >= 0.7, YELLOW at >= 0.4, else RED."""
    if score >= GREEN_AT:
        return Band.GREEN
    return Band.YELLOW if score >= YELLOW_AT else Band.RED


def _interpolate(x: float, points: Sequence[tuple[float, float]]) -> float:
    """Piecewise-linear y for x over points sorted by x; flat beyond the ends."""
    xs = [px for px, _unused in points]
    if x <= xs[0]:
        return points[0][1]
    if x >= xs[-1]:
        return points[-1][1]
    i = bisect_right(xs, x)
    (x0, y0), (x1, y1) = points[i - 1], points[i]
    return y0 + (y1 - y0) * (x - x0) / (x1 - x0)


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


# ---------------------------------------------------------------- the factors


class Draft(NamedTuple):
    """One factor as measured, before it is weighed."""

    score: float | None  # None: missing, or known but not counted
    value: str
    advice: str = ""
    missing: bool = False


def lack(what: str, advice: str = "") -> Draft:
    """A factor whose data is missing (`engagement.health` shows it as `missing: <what>`)."""
    return Draft(None, what, advice, missing=True)


def licenses_factor(customer: Customer) -> Draft:
    """License utilisation, scored by the worst line (the seed's risk per line); every line is
    shown."""
    lines = license_lines_in_use(customer)
    if not lines:
        return lack(_("no license lines recorded"), _("record licensed and active users"))
    worst = utilisation(lines[0].licensed, lines[0].active) or 0.0
    value = "; ".join(license_line_text(line) for line in lines)
    advice = ""
    if any(license_risk(line.licensed, line.active) == LicenseRisk.HIGH for line in lines):
        advice = _("plan adoption work for the unused products before the renewal")
    elif any(line.active > line.licensed for line in lines):
        advice = _("more users than licenses: an upsell conversation")
    return Draft(license_score(worst), value, advice)


def satisfaction_factor(customer: Customer) -> Draft:
    """CSAT and NPS of the latest review that has them."""
    review = latest_satisfaction(customer)
    if review is None or review.satisfaction is None:
        return lack(_("no review with CSAT/NPS yet"), _("ask for CSAT and NPS in ensure"))
    sat = review.satisfaction
    score = satisfaction_score(sat)
    value = _(
        "CSAT {csat} of 5 (overall {overall}, value {value}, team {team}), NPS {nps} ({group}), "
        "{day}"
    ).format(
        csat=decimal_text(csat_of(sat)),
        overall=sat.overall,
        value=sat.value,
        team=sat.team,
        nps=sat.nps,
        group=nps_category_name(NpsCategory(nps_group(sat.nps))),
        day=day_text(review.at),
    )
    advice = ""
    if rating_for(score) != Band.GREEN:
        # Seed 003: act on the feedback and show the customer you are listening.
        advice = (
            _('follow up on the feedback with the customer and agree what changes: "{comment}"')
            if sat.comment
            else _("follow up on the feedback with the customer and agree what changes")
        ).format(comment=sat.comment)
    return Draft(score, value, advice)


def goals_factor(customer: Customer) -> Draft:
    """Goal outcomes of the last closed iteration."""
    iteration = last_closed_iteration(customer)
    if iteration is None or iteration.review is None:
        return lack(_("no closed iteration yet"))
    outcomes = iteration.review.outcomes
    if not outcomes:
        return lack(
            _("iteration {number} closed without goal outcomes").format(number=iteration.number)
        )
    score = sum(_GOAL_CREDIT[o.status] for o in outcomes) / len(outcomes)
    counts = {status: sum(o.status == status for o in outcomes) for status in GoalStatus}
    value = _(
        "iteration {number}: {achieved} of {total} achieved, {partially} partially, {not_} not "
        "({percent})"
    ).format(
        number=iteration.number,
        achieved=counts[GoalStatus.ACHIEVED],
        total=len(outcomes),
        partially=counts[GoalStatus.PARTIALLY],
        not_=counts[GoalStatus.NOT_ACHIEVED],
        percent=percent(score),
    )
    advice = _("carry the open goals into the next iteration") if score < 1 else ""
    return Draft(score, value, advice)


def touch_factor(customer: Customer, now: datetime, policy: HealthPolicy) -> Draft:
    """Days since the last touch against the check-in policy."""
    last = last_touch_at(customer)
    if last is None:
        return lack(_("no touch recorded"), _("log calls and meetings so check-ins count"))
    days = max((now - last).days, 0)
    score = overdue_score(days, policy.check_in_days)
    value = (
        _("last touch today (policy: every {policy})")
        if days == 0
        else _("last touch {days} ago (policy: every {policy})")
    ).format(days=days_text(days), policy=days_text(policy.check_in_days))
    advice = _("check in with the customer") if days > policy.check_in_days else ""
    return Draft(score, value, advice)


def phase_factor(customer: Customer, now: datetime, policy: HealthPolicy) -> Draft:
    """Days the open iteration has been in its phase."""
    iteration = customer.current
    days = max((now - iteration.phase_changed_at).days, 0)
    phase = phase_word(iteration.phase)
    value = (
        _("{phase} since today (stalled after {stall})")
        if days == 0
        else _("{phase} for {days} (stalled after {stall})")
    ).format(phase=phase, days=days_text(days), stall=days_text(policy.stall_days))
    if iteration.phase == Phase.CLOSED:  # not reachable through the lifecycle; kept neutral
        return Draft(1.0, value, "")
    stalled = days > policy.stall_days
    advice = _("move {phase} forward or agree a date").format(phase=phase) if stalled else ""
    return Draft(overdue_score(days, policy.stall_days), value, advice)


def renewal_factor(
    customer: Customer, now: datetime, policy: HealthPolicy, others: float | None
) -> Draft:
    """The renewal within the window, weighed against the other signals (`others`)."""
    if customer.renewal_date is None:
        return lack(_("no renewal date"), _("record the renewal date"))
    days = (customer.renewal_date - now.date()).days
    day = day_text(customer.renewal_date)
    when = (
        _("renewal in {days} ({day})").format(days=days_text(days), day=day)
        if days >= 0
        else _("renewal date passed {days} ago ({day})").format(days=days_text(-days), day=day)
    )
    if days > policy.renewal_window_days:
        window = _("outside the {days}-day window, not counted")
        return Draft(None, f"{when}, {window.format(days=policy.renewal_window_days)}")
    others_score = round(others * 100) if others is not None else 0
    if others is None:
        known = _("{when}; no health signal known").format(when=when)
        return Draft(None, known, _("check in before the renewal"))
    if others >= GREEN_AT:
        strong = _("{when}; the other signals are strong ({score})")
        return Draft(1.0, strong.format(when=when, score=others_score))
    weak = _("{when} while the other signals are weak ({score} < 70): at risk")
    return Draft(
        0.0,
        weak.format(when=when, score=others_score),
        _("start the renewal conversation and fix the weak factors first"),
    )


def success_plan_factor(customer: Customer) -> Draft:
    """The four success factors of the latest statement of work (seed 004: SSAT)."""
    plan = latest_plan(customer)
    if plan is None:
        return lack(_("no statement of work with a success plan yet"))
    factors = plan.factors
    score = plan_score(factors)
    value = _("iteration {number}: {plan}").format(
        number=plan.iteration.number, plan=plan_summary(factors)
    )
    missing = factor_words(factors, FactorStatus.MISSING)
    open_ = factor_words(factors, FactorStatus.IN_PROGRESS)
    advice = ""
    if missing:
        advice = _("agree an owner for {factors} with the customer").format(factors=missing)
    elif open_:
        advice = _("close the gaps in {factors}").format(factors=open_)
    return Draft(score, value, advice)
