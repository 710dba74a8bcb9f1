"""Customer health: a 0-100 score, a band and a readable explanation. Pure; `now` is passed in.

Imports only the standard library and `engagement`. The score is the weighted mean of seven
factors (`engagement.health_factors` scores each 0.0-1.0 and says how), rated like the bands
(>= 0.7 green, >= 0.4 yellow, else red):

| factor | weight | scored from |
|---|---|---|
| license utilisation | 25 | active / licensed users of each product's latest license line |
| satisfaction | 20 | CSAT (mean of overall, value, team; 1-5) and NPS (0-10) of the latest review |
| goals | 10 | goal outcomes of the last closed iteration: achieved 1, partially 0.5, not 0 |
| touch cadence | 15 | days since the last touch against the check-in policy (14 days) |
| success plan | 10 | the latest statement of work's SSAT: in place 1, in progress 0.5, missing 0 |
| renewal | 15 | within 90 days: 0 if the other factors are weak (< 70), 1 if strong |
| phase | 5 | days the open iteration has been in its phase (stalled after 30 days) |

The weights follow the seed's churn indicators (number of users and utilisation; NPS or CSAT)
first, then the regular touch the partner controls, then the proof of execution of the last
iteration and the success plan the customer's adoption rests on (seed 004), then timing. They
sum to 100.

Missing data is shown as missing and never scored as zero: the weights are renormalised over the
factors that have data (each factor's `share` is its weight after renormalising). Renewal and
phase are *timing* factors: they say when weak health turns into risk, not whether the customer
is healthy, so they are counted only when at least one *signal* (licenses, satisfaction, goals,
touch, success plan) has data, and a renewal further away than the window is not counted at all
(a distant renewal must not lift a weak customer's score). With no signal the score is None and
the band UNKNOWN.

Band: score >= 70 green, >= 40 yellow, else red; any red factor caps the band at yellow, so one
churn indicator at High risk (0 of 85 users active) is never hidden by an average.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from engagement.health_factors import (
    DEFAULT_POLICY,
    GREEN_AT,
    Band,
    Draft,
    HealthPolicy,
    goals_factor,
    licenses_factor,
    phase_factor,
    rating_for,
    renewal_factor,
    satisfaction_factor,
    success_plan_factor,
    touch_factor,
)
from engagement.licenses import percent
from engagement.models import Customer
from i18n import N_, _


class FactorKey(StrEnum):
    """The seven health factors."""

    LICENSES = "licenses"
    SATISFACTION = "satisfaction"
    GOALS = "goals"
    TOUCH = "touch"
    SUCCESS_PLAN = "success_plan"
    RENEWAL = "renewal"
    PHASE = "phase"


WEIGHTS: dict[FactorKey, int] = {
    FactorKey.LICENSES: 25,
    FactorKey.SATISFACTION: 20,
    FactorKey.GOALS: 10,
    FactorKey.TOUCH: 15,
    FactorKey.SUCCESS_PLAN: 10,
    FactorKey.RENEWAL: 15,
    FactorKey.PHASE: 5,
}
LABELS: dict[FactorKey, str] = {  # shown as _(LABELS[key])
    FactorKey.LICENSES: N_("License utilisation"),
    FactorKey.SATISFACTION: N_("Satisfaction (CSAT/NPS)"),
    FactorKey.GOALS: N_("Goals of the last iteration"),
    FactorKey.TOUCH: N_("Touch cadence"),
    FactorKey.SUCCESS_PLAN: N_("Success plan (SSAT)"),
    FactorKey.RENEWAL: N_("Renewal"),
    FactorKey.PHASE: N_("Phase progress"),
}
SIGNALS = (
    FactorKey.LICENSES,
    FactorKey.SATISFACTION,
    FactorKey.GOALS,
    FactorKey.TOUCH,
    FactorKey.SUCCESS_PLAN,
)
TIMING = (FactorKey.RENEWAL, FactorKey.PHASE)


@dataclass(frozen=True)
class Factor:
    """One factor of a health score: counted, missing, or known but not counted.

    Attributes:
        key: which factor.
        label: its name for people, in the turn's language.
        weight: its documented weight (see WEIGHTS).
        share: its weight after renormalising over the counted factors (0.0 when not counted).
        score: 0.0-1.0, or None when not counted: data missing, or a timing factor with nothing
            to weigh (no signal, or a renewal outside the window).
        rating: GREEN/YELLOW/RED from the score, UNKNOWN when not counted.
        value: what was measured ("72 of 85 users active (85 %), Low risk") or why it is missing
            ("missing: no renewal date").
        advice: what to do about it, "" when nothing.
        missing: True when the data is missing (not merely not counted).
        measured: the value without the "missing: " in front.
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
    measured: str = ""

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
        """The factor with this key (every Health has all seven)."""
        return next(factor for factor in self.factors if factor.key == key)


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
    drafts: dict[FactorKey, Draft] = {
        FactorKey.LICENSES: licenses_factor(customer),
        FactorKey.SATISFACTION: satisfaction_factor(customer),
        FactorKey.GOALS: goals_factor(customer),
        FactorKey.TOUCH: touch_factor(customer, now, policy),
        FactorKey.SUCCESS_PLAN: success_plan_factor(customer),
        FactorKey.PHASE: phase_factor(customer, now, policy),
    }
    has_signal = any(drafts[key].score is not None for key in SIGNALS)
    others = _weighted({k: d.score for k, d in drafts.items() if d.score is not None})
    drafts[FactorKey.RENEWAL] = renewal_factor(
        customer, now, policy, others if has_signal else None
    )

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


def _factor(key: FactorKey, draft: Draft, scored: float | None, share: float) -> Factor:
    measured = draft.value
    if scored is None and key in TIMING and not draft.missing and _("not counted") not in measured:
        measured += _(" (not counted: no health signal to weigh it against)")
    value = _("missing: {what}").format(what=measured) if draft.missing else measured
    return Factor(
        key=key,
        label=_(LABELS[key]),
        weight=WEIGHTS[key],
        share=share,
        score=scored,
        rating=rating_for(scored) if scored is not None else Band.UNKNOWN,
        value=value,
        advice=draft.advice,
        missing=draft.missing,
        measured=measured,
    )


def _summary(score: int | None, band: Band, factors: Sequence[Factor]) -> tuple[str, ...]:
    scored = [f for f in factors if f.counted]
    if score is None:
        return (
            _(
                "Health unknown: no license, satisfaction, goal, touch or success plan data yet. "
                "Missing data is not counted as bad."
            ),
        )
    lines = [
        _(
            "Score {score} of 100 ({band}) from {counted} of {factors} factors; "
            "the weights of factors not counted are shared among the others."
        ).format(score=score, band=_(_BAND_WORDS[band]), counted=len(scored), factors=len(factors))
    ]
    red = [f.label for f in scored if f.rating == Band.RED]
    if red and score >= GREEN_AT * 100:
        capped = _("Band capped at yellow: {factors} rated red.")
        lines.append(capped.format(factors=", ".join(red)))
    return tuple(lines)


_BAND_WORDS = {
    Band.RED: N_("red"),
    Band.YELLOW: N_("yellow"),
    Band.GREEN: N_("green"),
    Band.UNKNOWN: N_("unknown"),
}


def band_word(band: Band) -> str:
    """`yellow` / `gelb`."""
    return _(_BAND_WORDS[band])


def _factor_line(factor: Factor) -> str:
    if factor.score is None:
        state = _("missing") if factor.missing else _("not counted")
        weight = _("weight {weight}, {state}").format(weight=factor.weight, state=state)
    else:
        weight = _("{points} points, weight {weight} ({share})").format(
            points=round(factor.score * 100), weight=factor.weight, share=percent(factor.share)
        )
    line = f"{factor.label} [{weight}]: {factor.value}"
    return line + (_(". Next: {advice}").format(advice=factor.advice) if factor.advice else "")
