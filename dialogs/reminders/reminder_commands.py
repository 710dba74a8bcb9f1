"""Reminder wording and the text commands around reminders.

Commands (routed by the bot; each returns the reply: text, or a card dict):

    reminders                       what is due and coming up for my customers (next 30 days)
    renewal <customer> <date>       set the renewal date (any format of `engagement.dates`:
                                    2026-12-31, 31.12.2026, Dec 31 2026, in 3 months; `none`
                                    clears it)
    licenses <customer> <n> <m>     the Azure license line (in `license_commands`)
    pause reminders until <date>    no reminders until that date (they come from that date on)
    resume reminders                end a pause
    digest on|off                   one card a day with everything due, or one card per reminder

Decisions: dates must be today or later (a renewal or a pause in the past means a typo).
Reminders that came due during a pause are sent when it ends, not dropped. Replies are in the
turn's language; German command words and dates are understood too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from cards.reminders import UpcomingView, reminder_list_card
from cards.text import code_span, escape_markdown
from dialogs.common.customer_names import did_you_mean, suggestions
from dialogs.common.messages import date_problem
from dialogs.reminders.reminder_texts import format_day, reminder_reason, reminder_title
from engagement.clock import Clock
from engagement.customers import change
from engagement.dates import DateNotUnderstood, parse_date
from engagement.errors import CustomerNotFound, InvalidCustomerName
from engagement.models import Customer, Person
from engagement.naming import clean_customer_name, customer_id_for
from engagement.ports import CustomerRepository, CustomerSummaries, ReminderStore
from engagement.reminder_index import index_time
from engagement.reminder_records import DeliveryState
from engagement.reminders import ReminderPolicy, upcoming
from engagement.slices import sliced
from engagement.working_hours import local_date
from i18n import N_, _, current_language, ngettext

UPCOMING_DAYS = 30
MAX_RENEWAL_YEARS = 10
MAX_PAUSE_DAYS = 366
DATE_EXAMPLES = N_("2026-12-31, 31.12.2026, Dec 31 2026 or in 3 weeks")
_ON, _OFF = frozenset({"on", "an", "ein"}), frozenset({"off", "aus"})
_CLEAR_WORDS = frozenset({"none", "clear", "-", "remove", "keins", "keine", "kein", "löschen"})

Reply = str | dict[str, Any]


@dataclass(frozen=True)
class ReminderServices:
    """What the reminder commands and card actions need, injected by the composition root.

    `customers` should be the `SchedulingCustomerRepository` so every save keeps the reminder
    index current; the commands here also re-index the customers they change, so they stay
    correct with a plain repository. `summaries` name a user's customers (no full listing).
    """

    customers: CustomerRepository
    reminders: ReminderStore
    policy: ReminderPolicy
    clock: Clock
    summaries: CustomerSummaries


# --- parsing ---------------------------------------------------------------------------------


def _split_trailing_date(argument: str, today: date) -> tuple[str, date | None, str]:
    """(customer name, date, problem) with the date read from the end of `argument`."""
    words = argument.split()
    for count in (3, 2, 1):
        if len(words) > count:
            try:
                parsed = parse_date(" ".join(words[-count:]), today, current_language())
            except DateNotUnderstood:
                continue
            return " ".join(words[:-count]), parsed, ""
    last = words[-1] if words else ""
    try:
        parse_date(last, today, current_language())
    except DateNotUnderstood as error:
        return " ".join(words[:-1]), None, escape_markdown(date_problem(error))
    return " ".join(words[:-1]), None, _("Tell me the customer before the date.")


async def _find_customer(
    services: ReminderServices, tenant_id: str, name: str
) -> tuple[Customer | None, str]:
    """The customer named `name`, or None with the reply explaining why."""
    try:
        customer_id = customer_id_for(clean_customer_name(name))
    except InvalidCustomerName:
        return None, _('"{name}" is not a customer name I can use.').format(
            name=escape_markdown(name[:60])
        )
    customer = await services.customers.get(tenant_id, customer_id)
    if customer is None:
        close = await suggestions(services.customers, tenant_id, name)
        return None, _(
            'I don\'t know a customer "{name}".{suggestions} Type `customers` to see them, or '
            "`assess {code}` to add it."
        ).format(
            name=escape_markdown(name[:60]),
            suggestions=did_you_mean(close),
            code=code_span(name[:60]),
        )
    return customer, ""


async def reindex(services: ReminderServices, customer: Customer, now: datetime) -> None:
    """Bring the customer's reminder index time forward if its reminders now come earlier."""
    preferences = await services.reminders.preferences(customer.tenant_id, customer.owner.id)
    zone = services.policy.zone(preferences.time_zone)
    records = await services.reminders.records(customer.tenant_id, customer.id)
    when = index_time(customer, records, now, services.policy, zone)
    if when is not None:
        await services.reminders.schedule_no_later(customer.tenant_id, customer.id, when)


async def _reindex_owned(
    services: ReminderServices, tenant_id: str, user_id: str, now: datetime
) -> None:
    """Let the next sweep look at every customer the user owns (after a resume or digest off)."""
    async for customer_id in sliced(await services.summaries.owned_by(tenant_id, user_id)):
        await services.reminders.schedule_no_later(tenant_id, customer_id, now)


async def _owned(services: ReminderServices, tenant_id: str, user_id: str) -> list[Customer]:
    owned = []  # read one by one: the summaries name them
    async for customer_id in sliced(await services.summaries.owned_by(tenant_id, user_id)):
        customer = await services.customers.get(tenant_id, customer_id)
        if customer is not None and customer.owner.id == user_id:
            owned.append(customer)
    return owned


async def _user_zone(services: ReminderServices, tenant_id: str, user: Person) -> ZoneInfo:
    preferences = await services.reminders.preferences(tenant_id, user.id)
    return services.policy.zone(preferences.time_zone)


# --- commands --------------------------------------------------------------------------------


async def reminders_command(
    argument: str, tenant_id: str, user: Person, now: datetime, services: ReminderServices
) -> Reply:
    """`reminders`: what is due and coming up in the next 30 days for the customers I own."""
    preferences = await services.reminders.preferences(tenant_id, user.id)
    zone = services.policy.zone(preferences.time_zone)
    today = local_date(now, zone)
    until = now + timedelta(days=UPCOMING_DAYS)
    owned = await _owned(services, tenant_id, user.id)
    hours = services.policy.working_hours
    rows: list[tuple[datetime, UpcomingView]] = []
    for customer in owned:
        records = await services.reminders.records(tenant_id, customer.id)
        for reminder in upcoming(customer, now, until, services.policy, zone):
            record = records.get(reminder.id)
            if record is not None and record.state in {
                DeliveryState.DONE,
                DeliveryState.UNDELIVERABLE,
            }:
                continue
            due_now = reminder.due_at <= now
            # worded as of the day it arrives: a reminder due outside working hours (a weekend
            # with weekend sending off) arrives at the next opening, and its days count to then
            arrives = hours.next_send_time(max(reminder.due_at, now), zone)
            as_of = today if due_now else local_date(arrives, zone)
            when = _("due now") if due_now else format_day(as_of)
            if record is not None and record.state == DeliveryState.SNOOZED:
                until_day = local_date(record.snoozed_until or now, zone)
                when = _("snoozed until {day}").format(day=format_day(until_day))
            rows.append(
                (
                    reminder.due_at,
                    UpcomingView(
                        when=when,
                        customer_name=customer.name,
                        title=reminder_title(reminder, as_of),
                        why=reminder_reason(reminder, as_of),
                        due_now=due_now,
                    ),
                )
            )
    rows.sort(key=lambda row: row[0])
    notes = []
    paused = preferences.paused(now, zone)
    if paused is not None:
        notes.append(_("paused until {day}").format(day=format_day(local_date(paused, zone))))
    if preferences.digest:
        notes.append(_("daily digest on"))
    heading = ngettext(
        "Reminders for your customers, next {count} day",
        "Reminders for your customers, next {count} days",
        UPCOMING_DAYS,
    ).format(count=UPCOMING_DAYS)
    if notes:
        heading += f" ({', '.join(notes)})"
    empty = (
        ngettext(
            "Nothing is due in the next {count} day.",
            "Nothing is due in the next {count} days.",
            UPCOMING_DAYS,
        ).format(count=UPCOMING_DAYS)
        if owned
        else _("You own no customers yet: the customers you assess are yours.")
    )
    return reminder_list_card(heading, [view for _due, view in rows], empty)


async def renewal_command(
    argument: str, tenant_id: str, user: Person, now: datetime, services: ReminderServices
) -> Reply:
    """`renewal <customer> <date>`: set (or with `none`, clear) the customer's renewal date."""
    words = argument.split()
    usage = _(
        "Tell me the customer and the date, e.g. `renewal Contoso 2026-12-31` ({examples})."
    ).format(examples=_(DATE_EXAMPLES))
    if len(words) < 2:
        return usage
    zone = await _user_zone(services, tenant_id, user)
    today = local_date(now, zone)
    renewal: date | None
    if words[-1].casefold() in _CLEAR_WORDS:
        name, renewal = " ".join(words[:-1]), None
    else:
        name, renewal, problem = _split_trailing_date(argument, today)
        if renewal is None:
            return problem
        if renewal < today:
            return _("{day} is in the past. Please give the next renewal date.").format(
                day=format_day(renewal)
            )
        if renewal > date(today.year + MAX_RENEWAL_YEARS, today.month, min(today.day, 28)):
            return ngettext(
                "{day} is more than {count} year away.",
                "{day} is more than {count} years away.",
                MAX_RENEWAL_YEARS,
            ).format(day=format_day(renewal), count=MAX_RENEWAL_YEARS)
    customer, problem = await _find_customer(services, tenant_id, name)
    if customer is None:
        return problem

    def set_renewal(stored: Customer) -> None:
        stored.renewal_date = renewal
        stored.updated_at = now

    try:
        saved, _changed = await change(services.customers, tenant_id, customer.id, set_renewal)
    except CustomerNotFound:
        return _gone(customer)
    await reindex(services, saved, now)
    if renewal is None:
        return _("Cleared the renewal date of {name}: no renewal reminders for it.").format(
            name=escape_markdown(saved.name)
        )
    offsets = [o for o in services.policy.renewal_offsets if renewal - timedelta(days=o) >= today]
    days_list = ", ".join(str(o) for o in services.policy.renewal_offsets)
    first = renewal - timedelta(days=offsets[0]) if offsets else today
    if first > today:
        next_text = _("The next one comes on {day}.").format(day=format_day(first))
    else:
        next_text = _("One is due now: it comes with the next round of reminders.")
    return _(
        "Renewal of {name} set to {day}. The owner is reminded {offsets} days ahead. {next}"
    ).format(
        name=escape_markdown(saved.name), day=format_day(renewal), offsets=days_list, next=next_text
    )


def _gone(customer: Customer) -> str:
    return _('The customer "{name}" no longer exists.').format(name=escape_markdown(customer.name))


async def pause_command(
    argument: str, tenant_id: str, user: Person, now: datetime, services: ReminderServices
) -> Reply:
    """`pause reminders until <date>`: no reminders before that date."""
    text = re.sub(r"^(until|bis)\s+", "", argument.strip(), flags=re.IGNORECASE)
    if not text:
        return _("Until when? E.g. `pause reminders until 2026-12-31` ({examples}).").format(
            examples=_(DATE_EXAMPLES)
        )
    preferences = await services.reminders.preferences(tenant_id, user.id)
    zone = services.policy.zone(preferences.time_zone)
    today = local_date(now, zone)
    try:
        until = parse_date(text, today, current_language())
    except DateNotUnderstood as error:
        return escape_markdown(date_problem(error))
    if until <= today:
        return _("Please give a date after today.")
    if until > today + timedelta(days=MAX_PAUSE_DAYS):
        return _("Reminders can be paused for a year at most.")
    preferences.paused_until = until
    await services.reminders.put_preferences(preferences)
    return _(
        "Reminders paused: you get them again from {day}. What comes due meanwhile is sent "
        "then. Type `resume reminders` to end the pause earlier."
    ).format(day=format_day(until))


async def resume_command(
    argument: str, tenant_id: str, user: Person, now: datetime, services: ReminderServices
) -> Reply:
    """`resume reminders`: end a pause now."""
    preferences = await services.reminders.preferences(tenant_id, user.id)
    if preferences.paused(now, services.policy.zone(preferences.time_zone)) is None:
        return _("Reminders are not paused.")
    preferences.paused_until = None
    await services.reminders.put_preferences(preferences)
    await _reindex_owned(services, tenant_id, user.id, now)
    return _("Reminders resumed: what came due during the pause comes with the next round.")


async def digest_command(
    argument: str, tenant_id: str, user: Person, now: datetime, services: ReminderServices
) -> Reply:
    """`digest on|off`: one card a day with everything due, or one card per reminder."""
    choice = argument.strip().casefold()
    if choice not in _ON | _OFF:
        return _("Type `digest on` (one card a day with everything due) or `digest off`.")
    preferences = await services.reminders.preferences(tenant_id, user.id)
    preferences.digest = choice in _ON
    await services.reminders.put_preferences(preferences)
    if preferences.digest:
        return _(
            "Digest on: you get one card a day, at the start of your working hours, with "
            "everything that is due."
        )
    await _reindex_owned(services, tenant_id, user.id, now)
    return _("Digest off: each reminder comes as its own card when it is due.")
