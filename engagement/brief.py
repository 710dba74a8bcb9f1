"""A call brief: what a CSM reads in 30 seconds before talking to a customer (issue 17 part 5).

Everything is derived from the customer record at `now`: maturity level and trend, phase and
how long it has been there, open goals, delivered and outstanding workshops, the last touches,
the health band with the factor that pulls it down most, the renewal with its checkpoint
(seed 002: plan 12-15 months ahead, execute 3-6 months ahead), open next steps and follow-ups,
and three talking points chosen from that data by fixed rules, most urgent first.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime

from engagement.health import Factor, Health
from engagement.health_factors import Band
from engagement.models import Customer, Goal, Phase, Touch
from engagement.outcomes import NpsCategory, nps_category
from engagement.reminders import Reminder, goal_is_closed
from engagement.renewals import (
    EXECUTION_DAYS,
    EXECUTION_UNTIL_DAYS,
    PLANNING_DAYS,
    PLANNING_UNTIL_DAYS,
)
from engagement.wording import day_text, days_text
from i18n import N_, _

LAST_TOUCHES = 3
TALKING_POINTS = 3
GOAL_SOON_DAYS = 30
RENEWAL_TALK_DAYS = 183  # renewals inside the execution checkpoint are worth raising on a call
# Seed 002, "Managing the renewal process": 12-15 months ahead review the portfolio and identify
# risk (planning); 3-6 months ahead manage the risk and execute the renewal.
PLANNING_FROM_DAYS, PLANNING_TO_DAYS = PLANNING_DAYS, PLANNING_UNTIL_DAYS
EXECUTION_FROM_DAYS, EXECUTION_TO_DAYS = EXECUTION_DAYS, EXECUTION_UNTIL_DAYS


@dataclass(frozen=True)
class RenewalCheckpoint:
    """Where a renewal stands against the seed's checkpoints."""

    name: str  # "planning", "execution", "final", "overdue", "later"
    text: str  # "execution checkpoint (3-6 months ahead): manage risk, execute" (turn's language)


def renewal_checkpoint(renewal: date, today: date) -> RenewalCheckpoint:
    """The renewal checkpoint `today` falls in, or the next one when between checkpoints."""
    days = (renewal - today).days
    if days < 0:
        passed = _("renewal date passed {days} ago").format(days=days_text(-days))
        return RenewalCheckpoint("overdue", passed)
    if days < EXECUTION_TO_DAYS:
        final = _("final stretch (under 3 months): 90/60/30-day reminders")
        return RenewalCheckpoint("final", final)
    if days <= EXECUTION_FROM_DAYS:
        return RenewalCheckpoint(
            "execution", _("execution checkpoint (3-6 months ahead): manage risk, execute")
        )
    if PLANNING_TO_DAYS <= days <= PLANNING_FROM_DAYS:
        return RenewalCheckpoint(
            "planning",
            _("planning checkpoint (12-15 months ahead): review the account, find risk"),
        )
    if days < PLANNING_TO_DAYS:
        starts = days_text(days - EXECUTION_FROM_DAYS)
        later = _("execution checkpoint starts in {days}").format(days=starts)
        return RenewalCheckpoint("later", later)
    starts = days_text(days - PLANNING_FROM_DAYS)
    return RenewalCheckpoint("later", _("planning checkpoint starts in {days}").format(days=starts))


@dataclass(frozen=True)
class Brief:
    """The facts of a call brief; `talking_points` has at most three lines."""

    customer_name: str
    levels: tuple[str, ...]  # level labels of the assessed iterations, oldest first
    trend: str  # "up", "down", "steady", "first assessment", "not assessed"
    iteration: int
    phase: Phase
    phase_days: int
    open_goals: tuple[Goal, ...]  # of the current iteration, earliest due first
    delivered: tuple[str, ...]  # workshop ids delivered in the current iteration, in order
    left: tuple[str, ...]  # committed workshop ids not delivered yet
    touches: tuple[Touch, ...]  # the last three, newest first
    days_since_touch: int | None
    health: Health
    weakest: Factor | None  # the counted factor with the lowest score, else a missing one
    renewal: date | None
    renewal_days: int | None
    checkpoint: RenewalCheckpoint | None
    next_steps: tuple[str, ...]  # carried over from the last review, still open
    follow_ups: tuple[Reminder, ...]  # reminders due now or soon
    talking_points: tuple[str, ...]


def _trend(ranks: list[int]) -> str:
    if not ranks:
        return "not assessed"
    if len(ranks) == 1:
        return "first assessment"
    return "up" if ranks[-1] > ranks[-2] else "down" if ranks[-1] < ranks[-2] else "steady"


def weakest_factor(health: Health) -> Factor | None:
    """The factor that pulls the score down most: the lowest counted score (ties: the larger
    weight), else the heaviest missing factor, else None."""
    counted = [f for f in health.factors if f.score is not None and f.score < 1.0]
    if counted:
        return min(counted, key=lambda f: (f.score or 0.0, -f.weight))
    missing = [f for f in health.factors if f.missing]
    return max(missing, key=lambda f: f.weight) if missing else None


def build_brief(
    customer: Customer,
    health: Health,
    follow_ups: list[Reminder],
    workshop_names: dict[str, str],
    now: datetime,
) -> Brief:
    """The brief of `customer` at `now`; `health` and `follow_ups` are computed by the caller
    with its policies, `workshop_names` maps catalog ids to names for the talking points."""
    iteration = customer.current
    assessed = [i.assessment.level for i in customer.iterations if i.assessment]
    commitment = iteration.commitment
    open_goals: tuple[Goal, ...] = ()
    left: tuple[str, ...] = ()
    delivered = tuple(d.workshop_id for d in iteration.deliveries)
    if commitment is not None:
        open_goals = tuple(
            sorted(
                (g for g in commitment.goals if not goal_is_closed(iteration, g.id)),
                key=lambda g: g.due,
            )
        )
        left = tuple(w for w in commitment.workshops if w not in delivered)
    # Newest first; of touches logged at the same moment, the one logged later is newer.
    touches = tuple(reversed(sorted(customer.touches, key=lambda t: t.at)[-LAST_TOUCHES:]))
    today = now.date()
    renewal = customer.renewal_date
    brief = Brief(
        customer_name=customer.name,
        levels=tuple(level.label for level in assessed),
        trend=_trend([level.rank for level in assessed]),
        iteration=iteration.number,
        phase=iteration.phase,
        phase_days=max(0, (now - iteration.phase_changed_at).days),
        open_goals=open_goals,
        delivered=delivered,
        left=left,
        touches=touches,
        days_since_touch=(now - touches[0].at).days if touches else None,
        health=health,
        weakest=weakest_factor(health),
        renewal=renewal,
        renewal_days=(renewal - today).days if renewal else None,
        checkpoint=renewal_checkpoint(renewal, today) if renewal else None,
        next_steps=tuple(iteration.carried_over),
        follow_ups=tuple(follow_ups),
        talking_points=(),
    )
    points = _talking_points(customer, brief, workshop_names, today)
    return replace(brief, talking_points=tuple(points[:TALKING_POINTS]))


def _talking_points(
    customer: Customer, brief: Brief, names: dict[str, str], today: date
) -> list[str]:
    """Candidate talking points, most urgent first (the caller keeps three)."""
    points: list[str] = []
    if brief.renewal and brief.renewal_days is not None and brief.renewal_days <= RENEWAL_TALK_DAYS:
        when = day_text(brief.renewal)
        points.append(
            _("Renewal on {day} is overdue: settle it today.").format(day=when)
            if brief.renewal_days < 0
            else _(
                "Renewal on {day} (in {days}): confirm the plan, the decision makers and any risk."
            ).format(day=when, days=days_text(brief.renewal_days))
        )
    satisfied = [i.review for i in customer.iterations if i.review and i.review.satisfaction]
    latest = satisfied[-1].satisfaction if satisfied else None
    if latest is not None and nps_category(latest.nps) is NpsCategory.DETRACTOR:
        points.append(
            _("Last NPS was {nps} (detractor): ask what would make it better.").format(
                nps=latest.nps
            )
        )
    for goal in brief.open_goals:
        days = (goal.due - today).days
        if days <= GOAL_SOON_DAYS:
            point = (
                _('Goal "{title}" is overdue since {day}: ask how "{kpi}" is tracking.')
                if days < 0
                else _('Goal "{title}" is due {day}: ask how "{kpi}" is tracking.')
            )
            points.append(point.format(title=goal.title, day=day_text(goal.due), kpi=goal.kpi))
            break
    weakest = brief.weakest
    if weakest is not None and (weakest.missing or weakest.rating == Band.RED):
        points.append(
            f"{weakest.label}: {weakest.advice.rstrip('.')}."
            if weakest.advice
            else _("{factor} is weak: {value}.").format(
                factor=weakest.label, value=weakest.value.rstrip(".")
            )
        )
    points.extend(
        _("Follow up on the agreed next step: {step}").format(step=step)
        for step in brief.next_steps[:1]
    )
    points.append(_phase_point(brief, customer.current.assessment is not None, names))
    if brief.trend == "up":
        points.append(
            _("Maturity rose to {level}: acknowledge the progress and aim higher.").format(
                level=brief.levels[-1]
            )
        )
    if brief.days_since_touch is None:
        points.append(_("First touch on record: agree how often you will meet."))
    return list(dict.fromkeys(points))


def _phase_point(brief: Brief, assessed: bool, names: dict[str, str]) -> str:
    phase = brief.phase
    if phase is Phase.ASSESS:
        return (
            _("Walk through the assessment result and agree the recommended workshops.")
            if assessed
            else _("Run a quick check together to agree the maturity level.")
        )
    if phase is Phase.COMMIT:
        return _("Get the statement of work agreed by both sides: goals, KPIs, dates.")
    if phase is Phase.DELIVER and brief.left:
        return _("Plan the next delivery: {workshop}.").format(
            workshop=names.get(brief.left[0], brief.left[0])
        )
    if phase is Phase.DELIVER:
        return _("Everything committed is delivered: schedule the ensure review.")
    return _("Capture the outcome: goals achieved, CSAT and NPS, and the next steps.")


def goal_line(goal: Goal, today: date) -> str:
    """An open goal for the brief: title, KPI, owner and due date (overdue marked)."""
    days = (goal.due - today).days
    day = day_text(goal.due)
    due = _("overdue since {day}").format(day=day) if days < 0 else _("due {day}").format(day=day)
    owner = goal.owner_name or _(_OWNER_SIDES[goal.owner_side.value])
    return _("{title} (KPI: {kpi}, {owner}): {due}").format(
        title=goal.title, kpi=goal.kpi, owner=owner, due=due
    )


_OWNER_SIDES = {"partner": N_("partner"), "customer": N_("customer")}
