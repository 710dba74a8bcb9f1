"""Proof of execution: how far the committed goals were reached, and how satisfied the customer is.

- Achievement rate: achieved counts 1, partially 0.5, not achieved 0, over the committed goals.
- CSAT: the mean of overall satisfaction, value for the effort and the team's performance (1-5).
- NPS category (0-10): 9-10 promoter, 7-8 passive, 0-6 detractor.
- A review needs follow-up when the customer is a detractor or the CSAT mean is below 3.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from engagement.models import Commitment, GoalStatus, Review, Satisfaction
from i18n import N_, _
from i18n.formats import format_fixed

_GOAL_CREDIT = {GoalStatus.ACHIEVED: 1.0, GoalStatus.PARTIALLY: 0.5, GoalStatus.NOT_ACHIEVED: 0.0}
FOLLOW_UP_CSAT_BELOW = 3.0


class NpsCategory(StrEnum):
    """Net Promoter Score bands."""

    PROMOTER = "promoter"
    PASSIVE = "passive"
    DETRACTOR = "detractor"


_NPS_CATEGORY_NAMES = {
    NpsCategory.PROMOTER: N_("promoter"),
    NpsCategory.PASSIVE: N_("passive"),
    NpsCategory.DETRACTOR: N_("detractor"),
}


def nps_category_name(category: NpsCategory) -> str:
    """`promoter` / `Promoter`, `detractor` / `Kritiker` in the turn's language."""
    return _(_NPS_CATEGORY_NAMES[category])


def csat_text(csat: float) -> str:
    """A CSAT mean with one decimal: `4.7` / `4,7`."""
    return format_fixed(csat, 1)


def nps_category(score: int) -> NpsCategory:
    """9-10 promoter, 7-8 passive, 0-6 detractor."""
    if score >= 9:
        return NpsCategory.PROMOTER
    if score >= 7:
        return NpsCategory.PASSIVE
    return NpsCategory.DETRACTOR


def csat_average(satisfaction: Satisfaction) -> float:
    """Mean of the three CSAT answers, 1.0-5.0."""
    return round((satisfaction.overall + satisfaction.value + satisfaction.team) / 3, 2)


def achievement_rate(commitment: Commitment, review: Review) -> float:
    """0.0-1.0 over the committed goals; a goal without an outcome counts as not achieved."""
    outcomes = {outcome.goal_id: outcome.status for outcome in review.outcomes}
    if not commitment.goals:
        return 0.0
    credit = sum(
        _GOAL_CREDIT[outcomes.get(g.id, GoalStatus.NOT_ACHIEVED)] for g in commitment.goals
    )
    return round(credit / len(commitment.goals), 3)


@dataclass(frozen=True)
class ProofOfExecution:
    """The figures of one reviewed iteration."""

    achievement_rate: float
    csat: float | None
    nps: int | None
    nps_category: NpsCategory | None
    needs_follow_up: bool
    reasons: tuple[str, ...]  # in the turn's language: computed when shown, never stored


def proof_of_execution(commitment: Commitment, review: Review) -> ProofOfExecution:
    """Achievement, satisfaction and whether the partner must follow up (and why)."""
    satisfaction = review.satisfaction
    csat = csat_average(satisfaction) if satisfaction else None
    category = nps_category(satisfaction.nps) if satisfaction else None
    reasons = []
    if category is NpsCategory.DETRACTOR and satisfaction is not None:
        reasons.append(_("NPS {nps} is a detractor score (0-6)").format(nps=satisfaction.nps))
    if csat is not None and csat < FOLLOW_UP_CSAT_BELOW:
        reasons.append(
            _("CSAT {csat} is below {limit}").format(
                csat=csat_text(csat), limit=f"{FOLLOW_UP_CSAT_BELOW:.0f}"
            )
        )
    return ProofOfExecution(
        achievement_rate=achievement_rate(commitment, review),
        csat=csat,
        nps=satisfaction.nps if satisfaction else None,
        nps_category=category,
        needs_follow_up=bool(reasons),
        reasons=tuple(reasons),
    )
