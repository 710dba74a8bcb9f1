"""`brief <customer>`: one card to read in 30 seconds before a customer call.

The command is private (bot/commands.py): asked in a meeting or group chat, the card goes to the
asker's personal chat. Check-in and renewal reminders offer it as a button.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from botbuilder.core import MessageFactory, TurnContext

from cards.forms import Button
from cards.summary import Fact, Section, SummaryView, summary_card
from dialogs.common.services import DialogServices
from dialogs.common.turn import card_message, tenant_of
from dialogs.portfolio.portfolio_commands import find_customer
from dialogs.reminders.reminder_texts import reminder_title
from engagement.brief import Brief, build_brief, goal_line
from engagement.health import assess_health
from engagement.health_factors import Band
from engagement.reminders import ReminderPolicy, upcoming

FOLLOW_UP_DAYS = 7  # reminders due within this many days count as follow-ups
_BAND_COLORS = {Band.RED: "attention", Band.YELLOW: "warning", Band.GREEN: "good"}
_TRENDS = {"up": "↑", "down": "↓", "steady": "→"}


def _command(command: str, argument: str) -> dict[str, object]:
    return {"action": "run_command", "command": command, "argument": argument}


class Briefs:
    """The `brief` command."""

    def __init__(self, services: DialogServices, reminder_policy: ReminderPolicy) -> None:
        self._services = services
        self._policy = reminder_policy

    async def command(self, context: TurnContext, argument: str) -> None:
        """Send the brief card of the customer named in `argument`."""
        if not argument.strip():
            await context.send_activity("Which customer? Type `brief <customer>`.")
            return
        services = self._services
        found = await find_customer(
            argument, tenant_of(context), services.customers, services.summaries
        )
        if isinstance(found, str):
            await context.send_activity(MessageFactory.text(found))
            return
        now = services.clock.now()
        follow_ups = upcoming(found, now, now + timedelta(days=FOLLOW_UP_DAYS), self._policy)
        names = {w.id: w.name for w in services.catalog.workshops}
        brief = build_brief(found, assess_health(found, now), follow_ups, names, now)
        await context.send_activity(card_message(summary_card(brief_view(brief, names, now))))


def brief_view(brief: Brief, names: dict[str, str], now: datetime) -> SummaryView:
    """The brief as a summary card: talking points first, then the facts behind them."""
    today = now.date()
    level = brief.levels[-1] if brief.levels else "not assessed"
    if len(brief.levels) > 1:
        level += f" {_TRENDS[brief.trend]} (was {brief.levels[-2]})"
    facts = [
        Fact("Maturity", level, "good" if brief.trend == "up" else "default"),
        Fact(
            "Phase",
            f"iteration {brief.iteration}, {brief.phase.value} for {brief.phase_days} day(s)",
        ),
    ]
    health = brief.health
    health_text = f"{health.band.value}" + (
        f" ({health.score})" if health.score is not None else ""
    )
    if brief.weakest is not None:
        weakest = brief.weakest
        health_text += (
            f"; weakest: {weakest.label} ({'missing' if weakest.missing else weakest.value})"
        )
    facts.append(Fact("Health", health_text, _BAND_COLORS.get(health.band, "default")))
    if brief.renewal is not None and brief.checkpoint is not None:
        days = brief.renewal_days or 0
        facts.append(
            Fact(
                "Renewal",
                f"{brief.renewal:%d %b %Y} (in {days} days); {brief.checkpoint.text}"
                if days >= 0
                else f"{brief.renewal:%d %b %Y}; {brief.checkpoint.text}",
                "attention" if days <= 90 else "warning" if days <= 183 else "default",
            )
        )
    else:
        facts.append(Fact("Renewal", "no date set: `renewal <customer> <date>`", "warning"))
    work = [goal_line(goal, today) for goal in brief.open_goals]
    if brief.delivered:
        work.append("Delivered: " + ", ".join(names.get(w, w) for w in brief.delivered))
    if brief.left:
        work.append("Left to deliver: " + ", ".join(names.get(w, w) for w in brief.left))
    touches = [
        f"{touch.at:%d %b %Y} · {touch.kind.value} · {touch.by.name or touch.by.id}"
        + (f": {touch.note}" if touch.note else "")
        for touch in brief.touches
    ] or ["No touches logged yet."]
    open_items = [f"Next step: {step}" for step in brief.next_steps]
    open_items += [
        f"{reminder_title(r, today)} ({'due' if r.due_on <= today else 'from'} {r.due_on:%d %b %Y})"
        for r in brief.follow_ups
    ]
    sections = [
        Section("Talking points", lines=list(brief.talking_points)),
        Section("At a glance", facts=facts),
        Section("Goals and delivery", lines=work or ["No statement of work yet."]),
        Section("Last touches", lines=touches),
    ]
    if open_items:
        sections.append(Section("Open next steps and follow-ups", lines=open_items))
    return SummaryView(
        title=f"Call brief · {brief.customer_name}",
        subtitle=f"As of {now:%d %b %Y}",
        sections=sections,
        buttons=[
            Button("Status", _command("status", brief.customer_name), validate=False),
            Button("Health", _command("health", brief.customer_name), validate=False),
        ],
    )
