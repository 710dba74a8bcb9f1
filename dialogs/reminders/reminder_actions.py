"""The one-click actions on reminder cards: Log touch, Snooze 1 day / 1 week, Done.

("Open status" is a `run_command` submit, routed like any command.) Each click is
self-describing, so it works on a card from days ago or after a restart, and a repeated click is
harmless: a reminder already done says so instead of logging a second touch. Anyone in the tenant
who sees the card may act on it (in a shared chat that is the team managing the customer); a
snooze or done applies to the reminder itself, whoever clicks.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from cards.reminders import LOG_TOUCH_ACTION, REMINDER_DONE_ACTION, SNOOZE_ACTION
from cards.text import escape_markdown
from dialogs.common.card_actions import (
    REMINDER_OUT_OF_DATE,
    LogTouchSubmit,
    ReminderSubmit,
    SnoozeSubmit,
)
from dialogs.reminders.reminder_commands import ReminderServices, reindex
from dialogs.reminders.reminder_texts import format_day
from engagement.customers import change
from engagement.errors import ConcurrencyConflict, CustomerNotFound
from engagement.lifecycle import log_touch
from engagement.models import Customer, Person, Touch, TouchKind
from engagement.reminder_records import DeliveryRecord, DeliveryState
from engagement.reminders import ReminderKind, ReminderPolicy, due_reminders
from engagement.working_hours import local_date
from i18n import _

logger = logging.getLogger(__name__)

REMINDER_ACTIONS = frozenset({LOG_TOUCH_ACTION, SNOOZE_ACTION, REMINDER_DONE_ACTION})
TOUCH_NOTE = "Logged from a reminder"  # stored data: a marker the domain reads, not translated


async def handle_reminder_action(
    submit: ReminderSubmit,
    tenant_id: str,
    user: Person,
    now: datetime,
    services: ReminderServices,
    *,
    conversation_id: str | None = None,
) -> str:
    """Carry out a reminder card's action and return the reply to show.

    Args:
        submit: The button's data, parsed at the edge (`action` is one of REMINDER_ACTIONS).
        tenant_id: The turn's tenant.
        user: Who clicked.
        now: The current time.
        services: Repositories, reminder store, policy.
        conversation_id: Where the click happened; remembered as the conversation where this
            customer is managed (a fallback for its reminders).
    """
    store = services.reminders
    customer = await services.customers.get(tenant_id, submit.customer)
    if customer is None:
        return _customer_gone()
    if conversation_id:
        await store.remember_customer_conversation(tenant_id, customer.id, conversation_id)
    records = await store.records(tenant_id, customer.id)
    record = records.get(submit.reminder) if submit.reminder else None
    if record is not None and record.state == DeliveryState.DONE:
        return _("That reminder about {name} is already done; nothing was changed.").format(
            name=escape_markdown(customer.name)
        )
    if isinstance(submit, LogTouchSubmit):
        return await _log_touch(customer, record, user, now, services)
    if record is None:
        owner = await store.preferences(tenant_id, customer.owner.id)
        record = _record_for_due(
            customer, submit.reminder, now, services.policy, services.policy.zone(owner.time_zone)
        )
        if record is None:
            return _(REMINDER_OUT_OF_DATE)
    preferences = await store.preferences(tenant_id, user.id)
    zone = services.policy.zone(preferences.time_zone)
    if isinstance(submit, SnoozeSubmit):
        until = now + timedelta(days=submit.days)
        record.state = DeliveryState.SNOOZED
        record.snoozed_until = until
        record.updated_at = now
        await store.put_records([record])
        await store.schedule_no_later(tenant_id, customer.id, until)
        return _("Snoozed: I'll remind you about {name} again on {day}.").format(
            name=escape_markdown(customer.name), day=format_day(local_date(until, zone))
        )
    record.state = DeliveryState.DONE
    record.updated_at = now
    await store.put_records([record])
    return _("Done: I won't remind you about this again ({name}).").format(
        name=escape_markdown(customer.name)
    )


def _record_for_due(
    customer: Customer, reminder_id: str, now: datetime, policy: ReminderPolicy, zone: ZoneInfo
) -> DeliveryRecord | None:
    """A new record for a reminder of `customer` that is due now (its record was pruned)."""
    for reminder in due_reminders(customer, now, policy, zone):
        if reminder.id == reminder_id:
            return DeliveryRecord.for_reminder(reminder, now)
    return None


async def _log_touch(
    customer: Customer,
    record: DeliveryRecord | None,
    user: Person,
    now: datetime,
    services: ReminderServices,
) -> str:
    touch = Touch(at=now, by=user, kind=TouchKind.OTHER, note=TOUCH_NOTE)

    def add_touch(stored: Customer) -> None:
        log_touch(stored, touch)
        stored.updated_at = now

    try:
        saved, _changed = await change(
            services.customers, customer.tenant_id, customer.id, add_touch
        )
    except CustomerNotFound:
        return _customer_gone()
    except ConcurrencyConflict:
        logger.warning("could not log a touch on %s: it kept changing", customer.id)
        return _("{name} is being changed by someone else right now. Please try again.").format(
            name=escape_markdown(customer.name)
        )
    if record is not None:
        record.state = DeliveryState.DONE
        record.updated_at = now
        await services.reminders.put_records([record])
    await reindex(services, saved, now)
    next_check_in = now + timedelta(days=services.policy.check_in_days)
    preferences = await services.reminders.preferences(customer.tenant_id, user.id)
    zone = services.policy.zone(preferences.time_zone)
    kind_note = ""
    if record is not None and record.kind != ReminderKind.CHECK_IN:
        kind_note = _(" The reminder is marked done.")
    return _(
        "Logged a touch with {name}.{done} The next check-in reminder comes on {day} unless you "
        "touch it again before."
    ).format(
        name=escape_markdown(saved.name),
        done=kind_note,
        day=format_day(local_date(next_check_in, zone)),
    )


def _customer_gone() -> str:
    return _("I can't find that customer any more, so nothing was changed.")
