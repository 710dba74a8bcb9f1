"""The proof of execution of a closed iteration, in the turn's language: the card shown when
ensure closes the iteration, the goal lines the status card reuses, and the Markdown report
(`report <customer>`). Built from the stored record when shown, so nothing stored is worded."""

from __future__ import annotations

from datetime import date, datetime

from cards.forms import Button
from cards.summary import Fact, Section, SummaryView
from cards.text import render_text
from dialogs.common.messages import day_text
from engagement.catalog import Catalog
from engagement.models import Customer, Delivery, GoalStatus, Iteration
from engagement.outcomes import (
    NpsCategory,
    ProofOfExecution,
    csat_text,
    nps_category_name,
    proof_of_execution,
)
from engagement.success_plan import kpi_text, plan_summary
from i18n import N_, _, ngettext
from i18n.formats import format_date, format_percent

_OUTCOMES = {
    GoalStatus.ACHIEVED: N_("achieved"),
    GoalStatus.PARTIALLY: N_("partially achieved"),
    GoalStatus.NOT_ACHIEVED: N_("not achieved"),
}
# The report's shorter words (as the document always had them).
_REPORT_OUTCOMES = {
    GoalStatus.ACHIEVED: N_("achieved"),
    GoalStatus.PARTIALLY: N_("partially"),
    GoalStatus.NOT_ACHIEVED: N_("not achieved"),
}
NPS_COLORS = {
    NpsCategory.PROMOTER: "good",
    NpsCategory.PASSIVE: "default",
    NpsCategory.DETRACTOR: "attention",
}


def _command(command: str, argument: str) -> dict[str, object]:
    return {"action": "run_command", "command": command, "argument": argument}


def _level(iteration: Iteration) -> str:
    return iteration.assessment.level.label if iteration.assessment else _("not assessed")


def document_day(day: date | datetime) -> str:
    """`2026-11-02` / `2. November 2026` (the documents' dates)."""
    # TRANSLATORS: a Babel (CLDR) date pattern for documents; German: d. MMMM yyyy.
    return format_date(day, _("yyyy-MM-dd"))


def nps_text(proof: ProofOfExecution) -> str:
    """`9 (promoter)` / `9 (Promoter)`; "" without an NPS."""
    if proof.nps is None or proof.nps_category is None:
        return ""
    return _("{nps} ({category})").format(
        nps=proof.nps, category=nps_category_name(proof.nps_category)
    )


def goal_lines(iteration: Iteration) -> list[str]:
    """Each committed goal with its outcome (or its due date while open)."""
    commitment = iteration.commitment
    if commitment is None:
        return []
    outcomes = {o.goal_id: o for o in iteration.review.outcomes} if iteration.review else {}
    lines = []
    for goal in commitment.goals:
        outcome = outcomes.get(goal.id)
        if outcome is None:
            state = _("open, due {day}").format(day=day_text(goal.due))
        elif outcome.evidence:
            state = _("{outcome} ({evidence})").format(
                outcome=_(_OUTCOMES[outcome.status]), evidence=outcome.evidence
            )
        else:
            state = _(_OUTCOMES[outcome.status])
        lines.append(
            _("{goal} (KPI: {kpi}): {state}").format(
                goal=goal.title, kpi=kpi_text(goal, outcome), state=state
            )
        )
    return lines


def _delivered_line(delivery: Delivery, names: dict[str, str]) -> str:
    return ngettext(
        "{workshop} on {day} ({n} attendee)",
        "{workshop} on {day} ({n} attendees)",
        delivery.attendees,
    ).format(
        workshop=names.get(delivery.workshop_id, delivery.workshop_id),
        day=day_text(delivery.on),
        n=delivery.attendees,
    )


def _result(proof: ProofOfExecution, iteration: Iteration) -> Section:
    facts = [Fact(_("Goal achievement"), format_percent(proof.achievement_rate))]
    if proof.csat is not None and proof.nps_category is not None:
        color = "good" if proof.csat >= 4 else "default"
        facts.append(Fact(_("CSAT (1-5)"), csat_text(proof.csat), color))
        facts.append(Fact(_("NPS"), nps_text(proof), NPS_COLORS[proof.nps_category]))
    else:
        facts.append(Fact(_("Satisfaction"), _("not captured")))
    review = iteration.review
    if review is not None and review.success_factors is not None:
        facts.append(Fact(_("Success plan at ensure"), plan_summary(review.success_factors)))
    return Section(_("Result"), facts=facts)


def proof_view(catalog: Catalog, customer: Customer, iteration: Iteration) -> SummaryView:
    """Goals versus outcome, achievement rate, satisfaction and next steps of a closed iteration."""
    commitment, review = iteration.commitment, iteration.review
    assert commitment is not None
    assert review is not None
    proof = proof_of_execution(commitment, review)
    names = {w.id: w.name for w in catalog.workshops}
    sections = [
        _result(proof, iteration),
        Section(_("Goals versus outcome"), lines=goal_lines(iteration)),
        Section(_("Delivered"), lines=[_delivered_line(d, names) for d in iteration.deliveries]),
        Section(_("Next steps"), lines=list(review.next_steps)),
    ]
    if iteration.undelivered:
        sections.insert(
            3,
            Section(
                _("Committed but never delivered"),
                lines=[names.get(w, w) for w in iteration.undelivered],
            ),
        )
    if proof.needs_follow_up:
        sections.insert(
            0,
            Section(
                _("Follow up with the customer"),
                facts=[Fact(_("Why"), "; ".join(proof.reasons), "attention")],
            ),
        )
    closed = day_text(iteration.closed_at) if iteration.closed_at else "-"
    return SummaryView(
        title=_("Proof of execution · {customer}").format(customer=customer.name),
        subtitle=_("Iteration {number} · {level} · closed {day}").format(
            number=iteration.number, level=_level(iteration), day=closed
        ),
        sections=sections,
        buttons=[
            Button(
                _("Re-assess now"),
                _command("assess", customer.name),
                validate=False,
                positive=True,
            ),
            Button(_("Quick check"), _command("quick check", customer.name), validate=False),
        ],
    )


def report_markdown(catalog: Catalog, customer: Customer) -> str | None:
    """Markdown for the last closed iteration, or None when there is none."""
    closed = [i for i in customer.iterations if i.review and i.commitment]
    if not closed:
        return None
    iteration = closed[-1]
    commitment, review = iteration.commitment, iteration.review
    assert commitment is not None
    assert review is not None
    proof = proof_of_execution(commitment, review)
    outcomes = {o.goal_id: o for o in review.outcomes}
    names = {w.id: w.name for w in catalog.workshops}
    return render_text(
        "report",
        customer=customer.name,
        iteration=iteration.number,
        level=_level(iteration),
        start=document_day(commitment.start),
        end=document_day(commitment.end),
        closed=document_day(iteration.closed_at) if iteration.closed_at else "-",
        achievement=format_percent(proof.achievement_rate),
        csat=csat_text(proof.csat) if proof.csat is not None else _("not captured"),
        nps=nps_text(proof) or _("not captured"),
        goals=[
            {
                "title": goal.title,
                "kpi": kpi_text(goal, outcomes.get(goal.id)),
                "outcome": _(
                    _REPORT_OUTCOMES[
                        outcomes[goal.id].status if goal.id in outcomes else GoalStatus.NOT_ACHIEVED
                    ]
                ),
                "evidence": outcomes[goal.id].evidence if goal.id in outcomes else "",
            }
            for goal in commitment.goals
        ],
        deliveries=[
            ngettext(
                "{workshop} on {day}, {n} attendee",
                "{workshop} on {day}, {n} attendees",
                d.attendees,
            ).format(
                workshop=names.get(d.workshop_id, d.workshop_id),
                day=document_day(d.on),
                n=d.attendees,
            )
            for d in iteration.deliveries
        ],
        next_steps=list(review.next_steps),
        follow_up="; ".join(proof.reasons),
        plan=plan_summary(review.success_factors) if review.success_factors else "",
    )
