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
from engagement.lifecycle import contact_role_text
from engagement.models import Customer, Iteration
from engagement.outcomes import NpsCategory, nps_category_name, proof_of_execution
from engagement.wording import (
    day_text,
    days_text,
    decimal_text,
    percent_text,
    phase_word,
)
from i18n import _, ngettext

_NPS_COLORS = {
    NpsCategory.PROMOTER: "good",
    NpsCategory.PASSIVE: "default",
    NpsCategory.DETRACTOR: "attention",
}


def _command(command: str, argument: str) -> dict[str, object]:
    return {"action": "run_command", "command": command, "argument": argument}


def _day(moment: datetime | None) -> str:
    return day_text(moment) if moment else "-"


def _level(iteration: Iteration) -> str:
    return iteration.assessment.level.label if iteration.assessment else _("not assessed")


def _nps(nps: int | None, category: NpsCategory) -> str:
    return _("{nps} ({category})").format(nps=nps, category=nps_category_name(category))


def _days_ago(when: datetime, now: datetime) -> str:
    """`today (04 Dec 2026)` / `3 days ago (01 Dec 2026)`."""
    days = max((now - when).days, 0)
    if days == 0:
        return _("today ({day})").format(day=_day(when))
    return ngettext("{n} day ago ({day})", "{n} days ago ({day})", days).format(
        n=days, day=_day(when)
    )


def status_view(customer: Customer, now: datetime) -> SummaryView:
    """Where the customer stands: phase, level trend, goals, success plan, touches, renewal,
    licenses, NPS."""
    iteration = customer.current
    levels = [i.assessment.level.label for i in customer.iterations if i.assessment]
    trend = " → ".join(levels) if levels else _("not assessed")
    last_touch = max((t.at for t in customer.touches), default=None)
    touch_text = _days_ago(last_touch, now) if last_touch else _("never")
    facts = [
        Fact(
            _("Iteration"),
            _("{number}, {phase} phase since {day}").format(
                number=iteration.number,
                phase=phase_word(iteration.phase),
                day=_day(iteration.phase_changed_at),
            ),
        ),
        Fact(_("Maturity"), trend),
        Fact(
            _("Last touch"),
            touch_text,
            "attention" if not last_touch or (now - last_touch).days > 14 else "default",
        ),
    ]
    if customer.renewal_date:
        days = (customer.renewal_date - now.date()).days
        facts.append(
            Fact(
                _("Renewal"),
                _("{day} (in {days})").format(
                    day=day_text(customer.renewal_date), days=days_text(days)
                ),
                "warning" if 0 <= days <= 90 else "default",
            )
        )
    else:
        facts.append(Fact(_("Renewal"), _("no date set")))
    if customer.contacts:
        contacts = ", ".join(
            c.name + (f" ({contact_role_text(c.role)})" if c.role else "")
            for c in customer.contacts
        )
        facts.append(Fact(_("Contacts"), contacts))
    lines = license_lines_in_use(customer)
    facts.append(
        Fact(
            _("Licenses"),
            "; ".join(f"{license_line_text(line)} ({day_text(line.as_of)})" for line in lines),
        )
        if lines
        else Fact(_("Licenses"), _("no license data"))
    )
    reviewed = [i for i in customer.iterations if i.review and i.review.satisfaction]
    if reviewed:
        latest = reviewed[-1]
        assert latest.commitment is not None
        assert latest.review is not None
        proof = proof_of_execution(latest.commitment, latest.review)
        assert proof.nps_category is not None
        csat = decimal_text(proof.csat) if proof.csat is not None else "-"
        facts.append(
            Fact(
                _("Latest CSAT / NPS"),
                f"{csat} / {_nps(proof.nps, proof.nps_category)}",
                _NPS_COLORS[proof.nps_category],
            )
        )
    else:
        facts.append(Fact(_("Latest CSAT / NPS"), _("none yet")))
    sections = [Section(_("Account"), facts=facts), stage_section(customer, now)]
    goals = goal_lines(iteration)
    if goals:
        heading = _("Goals of iteration {number}").format(number=iteration.number)
        sections.append(Section(heading, lines=goals))
    plan = plan_section(customer)
    if plan is not None:
        sections.append(plan)
    if iteration.carried_over:
        sections.append(
            Section(_("Carried over from the last iteration"), lines=list(iteration.carried_over))
        )
    buttons = [Button(_("History"), _command("history", customer.name), validate=False)]
    if any(i.review for i in customer.iterations):
        buttons.append(Button(_("Report"), _command("report", customer.name), validate=False))
    return SummaryView(
        title=_("Status · {name}").format(name=customer.name),
        subtitle=_("Owner: {name}").format(name=customer.owner.name or customer.owner.id),
        sections=sections,
        buttons=buttons,
        levels_title=_("Level trend"),
        levels=level_trend(customer),
    )


def history_view(customer: Customer) -> SummaryView:
    """Every iteration as a timeline, with the maturity level per iteration as a line chart."""
    lines = []
    for iteration in customer.iterations:
        parts = [
            _("Iteration {number}").format(number=iteration.number),
            _level(iteration),
            _("started {day}").format(day=_day(iteration.started_at)),
        ]
        if iteration.closed_at:
            parts.append(_("closed {day}").format(day=_day(iteration.closed_at)))
        else:
            parts.append(_("now in {phase}").format(phase=phase_word(iteration.phase)))
        if iteration.commitment and iteration.review:
            proof = proof_of_execution(iteration.commitment, iteration.review)
            achieved = _("{percent} of goals achieved")
            parts.append(achieved.format(percent=percent_text(proof.achievement_rate)))
            if proof.csat is not None:
                parts.append(
                    _("CSAT {csat}, NPS {nps}").format(csat=decimal_text(proof.csat), nps=proof.nps)
                )
        lines.append(" · ".join(parts))
    if len(lines) > MAX_LINES:
        earlier = len(lines) - (MAX_LINES - 1)
        more = ngettext("… {n} earlier iteration", "… {n} earlier iterations", earlier)
        lines = [more.format(n=earlier), *lines[-(MAX_LINES - 1) :]]
    count = len(customer.iterations)
    return SummaryView(
        title=_("History · {name}").format(name=customer.name),
        subtitle=ngettext("{n} iteration since {day}", "{n} iterations since {day}", count).format(
            n=count, day=_day(customer.created_at)
        ),
        sections=[Section(_("Timeline"), lines=lines)],
        levels_title=_("Maturity level per iteration"),
        levels=level_trend(customer),
    )


def level_trend(customer: Customer) -> list[LevelStep]:
    """The maturity level of every iteration, by name (the current one may have none yet)."""
    return [
        LevelStep(
            _("Iteration {number}").format(number=i.number),
            i.assessment.level.label if i.assessment else _("not assessed yet"),
            i.assessment.level.rank if i.assessment else 0,
        )
        for i in customer.iterations
    ]
