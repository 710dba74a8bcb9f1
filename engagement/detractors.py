"""Detractor follow-up (seeds 002, 003): an NPS of 0-6 or a CSAT of 2 or less in the latest
review with satisfaction asks the owner to follow up within `DETRACTOR_WORKING_DAYS` working days
(the reminder is due at the start of the next working day, `engagement/reminders.py`); a touch the
user logs after the review closes it (the touches the bot logs itself do not).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from engagement.lifecycle import AUTOMATIC_TOUCHES
from engagement.models import Customer, Review
from engagement.working_hours import start_of_day

DETRACTOR_WORKING_DAYS = 2
DETRACTOR_NPS = 6  # NPS 0-6: a detractor
DETRACTOR_CSAT = 2.0  # CSAT (the mean of the three 1-5 ratings) of 2 or less


def open_detractor_review(customer: Customer) -> tuple[int, Review, str] | None:
    """(iteration number, review, "NPS 4, CSAT 2.3") of a detractor's latest review that nobody
    followed up yet, or None."""
    reviewed = [
        (it.number, it.review, it.review.satisfaction)
        for it in customer.iterations
        if it.review is not None and it.review.satisfaction is not None
    ]
    if not reviewed:
        return None
    number, review, satisfaction = reviewed[-1]
    csat = (satisfaction.overall + satisfaction.value + satisfaction.team) / 3
    if satisfaction.nps > DETRACTOR_NPS and csat > DETRACTOR_CSAT:
        return None
    if any(t.at >= review.at and t.note not in AUTOMATIC_TOUCHES for t in customer.touches):
        return None
    return number, review, f"NPS {satisfaction.nps}, CSAT {csat:.1f}"


@dataclass(frozen=True)
class DetractorFollowUp:
    """When the owner is reminded (`due_at`, the next working day), about what, and by when."""

    subject: str
    due_at: datetime
    about: str
    on: date  # the day of the review
    by: date  # DETRACTOR_WORKING_DAYS working days after it


def detractor_follow_up(
    customer: Customer, zone: ZoneInfo, weekends: bool
) -> DetractorFollowUp | None:
    """The follow-up a detractor's review asks for (days start in `zone`), or None."""
    found = open_detractor_review(customer)
    if found is None:
        return None
    number, review, about = found
    day = review.at.astimezone(zone).date()
    return DetractorFollowUp(
        subject=f"detractor:{number}",
        due_at=start_of_day(working_days_after(day, 1, weekends), zone),
        about=about,
        on=day,
        by=working_days_after(day, DETRACTOR_WORKING_DAYS, weekends),
    )


def working_days_after(day: date, count: int, weekends: bool) -> date:
    """The day `count` working days after `day` (every day is one when `weekends`)."""
    while count > 0:
        day += timedelta(days=1)
        if weekends or day.weekday() < 5:
            count -= 1
    return day
