"""How a reminder reads: its title, why it comes now, and its card view (in reminder cards,
the `reminders` list and the call brief)."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from cards.reminders import ReminderItemView
from dialogs.reminders.renewal_texts import CHECKPOINT_KINDS, checkpoint_reason, checkpoint_title
from engagement.reminders import Reminder, ReminderKind
from engagement.working_hours import local_date


def format_day(day: date) -> str:
    """`Mon 2 Nov 2026`."""
    return f"{day:%a} {day.day} {day:%b %Y}"


def days_text(count: int) -> str:
    """`1 day`, `3 days`."""
    return "1 day" if count == 1 else f"{count} days"


def _phase_name(value: str) -> str:
    return value.capitalize() if value else "the current"


def reminder_title(reminder: Reminder, today: date) -> str:
    """What the reminder asks for, in one line."""
    name = reminder.customer_name
    kind = reminder.kind
    if kind in CHECKPOINT_KINDS:
        return checkpoint_title(reminder)
    if kind == ReminderKind.CHECK_IN:
        return f"Check in with {name}"
    if kind == ReminderKind.RENEWAL and reminder.target is not None:
        left = (reminder.target - today).days
        when = "today" if left == 0 else f"in {days_text(left)}"
        return f"{name} renews {when}"
    if kind == ReminderKind.GOAL_DUE and reminder.target is not None:
        state = "overdue" if today > reminder.target else "due"
        return f"Goal {state}: {reminder.about}"
    if kind == ReminderKind.PHASE_STALLED:
        return f"{name} is stuck in the {_phase_name(reminder.about)} phase"
    if kind == ReminderKind.ENSURE_FOLLOW_UP:
        return f"Follow up with {name} on the delivery"
    if kind == ReminderKind.DETRACTOR_FOLLOW_UP:
        return f"Call {name}: an unhappy customer ({reminder.about})"
    return f"Reminder about {name}"


def reminder_reason(reminder: Reminder, today: date) -> str:
    """Why the reminder comes now."""
    kind = reminder.kind
    since = reminder.since
    if kind in CHECKPOINT_KINDS:
        return checkpoint_reason(reminder)
    if kind == ReminderKind.CHECK_IN and since is not None:
        what = "the customer was added" if reminder.about == "added" else "the last touch"
        return (
            f"{days_text((today - since).days)} since {what} ({format_day(since)}); "
            "partners touch each customer at least twice a month."
        )
    if kind == ReminderKind.RENEWAL and reminder.target is not None:
        return (
            f"The renewal is on {format_day(reminder.target)} "
            f"({reminder.offset_days}-day reminder): review licenses, usage and the next "
            "iteration with the customer."
        )
    if kind == ReminderKind.GOAL_DUE and reminder.target is not None:
        late = (today - reminder.target).days
        when = (
            f"was due {format_day(reminder.target)} ({days_text(late)} ago)"
            if late > 0
            else f"is due {format_day(reminder.target)}"
        )
        return f"The goal {when}: check it with the customer and record the outcome in ensure."
    if kind == ReminderKind.PHASE_STALLED and since is not None:
        return (
            f"In the {_phase_name(reminder.about)} phase for {days_text((today - since).days)} "
            f"(since {format_day(since)}): move it on, or note what blocks it."
        )
    if kind == ReminderKind.DETRACTOR_FOLLOW_UP and since and reminder.target:
        return (
            f"The ensure review on {format_day(since)} gave {reminder.about}: follow up with the "
            f"customer by {format_day(reminder.target)} (within 2 working days) and log the "
            "touch; logging it closes this reminder."
        )
    if kind == ReminderKind.ENSURE_FOLLOW_UP and since is not None:
        return (
            f"The last delivery was on {format_day(since)}: check the goals with the customer "
            "and run the ensure review."
        )
    return "It is due."


def reminder_view(reminder: Reminder, now: datetime, zone: ZoneInfo) -> ReminderItemView:
    """The card view of a reminder, worded for a recipient in `zone`."""
    today = local_date(now, zone)
    day = reminder.target if reminder.kind == ReminderKind.GOAL_DUE else reminder.due_on
    day = day or reminder.due_on
    overdue = day < today
    if day == today:
        due = f"today ({format_day(day)})"
    elif overdue:
        due = f"{format_day(day)} ({days_text((today - day).days)} ago)"
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
