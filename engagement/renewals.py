"""Renewals beyond the 90/60/30-day reminders (seed 002, "Managing the renewal process").

Two checkpoints before each renewal date, each a reminder with its checklist: planning 12-15
months ahead (review the account, identify risk) and execution 3-6 months ahead (manage the
risk, execute). The outcome is recorded with `renewal <customer> done|lost <reason>`: a lost
renewal keeps its reason code; both count in the KPIs (renewal rate, churn).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from engagement.errors import DomainError
from engagement.models import Customer, Person, RenewalOutcome

PLANNING_DAYS = 456  # 15 months: the planning checkpoint opens (until 12 months, 365 days)
PLANNING_UNTIL_DAYS = 365
EXECUTION_DAYS = 183  # 6 months: the execution checkpoint opens (until 3 months, 91 days)
EXECUTION_UNTIL_DAYS = 91
MAX_REASON_CHARS = 200
LATE_DAYS = 30  # a renewal date set late gets no checkpoint it could hardly act on


@dataclass(frozen=True)
class Checkpoint:
    """A renewal checkpoint: it opens `opens` days before the renewal, its window closes
    `closes` days before."""

    opens: int
    closes: int

    def too_late(self, days_left: int) -> bool:
        """True when less than LATE_DAYS of the window are left: the reminder is not made."""
        return days_left <= self.closes + LATE_DAYS


# By reminder kind (engagement.reminders.ReminderKind values).
CHECKPOINTS = {
    "renewal_planning": Checkpoint(PLANNING_DAYS, PLANNING_UNTIL_DAYS),
    "renewal_execution": Checkpoint(EXECUTION_DAYS, EXECUTION_UNTIL_DAYS),
}


class NoRenewalDate(DomainError):
    """A renewal outcome was recorded for a customer without a renewal date."""

    def __init__(self, customer_id: str) -> None:
        super().__init__(customer_id)
        self.customer_id = customer_id


class ReasonTooLong(DomainError, ValueError):
    """A renewal outcome's reason is longer than MAX_REASON_CHARS."""

    def __init__(self, length: int) -> None:
        super().__init__(f"the reason is longer than {MAX_REASON_CHARS} characters")
        self.length = length


def record_renewal_outcome(
    customer: Customer, *, renewed: bool, reason: str, by: Person, now: datetime
) -> RenewalOutcome:
    """Record how the customer's current renewal ended and clear the renewal date (its
    reminders stop; the next date is set with `renewal <customer> <date>`).

    Raises:
        NoRenewalDate: the customer has no renewal date to close.
        ValueError: a lost renewal without a reason.
        ReasonTooLong: a reason over 200 characters (also a ValueError).
    """
    if customer.renewal_date is None:
        raise NoRenewalDate(customer.id)
    reason = " ".join(reason.split())
    if not renewed and not reason:
        raise ValueError("a lost renewal needs its reason")
    if len(reason) > MAX_REASON_CHARS:
        raise ReasonTooLong(len(reason))
    outcome = RenewalOutcome(
        renewal_date=customer.renewal_date, renewed=renewed, reason=reason, by=by, at=now
    )
    customer.renewals.append(outcome)
    customer.renewal_date = None
    customer.updated_at = now
    return outcome


def reason_code(reason: str) -> str:
    """The reason as counted in the KPIs: lower case, at most 40 characters."""
    return " ".join(reason.casefold().split())[:40] or "no reason given"
