"""How a reminder reads: its title, why it comes now, and its card view (in reminder cards,
the `reminders` list and the call brief), in the turn's (or the recipient's) language."""

from __future__ import annotations

import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

from cards.reminders import ReminderItemView
from dialogs.common.messages import day_text, weekday_text
from dialogs.reminders.renewal_texts import CHECKPOINT_KINDS, checkpoint_reason, checkpoint_title
from engagement.models import Phase
from engagement.reminders import Reminder, ReminderKind
from engagement.working_hours import local_date
from i18n import N_, _, ngettext
from i18n.formats import format_fixed

# The phase a stalled reminder names: a title in English ("stuck in the Assess phase"), the
# lowercase command word in German as everywhere else (Phase „bewerten“, like status).
_PHASE_TITLES = {
    Phase.ASSESS: N_("Assess"),
    Phase.COMMIT: N_("Commit"),
    Phase.DELIVER: N_("Deliver"),
    Phase.ENSURE: N_("Ensure"),
    Phase.CLOSED: N_("Closed"),
}
_DECIMAL = re.compile(r"\d+\.\d+")


def format_day(day: date) -> str:
    """`Mon 2 Nov 2026` / `Mo., 2. Nov. 2026`."""
    return weekday_text(day)


def _phase_name(value: str) -> str:
    try:
        return _(_PHASE_TITLES[Phase(value)])
    except ValueError:
        return value.capitalize() if value else _("current")


def _scores(about: str) -> str:
    """`NPS 4, CSAT 2.0` with its decimals in the turn's language (`CSAT 2,0`)."""

    def decimal(found: re.Match[str]) -> str:
        return format_fixed(float(found.group()), len(found.group().split(".")[1]))

    return _DECIMAL.sub(decimal, about)


def reminder_title(reminder: Reminder, today: date) -> str:
    """What the reminder asks for, in one line."""
    name = reminder.customer_name
    kind = reminder.kind
    if kind in CHECKPOINT_KINDS:
        return checkpoint_title(reminder)
    if kind == ReminderKind.CHECK_IN:
        return _("Check in with {name}").format(name=name)
    if kind == ReminderKind.RENEWAL and reminder.target is not None:
        left = (reminder.target - today).days
        if left == 0:
            return _("{name} renews today").format(name=name)
        return ngettext(
            "{name} renews in {count} day", "{name} renews in {count} days", left
        ).format(name=name, count=left)
    if kind == ReminderKind.GOAL_DUE and reminder.target is not None:
        if today > reminder.target:
            return _("Goal overdue: {goal}").format(goal=reminder.about)
        return _("Goal due: {goal}").format(goal=reminder.about)
    if kind == ReminderKind.PHASE_STALLED:
        return _("{name} is stuck in the {phase} phase").format(
            name=name, phase=_phase_name(reminder.about)
        )
    if kind == ReminderKind.ENSURE_FOLLOW_UP:
        return _("Follow up with {name} on the delivery").format(name=name)
    if kind == ReminderKind.DETRACTOR_FOLLOW_UP:
        return _("Call {name}: an unhappy customer ({scores})").format(
            name=name, scores=_scores(reminder.about)
        )
    return _("Reminder about {name}").format(name=name)


def _check_in_reason(reminder: Reminder, since: date, today: date) -> str:
    count = (today - since).days
    if reminder.about == "added":
        text = ngettext(
            "{count} day since the customer was added ({day}); partners touch each customer at "
            "least twice a month.",
            "{count} days since the customer was added ({day}); partners touch each customer at "
            "least twice a month.",
            count,
        )
    else:
        text = ngettext(
            "{count} day since the last touch ({day}); partners touch each customer at least "
            "twice a month.",
            "{count} days since the last touch ({day}); partners touch each customer at least "
            "twice a month.",
            count,
        )
    return text.format(count=count, day=format_day(since))


def _goal_reason(target: date, today: date) -> str:
    late = (today - target).days
    if late > 0:
        return ngettext(
            "The goal was due {day} ({count} day ago): check it with the customer and record "
            "the outcome in ensure.",
            "The goal was due {day} ({count} days ago): check it with the customer and record "
            "the outcome in ensure.",
            late,
        ).format(day=format_day(target), count=late)
    return _(
        "The goal is due {day}: check it with the customer and record the outcome in ensure."
    ).format(day=format_day(target))


def reminder_reason(reminder: Reminder, today: date) -> str:
    """Why the reminder comes now."""
    kind = reminder.kind
    since = reminder.since
    if kind in CHECKPOINT_KINDS:
        return checkpoint_reason(reminder)
    if kind == ReminderKind.CHECK_IN and since is not None:
        return _check_in_reason(reminder, since, today)
    if kind == ReminderKind.RENEWAL and reminder.target is not None:
        return _(
            "The renewal is on {day} ({offset}-day reminder): review licenses, usage and the "
            "next iteration with the customer."
        ).format(day=format_day(reminder.target), offset=reminder.offset_days)
    if kind == ReminderKind.GOAL_DUE and reminder.target is not None:
        return _goal_reason(reminder.target, today)
    if kind == ReminderKind.PHASE_STALLED and since is not None:
        count = (today - since).days
        return ngettext(
            "In the {phase} phase for {count} day (since {day}): move it on, or note what "
            "blocks it.",
            "In the {phase} phase for {count} days (since {day}): move it on, or note what "
            "blocks it.",
            count,
        ).format(phase=_phase_name(reminder.about), count=count, day=format_day(since))
    if kind == ReminderKind.DETRACTOR_FOLLOW_UP and since and reminder.target:
        return _(
            "The ensure review on {day} gave {scores}: follow up with the customer by {by} "
            "(within 2 working days) and log the touch; logging it closes this reminder."
        ).format(
            day=format_day(since), scores=_scores(reminder.about), by=format_day(reminder.target)
        )
    if kind == ReminderKind.ENSURE_FOLLOW_UP and since is not None:
        return _(
            "The last delivery was on {day}: check the goals with the customer and run the "
            "ensure review."
        ).format(day=format_day(since))
    return _("It is due.")


def follow_up_line(reminder: Reminder, today: date) -> str:
    """A reminder as one line of the call brief's follow-ups: `Check in with Contoso (due 02 Nov
    2026)`, `... (from 16 Nov 2026)` when it comes later."""
    title, day = reminder_title(reminder, today), day_text(reminder.due_on)
    if reminder.due_on <= today:
        return _("{title} (due {day})").format(title=title, day=day)
    return _("{title} (from {day})").format(title=title, day=day)


def reminder_view(reminder: Reminder, now: datetime, zone: ZoneInfo) -> ReminderItemView:
    """The card view of a reminder, worded for a recipient in `zone`."""
    today = local_date(now, zone)
    day = reminder.target if reminder.kind == ReminderKind.GOAL_DUE else reminder.due_on
    day = day or reminder.due_on
    overdue = day < today
    if day == today:
        due = _("today ({day})").format(day=format_day(day))
    elif overdue:
        late = (today - day).days
        due = ngettext("{day} ({count} day ago)", "{day} ({count} days ago)", late).format(
            day=format_day(day), count=late
        )
    else:
        due = format_day(day)
    return ReminderItemView(
        reminder_id=reminder.id,
        customer_id=reminder.customer_id,
        customer_name=reminder.customer_name,
        title=reminder_title(reminder, today),
        why=reminder_reason(reminder, today),
        due=due,
        overdue=overdue,
        brief=reminder.kind in (ReminderKind.CHECK_IN, ReminderKind.RENEWAL, *CHECKPOINT_KINDS),
    )
