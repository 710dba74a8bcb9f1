"""Views of a customer's record: status (account 360) and history (the proof of execution is in
dialogs/deliver/proof.py)."""

from __future__ import annotations

from datetime import datetime

from cards.forms import Button
from cards.summary import MAX_LINES, Fact, LevelStep, Section, SummaryView
from dialogs.account.stages import stage_section
from dialogs.commit.success_plan_views import plan_section
from dialogs.deliver.proof import goal_lines
from engagement.licenses import license_line_text, license_lines_in_use
from engagement.models import Customer, Iteration
from engagement.outcomes import NpsCategory, proof_of_execution
from i18n import _

_NPS_COLORS = {
    NpsCategory.PROMOTER: "good",
    NpsCategory.PASSIVE: "default",
    NpsCategory.DETRACTOR: "attention",
}


def _command(command: str, argument: str) -> dict[str, object]:
    return {"action": "run_command", "command": command, "argument": argument}


def _day(moment: datetime | None) -> str:
    return moment.strftime("%d %b %Y") if moment else "-"


def _level(iteration: Iteration) -> str:
    return iteration.assessment.level.label if iteration.assessment else "not assessed"


def status_view(customer: Customer, now: datetime) -> SummaryView:
    """Where the customer stands: phase, level trend, goals, success plan, touches, renewal,
    licenses, NPS."""
    iteration = customer.current
    levels = [i.assessment.level.label for i in customer.iterations if i.assessment]
    trend = " → ".join(levels) if levels else "not assessed"
    last_touch = max((t.at for t in customer.touches), default=None)
    touch_text = (
        f"{(now - last_touch).days} day(s) ago ({_day(last_touch)})" if last_touch else "never"
    )
    facts = [
        Fact(
            "Iteration",
            f"{iteration.number}, {iteration.phase.value} phase "
            f"since {_day(iteration.phase_changed_at)}",
        ),
        Fact("Maturity", trend),
        Fact(
            "Last touch",
            touch_text,
            "attention" if not last_touch or (now - last_touch).days > 14 else "default",
        ),
    ]
    if customer.renewal_date:
        days = (customer.renewal_date - now.date()).days
        facts.append(
            Fact(
                "Renewal",
                f"{customer.renewal_date:%d %b %Y} (in {days} days)",
                "warning" if 0 <= days <= 90 else "default",
            )
        )
    else:
        facts.append(Fact("Renewal", "no date set"))
    if customer.contacts:
        contacts = ", ".join(c.name + (f" ({c.role})" if c.role else "") for c in customer.contacts)
        facts.append(Fact("Contacts", contacts))
    lines = license_lines_in_use(customer)
    facts.append(
        Fact(
            "Licenses",
            "; ".join(f"{license_line_text(line)} ({line.as_of:%d %b %Y})" for line in lines),
        )
        if lines
        else Fact("Licenses", "no license data")
    )
    reviewed = [i for i in customer.iterations if i.review and i.review.satisfaction]
    if reviewed:
        latest = reviewed[-1]
        assert latest.commitment is not None
        assert latest.review is not None
        proof = proof_of_execution(latest.commitment, latest.review)
        assert proof.nps_category is not None
        facts.append(
            Fact(
                "Latest CSAT / NPS",
                f"{proof.csat:.1f} / {proof.nps} ({proof.nps_category.value})",
                _NPS_COLORS[proof.nps_category],
            )
        )
    else:
        facts.append(Fact("Latest CSAT / NPS", "none yet"))
    sections = [Section("Account", facts=facts), stage_section(customer, now)]
    goals = goal_lines(iteration)
    if goals:
        sections.append(Section(f"Goals of iteration {iteration.number}", lines=goals))
    plan = plan_section(customer)
    if plan is not None:
        sections.append(plan)
    if iteration.carried_over:
        sections.append(
            Section(_("Carried over from the last iteration"), lines=list(iteration.carried_over))
        )
    buttons = [Button("History", _command("history", customer.name), validate=False)]
    if any(i.review for i in customer.iterations):
        buttons.append(Button("Report", _command("report", customer.name), validate=False))
    return SummaryView(
        title=f"Status · {customer.name}",
        subtitle=f"Owner: {customer.owner.name or customer.owner.id}",
        sections=sections,
        buttons=buttons,
        levels_title="Level trend",
        levels=level_trend(customer),
    )


def history_view(customer: Customer) -> SummaryView:
    """Every iteration as a timeline, with the maturity level per iteration as a line chart."""
    lines = []
    for iteration in customer.iterations:
        parts = [
            f"Iteration {iteration.number}",
            _level(iteration),
            f"started {_day(iteration.started_at)}",
        ]
        if iteration.closed_at:
            parts.append(f"closed {_day(iteration.closed_at)}")
        else:
            parts.append(f"now in {iteration.phase.value}")
        if iteration.commitment and iteration.review:
            proof = proof_of_execution(iteration.commitment, iteration.review)
            parts.append(f"{proof.achievement_rate:.0%} of goals achieved")
            if proof.csat is not None:
                parts.append(f"CSAT {proof.csat:.1f}, NPS {proof.nps}")
        lines.append(" · ".join(parts))
    if len(lines) > MAX_LINES:
        earlier = len(lines) - (MAX_LINES - 1)
        lines = [f"… {earlier} earlier iteration(s)", *lines[-(MAX_LINES - 1) :]]
    return SummaryView(
        title=f"History · {customer.name}",
        subtitle=f"{len(customer.iterations)} iteration(s) since {_day(customer.created_at)}",
        sections=[Section("Timeline", lines=lines)],
        levels_title="Maturity level per iteration",
        levels=level_trend(customer),
    )


def level_trend(customer: Customer) -> list[LevelStep]:
    """The maturity level of every iteration, by name (the current one may have none yet)."""
    return [
        LevelStep(
            f"Iteration {i.number}",
            i.assessment.level.label if i.assessment else "not assessed yet",
            i.assessment.level.rank if i.assessment else 0,
        )
        for i in customer.iterations
    ]
