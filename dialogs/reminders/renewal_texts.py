"""How the renewal checkpoints read on reminder cards: title and checklist (seed 002, 5.2)."""

from __future__ import annotations

from dialogs.common.messages import weekday_text
from engagement.reminders import Reminder, ReminderKind
from i18n import N_, _

CHECKPOINT_KINDS = frozenset({ReminderKind.RENEWAL_PLANNING, ReminderKind.RENEWAL_EXECUTION})
PLANNING_CHECKLIST = (
    N_("review usage, licences and health"),
    N_("check the goals achieved and the value delivered"),
    N_("identify risks and expansion opportunities"),
    N_("agree the renewal plan and its owner"),
)
EXECUTION_CHECKLIST = (
    N_("manage the risks found"),
    N_("confirm the decision makers and the value story"),
    N_("prepare the proposal (services expansion, co-term)"),
    N_("capture CSAT or NPS"),
)


def checkpoint_title(reminder: Reminder) -> str:
    """ "Renewal planning: Contoso (renews Tue 1 Feb 2028)"."""
    planning = reminder.kind is ReminderKind.RENEWAL_PLANNING
    name = reminder.customer_name
    if reminder.target:
        title = (
            _("Renewal planning: {name} (renews {day})")
            if planning
            else _("Renewal execution: {name} (renews {day})")
        )
        return title.format(name=name, day=weekday_text(reminder.target))
    title = _("Renewal planning: {name}") if planning else _("Renewal execution: {name}")
    return title.format(name=name)


def checkpoint_reason(reminder: Reminder) -> str:
    """Why now, and the checkpoint's checklist; how to record it."""
    if reminder.kind is ReminderKind.RENEWAL_PLANNING:
        return _(
            "Renewal planning checkpoint, 12-15 months ahead: {checklist}. Press Done when the "
            "plan stands."
        ).format(checklist="; ".join(_(item) for item in PLANNING_CHECKLIST))
    return _(
        "Renewal execution checkpoint, 3-6 months ahead: {checklist}. Record the result with "
        "`renewal {name} done` or `renewal {name} lost <reason>`."
    ).format(
        checklist="; ".join(_(item) for item in EXECUTION_CHECKLIST), name=reminder.customer_name
    )
