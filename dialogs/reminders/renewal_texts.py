"""How the renewal checkpoints read on reminder cards: title and checklist (seed 002, 5.2)."""

from __future__ import annotations

from datetime import date

from engagement.reminders import Reminder, ReminderKind

CHECKPOINT_KINDS = frozenset({ReminderKind.RENEWAL_PLANNING, ReminderKind.RENEWAL_EXECUTION})
PLANNING_CHECKLIST = (
    "review usage, licences and health",
    "check the goals achieved and the value delivered",
    "identify risks and expansion opportunities",
    "agree the renewal plan and its owner",
)
EXECUTION_CHECKLIST = (
    "manage the risks found",
    "confirm the decision makers and the value story",
    "prepare the proposal (services expansion, co-term)",
    "capture CSAT or NPS",
)


def _day(day: date) -> str:
    return f"{day:%a} {day.day} {day:%b %Y}"


def checkpoint_title(reminder: Reminder) -> str:
    """ "Renewal planning: Contoso (renews Tue 1 Feb 2028)"."""
    step = "planning" if reminder.kind is ReminderKind.RENEWAL_PLANNING else "execution"
    renews = f" (renews {_day(reminder.target)})" if reminder.target else ""
    return f"Renewal {step}: {reminder.customer_name}{renews}"


def checkpoint_reason(reminder: Reminder) -> str:
    """Why now, and the checkpoint's checklist; how to record it."""
    if reminder.kind is ReminderKind.RENEWAL_PLANNING:
        return (
            "Renewal planning checkpoint, 12-15 months ahead: "
            + "; ".join(PLANNING_CHECKLIST)
            + ". Press Done when the plan stands."
        )
    return (
        "Renewal execution checkpoint, 3-6 months ahead: "
        + "; ".join(EXECUTION_CHECKLIST)
        + f". Record the result with `renewal {reminder.customer_name} done` or "
        f"`renewal {reminder.customer_name} lost <reason>`."
    )
