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
from engagement.health import assess_health, band_word
from engagement.health_factors import Band
from engagement.reminders import ReminderPolicy, upcoming
from engagement.wording import day_text, days_text, phase_word, touch_kind_word, touch_note_text
from i18n import _

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
            await context.send_activity(
                _("Which customer? Type `{usage}`.").format(usage=_("brief <customer>"))
            )
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
    level = brief.levels[-1] if brief.levels else _("not assessed")
    if len(brief.levels) > 1:
        level += " " + _("{arrow} (was {level})").format(
            arrow=_TRENDS[brief.trend], level=brief.levels[-2]
        )
    facts = [
        Fact(_("Maturity"), level, "good" if brief.trend == "up" else "default"),
        Fact(
            _("Phase"),
            (
                _("iteration {number}, {phase} since today")
                if brief.phase_days == 0
                else _("iteration {number}, {phase} for {days}")
            ).format(
                number=brief.iteration,
                phase=phase_word(brief.phase),
                days=days_text(brief.phase_days),
            ),
        ),
    ]
    health = brief.health
    health_text = band_word(health.band) + (
        f" ({health.score})" if health.score is not None else ""
    )
    if brief.weakest is not None:
        weakest = brief.weakest
        health_text += _("; weakest: {factor} ({value})").format(
            factor=weakest.label, value=_("missing") if weakest.missing else weakest.value
        )
    facts.append(Fact(_("Health"), health_text, _BAND_COLORS.get(health.band, "default")))
    if brief.renewal is not None and brief.checkpoint is not None:
        days = brief.renewal_days or 0
        renewal = day_text(brief.renewal)
        facts.append(
            Fact(
                _("Renewal"),
                _("{day} (in {days}); {checkpoint}").format(
                    day=renewal, days=days_text(days), checkpoint=brief.checkpoint.text
                )
                if days >= 0
                else f"{renewal}; {brief.checkpoint.text}",
                "attention" if days <= 90 else "warning" if days <= 183 else "default",
            )
        )
    else:
        facts.append(Fact(_("Renewal"), _("no date set: `renewal <customer> <date>`"), "warning"))
    work = [goal_line(goal, today) for goal in brief.open_goals]
    if brief.delivered:
        delivered = ", ".join(names.get(w, w) for w in brief.delivered)
        work.append(_("Delivered: {workshops}").format(workshops=delivered))
    if brief.left:
        left = ", ".join(names.get(w, w) for w in brief.left)
        work.append(_("Left to deliver: {workshops}").format(workshops=left))
    touches = [
        f"{day_text(touch.at)} · {touch_kind_word(touch.kind)} · {touch.by.name or touch.by.id}"
        + (f": {touch_note_text(touch.note)}" if touch.note else "")
        for touch in brief.touches
    ] or [_("No touches logged yet.")]
    open_items = [_("Next step: {step}").format(step=step) for step in brief.next_steps]
    open_items += [
        (_("{title} (due {day})") if r.due_on <= today else _("{title} (from {day})")).format(
            title=reminder_title(r, today), day=day_text(r.due_on)
        )
        for r in brief.follow_ups
    ]
    sections = [
        Section(_("Talking points"), lines=list(brief.talking_points)),
        Section(_("At a glance"), facts=facts),
        Section(_("Goals and delivery"), lines=work or [_("No statement of work yet.")]),
        Section(_("Last touches"), lines=touches),
    ]
    if open_items:
        sections.append(Section(_("Open next steps and follow-ups"), lines=open_items))
    return SummaryView(
        title=_("Call brief · {name}").format(name=brief.customer_name),
        subtitle=_("As of {day}").format(day=day_text(now)),
        sections=sections,
        buttons=[
            Button(_("Status"), _command("status", brief.customer_name), validate=False),
            Button(_("Health"), _command("health", brief.customer_name), validate=False),
        ],
    )
