"""Reminder wording and the text commands around reminders.

Commands (routed by the bot; each returns the reply: text, or a card dict):

    reminders                       what is due and coming up for my customers (next 30 days)
    renewal <customer> <date>       set the renewal date (any format of `engagement.dates`:
                                    2026-12-31, 31.12.2026, Dec 31 2026, in 3 months; `none`
                                    clears it)
    licenses <customer> <n> <m>     set the Azure license line: n licensed, m active users
    pause reminders until <date>    no reminders until that date (they come from that date on)
    resume reminders                end a pause
    digest on|off                   one card a day with everything due, or one card per reminder

Decisions: dates must be today or later (a renewal or a pause in the past means a typo);
license counts must be whole numbers from 0 to 10,000,000, and more active than licensed users is
accepted (over-deployment and trials happen) with a note in the reply. Reminders that came due
during a pause are sent when it ends, not dropped.
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
from engagement.licenses import license_line_text, license_lines_in_use
from engagement.models import Customer, LicenseLine, Person
from engagement.naming import clean_customer_name, customer_id_for
from engagement.numbers import NumberNotUnderstood, parse_count
from engagement.ports import CustomerRepository, CustomerSummaries, ReminderStore
from engagement.reminder_index import index_time
from engagement.reminder_records import DeliveryState
from engagement.reminders import ReminderPolicy, upcoming
from engagement.slices import sliced
from engagement.working_hours import local_date
from i18n import current_language

UPCOMING_DAYS = 30
DEFAULT_PRODUCT = "Azure"
MAX_LICENSES = 10_000_000
MAX_RENEWAL_YEARS = 10
MAX_PAUSE_DAYS = 366
DATE_EXAMPLES = "2026-12-31, 31.12.2026, Dec 31 2026 or in 3 weeks"
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
    return " ".join(words[:-1]), None, "Tell me the customer before the date."


async def _find_customer(
    services: ReminderServices, tenant_id: str, name: str
) -> tuple[Customer | None, str]:
    """The customer named `name`, or None with the reply explaining why."""
    try:
        customer_id = customer_id_for(clean_customer_name(name))
    except InvalidCustomerName:
        return None, f'"{escape_markdown(name[:60])}" is not a customer name I can use.'
    customer = await services.customers.get(tenant_id, customer_id)
    if customer is None:
        close = await suggestions(services.customers, tenant_id, name)
        return None, (
            f'I don\'t know a customer "{escape_markdown(name[:60])}".{did_you_mean(close)} Type '
            f"`customers` to see them, or `assess {code_span(name[:60])}` to add it."
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
            when = "due now" if due_now else format_day(as_of)
            if record is not None and record.state == DeliveryState.SNOOZED:
                until_day = local_date(record.snoozed_until or now, zone)
                when = f"snoozed until {format_day(until_day)}"
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
        notes.append(f"paused until {format_day(local_date(paused, zone))}")
    if preferences.digest:
        notes.append("daily digest on")
    heading = f"Reminders for your customers, next {UPCOMING_DAYS} days"
    if notes:
        heading += f" ({', '.join(notes)})"
    empty = (
        "Nothing is due in the next 30 days."
        if owned
        else "You own no customers yet: the customers you assess are yours."
    )
    return reminder_list_card(heading, [view for _, view in rows], empty)


async def renewal_command(
    argument: str, tenant_id: str, user: Person, now: datetime, services: ReminderServices
) -> Reply:
    """`renewal <customer> <date>`: set (or with `none`, clear) the customer's renewal date."""
    words = argument.split()
    usage = (
        f"Tell me the customer and the date, e.g. `renewal Contoso 2026-12-31` ({DATE_EXAMPLES})."
    )
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
            return f"{format_day(renewal)} is in the past. Please give the next renewal date."
        if renewal > date(today.year + MAX_RENEWAL_YEARS, today.month, min(today.day, 28)):
            return f"{format_day(renewal)} is more than {MAX_RENEWAL_YEARS} years away."
    customer, problem = await _find_customer(services, tenant_id, name)
    if customer is None:
        return problem

    def set_renewal(stored: Customer) -> None:
        stored.renewal_date = renewal
        stored.updated_at = now

    try:
        saved, _ = await change(services.customers, tenant_id, customer.id, set_renewal)
    except CustomerNotFound:
        return f'The customer "{customer.name}" no longer exists.'
    await reindex(services, saved, now)
    if renewal is None:
        return (
            f"Cleared the renewal date of {escape_markdown(saved.name)}: no renewal reminders "
            "for it."
        )
    offsets = [o for o in services.policy.renewal_offsets if renewal - timedelta(days=o) >= today]
    days_list = ", ".join(str(o) for o in services.policy.renewal_offsets)
    first = renewal - timedelta(days=offsets[0]) if offsets else today
    if first > today:
        next_text = f"The next one comes on {format_day(first)}."
    else:
        next_text = "One is due now: it comes with the next round of reminders."
    return (
        f"Renewal of {escape_markdown(saved.name)} set to {format_day(renewal)}. "
        "The owner is reminded "
        f"{days_list} days ahead. {next_text}"
    )


async def licenses_command(
    argument: str, tenant_id: str, user: Person, now: datetime, services: ReminderServices
) -> Reply:
    """`licenses <customer> <licensed> <active> [product]`: set one product's license line (Azure
    when no product is named); the customer's other products keep theirs."""
    usage = (
        "Tell me the customer, licensed and active users and the product if it is not Azure, "
        "e.g. `licenses Contoso 500 320` or `licenses Contoso 0 9 Microsoft 365`."
    )
    words = argument.split()
    if len(words) < 3:
        return usage
    language = current_language()
    split = _counts_at(words, language)
    product = " ".join(words[split + 2 :])[:100] or DEFAULT_PRODUCT
    numbers: list[int] = []
    for word in words[split : split + 2]:
        try:
            numbers.append(parse_count(word, language))
        except NumberNotUnderstood:
            return f'"{escape_markdown(word[:20])}" is not a whole number. {usage}'
    licensed, active = numbers
    if licensed < 0 or active < 0:
        return "License counts cannot be negative."
    if licensed > MAX_LICENSES or active > MAX_LICENSES:
        return f"License counts above {MAX_LICENSES:,} are not accepted; please check the numbers."
    customer, problem = await _find_customer(services, tenant_id, " ".join(words[:split]))
    if customer is None:
        return problem
    zone = await _user_zone(services, tenant_id, user)
    today = local_date(now, zone)
    line = LicenseLine(product=product, licensed=licensed, active=active, as_of=today)

    def set_licenses(stored: Customer) -> None:
        others = [
            existing
            for existing in stored.licenses
            if existing.product.casefold() != product.casefold()
        ]
        stored.licenses = [*others, line]
        stored.updated_at = now

    try:
        saved, _ = await change(services.customers, tenant_id, customer.id, set_licenses)
    except CustomerNotFound:
        return f'The customer "{customer.name}" no longer exists.'
    usage_text = f" ({round(100 * active / licensed)}% in use)" if licensed else ""
    reply = (
        f"{escape_markdown(product)} licenses of {escape_markdown(saved.name)}: "
        f"{licensed:,} licensed, {active:,} active"
        f"{usage_text}, as of {format_day(today)}."
    )
    if active > licensed:
        reply += " More users are active than licensed: check for a true-up."
    lines = license_lines_in_use(saved)
    if len(lines) > 1:
        reply += " All lines, worst first: " + "; ".join(map(license_line_text, lines)) + "."
    return reply


def _counts_at(words: list[str], language: str) -> int:
    """Where `<licensed> <active>` start: the last two words, or else the first two numbers
    after the customer's name that a product name follows (`Contoso 0 9 Microsoft 365`)."""

    def count(word: str) -> bool:
        try:
            parse_count(word, language)
        except NumberNotUnderstood:
            return False
        return True

    if all(map(count, words[-2:])):
        return len(words) - 2
    for index in range(1, len(words) - 2):
        if count(words[index]) and count(words[index + 1]):
            return index
    return len(words) - 2


async def pause_command(
    argument: str, tenant_id: str, user: Person, now: datetime, services: ReminderServices
) -> Reply:
    """`pause reminders until <date>`: no reminders before that date."""
    text = re.sub(r"^(until|bis)\s+", "", argument.strip(), flags=re.IGNORECASE)
    if not text:
        return f"Until when? E.g. `pause reminders until 2026-12-31` ({DATE_EXAMPLES})."
    preferences = await services.reminders.preferences(tenant_id, user.id)
    zone = services.policy.zone(preferences.time_zone)
    today = local_date(now, zone)
    try:
        until = parse_date(text, today, current_language())
    except DateNotUnderstood as error:
        return escape_markdown(date_problem(error))
    if until <= today:
        return "Please give a date after today."
    if until > today + timedelta(days=MAX_PAUSE_DAYS):
        return "Reminders can be paused for a year at most."
    preferences.paused_until = until
    await services.reminders.put_preferences(preferences)
    return (
        f"Reminders paused: you get them again from {format_day(until)}. What comes due "
        "meanwhile is sent then. Type `resume reminders` to end the pause earlier."
    )


async def resume_command(
    argument: str, tenant_id: str, user: Person, now: datetime, services: ReminderServices
) -> Reply:
    """`resume reminders`: end a pause now."""
    preferences = await services.reminders.preferences(tenant_id, user.id)
    if preferences.paused(now, services.policy.zone(preferences.time_zone)) is None:
        return "Reminders are not paused."
    preferences.paused_until = None
    await services.reminders.put_preferences(preferences)
    await _reindex_owned(services, tenant_id, user.id, now)
    return "Reminders resumed: what came due during the pause comes with the next round."


async def digest_command(
    argument: str, tenant_id: str, user: Person, now: datetime, services: ReminderServices
) -> Reply:
    """`digest on|off`: one card a day with everything due, or one card per reminder."""
    choice = argument.strip().casefold()
    if choice not in _ON | _OFF:
        return "Type `digest on` (one card a day with everything due) or `digest off`."
    preferences = await services.reminders.preferences(tenant_id, user.id)
    preferences.digest = choice in _ON
    await services.reminders.put_preferences(preferences)
    if preferences.digest:
        return (
            "Digest on: you get one card a day, at the start of your working hours, with "
            "everything that is due."
        )
    await _reindex_owned(services, tenant_id, user.id, now)
    return "Digest off: each reminder comes as its own card when it is due."
