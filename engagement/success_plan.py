"""The success plan (seed 004): the four success factors (SSAT: stakeholders, scenarios,
awareness, training), each with a status, an owner and the gap left; and the success metrics, the
goals' KPIs with a baseline, a target and the value measured at ensure. Pure; imports only
`engagement`.

A factor in place counts 1, in progress 0.5, missing 0; the plan's score is their mean, so a plan
with every factor in place scores 1.0 and one with none of them 0.0.
"""

from __future__ import annotations

from dataclasses import dataclass

from engagement.models import (
    Customer,
    FactorStatus,
    Goal,
    GoalOutcome,
    Iteration,
    SuccessFactor,
    SuccessFactors,
)
from i18n import N_, _

FACTOR_NAMES = ("stakeholders", "scenarios", "awareness", "training")
FACTOR_TITLES = {  # shown through factor_title
    "stakeholders": N_("Stakeholders"),
    "scenarios": N_("Scenarios"),
    "awareness": N_("Awareness"),
    "training": N_("Training"),
}
FACTOR_WORDS = {  # the names inside a sentence, shown through factor_words
    "stakeholders": N_("stakeholders"),
    "scenarios": N_("scenarios"),
    "awareness": N_("awareness"),
    "training": N_("training"),
}
STATUS_TITLES = {
    FactorStatus.MISSING: N_("Missing"),
    FactorStatus.IN_PROGRESS: N_("In progress"),
    FactorStatus.IN_PLACE: N_("In place"),
}
STATUS_CREDIT = {
    FactorStatus.IN_PLACE: 1.0,
    FactorStatus.IN_PROGRESS: 0.5,
    FactorStatus.MISSING: 0.0,
}


def factor_title(name: str) -> str:
    """A factor's name in the turn's language ("Stakeholders")."""
    return _(FACTOR_TITLES[name])


def status_title(status: FactorStatus) -> str:
    """A status in the turn's language ("In progress")."""
    return _(STATUS_TITLES[status])


@dataclass(frozen=True)
class PlanOf:
    """A customer's latest success plan and the iteration whose statement of work holds it."""

    iteration: Iteration
    factors: SuccessFactors


def factors_of(plan: SuccessFactors) -> list[tuple[str, SuccessFactor]]:
    """The four factors by name, in SSAT order."""
    return [(name, getattr(plan, name)) for name in FACTOR_NAMES]


def latest_plan(customer: Customer) -> PlanOf | None:
    """The success plan of the newest iteration with a statement of work, or None."""
    for iteration in reversed(customer.iterations):
        if iteration.commitment is not None:
            return PlanOf(iteration, iteration.commitment.success_factors)
    return None


def plan_score(plan: SuccessFactors) -> float:
    """0.0 (every factor missing) .. 1.0 (every factor in place)."""
    factors = factors_of(plan)
    return sum(STATUS_CREDIT[factor.status] for _name, factor in factors) / len(factors)


def with_status(plan: SuccessFactors, status: FactorStatus) -> list[str]:
    """The titles of the factors with this status, in SSAT order."""
    return [factor_title(name) for name, factor in factors_of(plan) if factor.status is status]


def factor_words(plan: SuccessFactors, status: FactorStatus) -> str:
    """The factors with this status named inside a sentence: `scenarios, training` / `Szenarien,
    Schulung`; "" when none."""
    names = [name for name, factor in factors_of(plan) if factor.status is status]
    return ", ".join(_(FACTOR_WORDS[name]) for name in names)


def factor_text(factor: SuccessFactor) -> str:
    """`In progress · owner: Carla Diaz · gap: no sponsor yet` (only the parts that are set)."""
    parts = [status_title(factor.status)]
    if factor.owner:
        parts.append(_("owner: {owner}").format(owner=factor.owner))
    if factor.gap:
        parts.append(_("gap: {gap}").format(gap=factor.gap))
    return " · ".join(parts)


def plan_summary(plan: SuccessFactors) -> str:
    """`2 of 4 in place, 1 in progress, missing: Training`."""
    in_place = with_status(plan, FactorStatus.IN_PLACE)
    in_progress = with_status(plan, FactorStatus.IN_PROGRESS)
    missing = with_status(plan, FactorStatus.MISSING)
    parts = [_("{n} of {total} in place").format(n=len(in_place), total=len(FACTOR_NAMES))]
    if in_progress:
        parts.append(_("{n} in progress").format(n=len(in_progress)))
    if missing:
        parts.append(_("missing: {factors}").format(factors=", ".join(missing)))
    return ", ".join(parts)


def metric_text(goal: Goal, outcome: GoalOutcome | None = None) -> str:
    """The goal's success metric: `baseline 40 % → target 95 % → measured 90 %`; "" when none of
    the three is known."""
    measured = outcome.measured if outcome else ""
    if not (goal.baseline or goal.target or measured):
        return ""
    parts = [
        _("baseline {value}").format(value=goal.baseline or "-"),
        _("target {value}").format(value=goal.target or "-"),
    ]
    if outcome is not None:
        parts.append(_("measured {value}").format(value=measured or "-"))
    return " → ".join(parts)


def kpi_text(goal: Goal, outcome: GoalOutcome | None = None) -> str:
    """The goal's KPI with its success metric: `share tagged · baseline 40 % → target 95 %`."""
    metric = metric_text(goal, outcome)
    return f"{goal.kpi} · {metric}" if metric else goal.kpi
