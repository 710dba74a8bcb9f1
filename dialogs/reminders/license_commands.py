"""`licenses <customer> <licensed> <active> [product]`: one product's license line.

License counts must be whole numbers from 0 to 10,000,000 (typed as the user's language writes
them); more active than licensed users is accepted (over-deployment and trials happen) with a
note in the reply.
"""

from __future__ import annotations

from datetime import datetime

from cards.text import escape_markdown
from dialogs.reminders.reminder_commands import (
    ReminderServices,
    Reply,
    _find_customer,
    _gone,
    _user_zone,
)
from dialogs.reminders.reminder_texts import format_day
from engagement.customers import change
from engagement.errors import CustomerNotFound
from engagement.licenses import license_line_text, license_lines_in_use
from engagement.models import Customer, LicenseLine, Person
from engagement.numbers import NumberNotUnderstood, parse_count
from engagement.working_hours import local_date
from i18n import _, current_language
from i18n.formats import format_number, format_percent

DEFAULT_PRODUCT = "Azure"
MAX_LICENSES = 10_000_000


async def licenses_command(
    argument: str, tenant_id: str, user: Person, now: datetime, services: ReminderServices
) -> Reply:
    """`licenses <customer> <licensed> <active> [product]`: set one product's license line (Azure
    when no product is named); the customer's other products keep theirs."""
    usage = _(
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
            return _('"{word}" is not a whole number. {usage}').format(
                word=escape_markdown(word[:20]), usage=usage
            )
    licensed, active = numbers
    if licensed < 0 or active < 0:
        return _("License counts cannot be negative.")
    if licensed > MAX_LICENSES or active > MAX_LICENSES:
        return _("License counts above {limit} are not accepted; please check the numbers.").format(
            limit=format_number(MAX_LICENSES, 0)
        )
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
        saved, _changed = await change(services.customers, tenant_id, customer.id, set_licenses)
    except CustomerNotFound:
        return _gone(customer)
    reply = _license_reply(product, saved, line)
    lines = license_lines_in_use(saved)
    if len(lines) > 1:
        reply += _(" All lines, worst first: {lines}.").format(
            lines="; ".join(map(license_line_text, lines))
        )
    return reply


def _license_reply(product: str, saved: Customer, line: LicenseLine) -> str:
    licensed, active = line.licensed, line.active
    text = (
        _(
            "{product} licenses of {name}: {licensed} licensed, {active} active ({share} in "
            "use), as of {day}."
        )
        if licensed
        else _("{product} licenses of {name}: {licensed} licensed, {active} active, as of {day}.")
    )
    reply = text.format(
        product=escape_markdown(product),
        name=escape_markdown(saved.name),
        licensed=format_number(licensed, 0),
        active=format_number(active, 0),
        share=format_percent(active / licensed) if licensed else "",
        day=format_day(line.as_of),
    )
    if active > licensed:
        reply += _(" More users are active than licensed: check for a true-up.")
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
