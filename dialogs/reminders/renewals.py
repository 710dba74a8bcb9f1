"""`renewal <customer> done|lost <reason>`: record how a renewal ended (issue 17 part 2).

`renewal <customer> <date>` (setting the date) stays in dialogs/reminders/reminder_commands.py; this
module answers the outcome forms and hands every other `renewal` line on to it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from cards.text import code_span, escape_markdown
from dialogs.reminders.reminder_commands import (
    ReminderServices,
    Reply,
    _find_customer,
    _gone,
    reindex,
    renewal_command,
)
from dialogs.reminders.reminder_texts import format_day
from engagement.customers import change
from engagement.errors import CustomerNotFound
from engagement.models import Customer, Person
from engagement.renewals import (
    MAX_REASON_CHARS,
    NoRenewalDate,
    ReasonTooLong,
    record_renewal_outcome,
)
from i18n import _

DONE_WORDS = frozenset({"done", "renewed", "won", "erledigt", "verlängert", "verlaengert"})
LOST_WORDS = frozenset({"lost", "churned", "verloren", "gekündigt", "gekuendigt"})


@dataclass(frozen=True)
class OutcomeLine:
    """A parsed `renewal <customer> done|lost <reason>`."""

    customer: str
    renewed: bool
    reason: str


def parse_outcome(argument: str) -> OutcomeLine | None:
    """The outcome form of the `renewal` arguments, or None when it is not one."""
    words = argument.split()
    if len(words) >= 2 and words[-1].casefold() in DONE_WORDS:
        return OutcomeLine(" ".join(words[:-1]), True, "")
    for index, word in enumerate(words[1:], start=1):
        if word.casefold().rstrip(":") in LOST_WORDS:
            return OutcomeLine(" ".join(words[:index]), False, " ".join(words[index + 1 :]))
    return None


async def renewal_or_outcome_command(
    argument: str, tenant_id: str, user: Person, now: datetime, services: ReminderServices
) -> Reply:
    """`renewal <customer> done|lost <reason>` records the outcome; anything else sets the date."""
    line = parse_outcome(argument)
    if line is None:
        return await renewal_command(argument, tenant_id, user, now, services)
    if not line.renewed and not line.reason:
        return _(
            "Why was it lost? Give the reason code, e.g. `renewal {name} lost price` or `lost "
            "moved to a competitor`."
        ).format(name=line.customer)
    customer, problem = await _find_customer(services, tenant_id, line.customer)
    if customer is None:
        return problem

    def record(stored: Customer) -> None:
        record_renewal_outcome(stored, renewed=line.renewed, reason=line.reason, by=user, now=now)

    try:
        saved, _changed = await change(services.customers, tenant_id, customer.id, record)
    except CustomerNotFound:
        return _gone(customer)
    except NoRenewalDate:
        return _(
            "{name} has no renewal date to close. Set it first with `renewal {code} <date>`."
        ).format(name=escape_markdown(customer.name), code=code_span(customer.name))
    except ReasonTooLong:
        return _("That was not recorded: the reason is longer than {limit} characters.").format(
            limit=MAX_REASON_CHARS
        )
    await reindex(services, saved, now)
    outcome = saved.renewals[-1]
    text = (
        _(
            "Recorded: the renewal of {name} on {day} was renewed; it counts in `kpis`. Its "
            "renewal reminders stop. Set the next renewal date with `renewal {code} <date>`."
        )
        if outcome.renewed
        else _(
            "Recorded: the renewal of {name} on {day} was lost ({reason}); it counts in `kpis`. "
            "Its renewal reminders stop. Set the next renewal date with `renewal {code} <date>`."
        )
    )
    return text.format(
        name=escape_markdown(saved.name),
        day=format_day(outcome.renewal_date),
        reason=outcome.reason,
        code=code_span(saved.name),
    )
