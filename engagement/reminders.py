"""Reminder policy: which reminders a customer has due at a given time, and when the next one is.

Everything here is a pure function of a Customer, an injected `now` and a `ReminderPolicy`; no I/O.
The sender's records: `engagement/reminder_records.py`; the storage Protocol: `engagement/ports.py`;
the repository wrapper keeping the reminder index current: `engagement/reminder_index.py`.

Kinds and when they are due (seeds: partners touch each customer at least twice a month; vendors
prompt partners for renewal 60-90 days ahead):

- `check_in`: last touch (or creation) + `check_in_days`; repeats until a touch is logged.
- `renewal`: the start of `renewal_date - offset` days, for each offset (90, 60, 30); once each,
  and none after the renewal date.
- `goal_due`: the start of a goal's due date, in deliver/ensure while the goal is not closed;
  repeats every `goal_overdue_repeat_days` while overdue (0 = only on the due date).
- `phase_stalled`: phase entered + `stall_days` (assess to ensure); repeats in the same phase.
- `ensure_follow_up`: the start of the last delivery's day + `ensure_followup_days`, in
  deliver/ensure while there is no review; once per last delivery.
- `detractor_follow_up`: a detractor's review (`engagement/detractors.py`), the next working day.

"Start of a day" is midnight in the recipient's time zone (given as `zone`; the policy's default
zone otherwise). Of a repeating or multi-offset reminder only the latest occurrence that has come
is due: a bot that was offline for a month sends one check-in, not two, and a renewal date entered
20 days ahead gets the 30-day reminder, not three.

Each Reminder has a stable identity (tenant, customer, kind, subject, due date) and an id derived
from it, so the sender sends it once. It stops being due when its cause goes away: a touch moves the
check-in, a closed goal has no reminder, a new phase resets the stall clock.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from typing import Annotated
from zoneinfo import ZoneInfo

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, field_validator, model_validator

from engagement.detractors import detractor_follow_up
from engagement.models import Customer, Iteration, Person, Phase
from engagement.renewals import CHECKPOINTS
from engagement.working_hours import WorkingHours, resolve_zone, start_of_day, zone_or_none

STALL_PHASES = frozenset({Phase.ASSESS, Phase.COMMIT, Phase.DELIVER, Phase.ENSURE})
GOAL_PHASES = frozenset({Phase.DELIVER, Phase.ENSURE})  # goals are committed once both agreed
_ID_DIGEST_CHARS = 32


class ReminderKind(StrEnum):
    """What a reminder is about."""

    CHECK_IN = "check_in"
    RENEWAL = "renewal"
    RENEWAL_PLANNING = "renewal_planning"  # checkpoint 12-15 months ahead (engagement.renewals)
    RENEWAL_EXECUTION = "renewal_execution"  # checkpoint 3-6 months ahead
    GOAL_DUE = "goal_due"
    PHASE_STALLED = "phase_stalled"
    ENSURE_FOLLOW_UP = "ensure_follow_up"
    DETRACTOR_FOLLOW_UP = "detractor_follow_up"


class ReminderPolicy(BaseModel):
    """When reminders are due and when they may be sent. Frozen; defaults follow the seeds.

    Attributes:
        check_in_days: A check-in is due this many days after the last touch (or creation).
        renewal_offsets: Days before the renewal date at which to remind, e.g. (90, 60, 30).
        stall_days: A phase (assess/commit/deliver/ensure) held this long counts as stalled.
        ensure_followup_days: Days after the last delivery to follow up while no review exists.
        goal_overdue_repeat_days: Repeat an overdue goal's reminder this often; 0 = only once.
        working_hours_start: Local time from which reminders may be sent.
        working_hours_end: Local time until which reminders may be sent (exclusive).
        weekend_sending: Whether reminders may be sent on Saturdays and Sundays.
        default_time_zone: IANA zone for recipients whose zone is unknown or invalid.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    check_in_days: Annotated[int, Field(ge=1, le=365)] = 14
    renewal_offsets: tuple[int, ...] = (90, 60, 30)
    stall_days: Annotated[int, Field(ge=1, le=365)] = 30
    ensure_followup_days: Annotated[int, Field(ge=1, le=365)] = 7
    goal_overdue_repeat_days: Annotated[int, Field(ge=0, le=365)] = 7
    working_hours_start: time = time(9)
    working_hours_end: time = time(17)
    weekend_sending: bool = False
    default_time_zone: str = "UTC"

    @field_validator("renewal_offsets")
    @classmethod
    def _offsets_are_sensible(cls, value: tuple[int, ...]) -> tuple[int, ...]:
        if any(not 1 <= offset <= 730 for offset in value):
            raise ValueError("renewal offsets must be between 1 and 730 days")
        return tuple(sorted(set(value), reverse=True))

    @field_validator("default_time_zone")
    @classmethod
    def _zone_is_known(cls, value: str) -> str:
        if zone_or_none(value) is None:
            raise ValueError(f"unknown time zone {value!r} (use an IANA name like Europe/Berlin)")
        return value

    @model_validator(mode="after")
    def _hours_are_a_window(self) -> ReminderPolicy:
        if self.working_hours_start >= self.working_hours_end:
            raise ValueError("working hours must start before they end")
        return self

    @property
    def working_hours(self) -> WorkingHours:
        """The sending window as a WorkingHours value."""
        return WorkingHours(self.working_hours_start, self.working_hours_end, self.weekend_sending)

    def zone(self, name: str | None) -> ZoneInfo:
        """The recipient's zone by IANA name; the default zone when empty or invalid."""
        return resolve_zone(name, self.default_time_zone)


def reminder_id(tenant_id: str, customer_id: str, kind: str, subject: str, due_on: date) -> str:
    """The deterministic id of a reminder identity: `<kind>-<32 hex digits>`."""
    key = "\x1f".join((tenant_id, customer_id, kind, subject, due_on.isoformat()))
    return f"{kind}-{hashlib.sha256(key.encode('utf-8')).hexdigest()[:_ID_DIGEST_CHARS]}"


class Reminder(BaseModel):
    """One due (or upcoming) reminder: its identity plus the facts the message is worded from.

    Identity: (tenant_id, customer_id, kind, subject, due_on); `id` is derived from it.
    `about` names the goal or phase; `since` is the date the reminder counts from (last touch,
    phase entered, last delivery) and `target` the date it counts to (renewal, goal due).
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    tenant_id: str
    customer_id: str
    customer_name: str
    owner: Person
    kind: ReminderKind
    subject: str
    due_on: date
    due_at: AwareDatetime
    about: str = ""
    since: date | None = None
    target: date | None = None
    offset_days: int | None = None

    @property
    def id(self) -> str:
        """The stable id of this reminder's identity."""
        return reminder_id(self.tenant_id, self.customer_id, self.kind, self.subject, self.due_on)


@dataclass(frozen=True)
class _Occurrences:
    """Of one reminder source: the latest occurrence that has come (if any) and the next one."""

    current: Reminder | None
    following: Reminder | None


@dataclass(frozen=True)
class _Context:
    customer: Customer
    now: datetime
    policy: ReminderPolicy
    zone: ZoneInfo

    def make(
        self,
        kind: ReminderKind,
        subject: str,
        due_at: datetime,
        *,
        due_on: date | None = None,
        about: str = "",
        since: date | None = None,
        target: date | None = None,
        offset_days: int | None = None,
    ) -> Reminder:
        customer = self.customer
        return Reminder(
            tenant_id=customer.tenant_id,
            customer_id=customer.id,
            customer_name=customer.name,
            owner=customer.owner,
            kind=kind,
            subject=subject,
            due_on=due_on if due_on is not None else due_at.astimezone(UTC).date(),
            due_at=due_at,
            about=about,
            since=since,
            target=target,
            offset_days=offset_days,
        )


def _repeating(
    first: datetime,
    every: timedelta | None,
    now: datetime,
    occurrence: Callable[[int], Reminder],
) -> _Occurrences:
    """Of the occurrences `first + k * every` (k >= 0; only k = 0 without `every`), the latest
    at or before `now` and the one after it, made by `occurrence(k)`."""
    if now < first:
        return _Occurrences(None, occurrence(0))
    if every is None:
        return _Occurrences(occurrence(0), None)
    current = (now - first) // every
    return _Occurrences(occurrence(current), occurrence(current + 1))


def _check_in(ctx: _Context) -> _Occurrences:
    customer = ctx.customer
    last = max((touch.at for touch in customer.touches), default=customer.created_at)
    every = timedelta(days=ctx.policy.check_in_days)
    first = last + every

    def occurrence(k: int) -> Reminder:
        return ctx.make(
            ReminderKind.CHECK_IN,
            "touch",
            first + k * every,
            about="touched" if customer.touches else "added",
            since=last.astimezone(ctx.zone).date(),
        )

    return _repeating(first, every, ctx.now, occurrence)


def _renewal(ctx: _Context) -> _Occurrences:
    renewal = ctx.customer.renewal_date
    if renewal is None or ctx.now >= start_of_day(renewal + timedelta(days=1), ctx.zone):
        return _Occurrences(None, None)
    current: Reminder | None = None
    following: Reminder | None = None
    kinds = dict.fromkeys(ctx.policy.renewal_offsets, ReminderKind.RENEWAL)
    for checkpoint in (ReminderKind.RENEWAL_PLANNING, ReminderKind.RENEWAL_EXECUTION):
        kinds.setdefault(CHECKPOINTS[checkpoint].opens, checkpoint)
    left = (renewal - ctx.now.astimezone(ctx.zone).date()).days
    # Largest offset (earliest date) first; a later reminder replaces an earlier one as current.
    for offset, kind in sorted(kinds.items(), reverse=True):
        if kind in CHECKPOINTS and CHECKPOINTS[kind].too_late(left):
            continue
        day = renewal - timedelta(days=offset)
        reminder = ctx.make(
            kind,
            f"{kind.value}:{renewal.isoformat()}:{offset}",
            start_of_day(day, ctx.zone),
            due_on=day,
            target=renewal,
            offset_days=offset,
        )
        if reminder.due_at <= ctx.now:
            current = reminder
        elif following is None:
            following = reminder
    return _Occurrences(current, following)


def goal_is_closed(iteration: Iteration, goal_id: str) -> bool:
    """A goal is closed when its iteration is closed or the review has an outcome for it."""
    if iteration.phase == Phase.CLOSED or iteration.closed_at is not None:
        return True
    review = iteration.review
    return review is not None and any(outcome.goal_id == goal_id for outcome in review.outcomes)


def _goals(ctx: _Context) -> Iterator[_Occurrences]:
    iteration = ctx.customer.current
    if iteration.phase not in GOAL_PHASES or iteration.commitment is None:
        return
    repeat = ctx.policy.goal_overdue_repeat_days
    for goal in iteration.commitment.goals:
        if goal_is_closed(iteration, goal.id):
            continue
        every = timedelta(days=repeat) if repeat else None

        def occurrence(
            k: int, due: date = goal.due, title: str = goal.title, goal_id: str = goal.id
        ) -> Reminder:
            day = due + timedelta(days=k * repeat)
            return ctx.make(
                ReminderKind.GOAL_DUE,
                f"goal:{iteration.number}:{goal_id}",
                start_of_day(day, ctx.zone),
                due_on=day,
                about=title,
                target=due,
            )

        yield _repeating(start_of_day(goal.due, ctx.zone), every, ctx.now, occurrence)


def _stall(ctx: _Context) -> _Occurrences:
    iteration = ctx.customer.current
    if iteration.phase not in STALL_PHASES:
        return _Occurrences(None, None)
    every = timedelta(days=ctx.policy.stall_days)
    entered = iteration.phase_changed_at
    first = entered + every

    def occurrence(k: int) -> Reminder:
        return ctx.make(
            ReminderKind.PHASE_STALLED,
            f"phase:{iteration.number}:{iteration.phase.value}",
            first + k * every,
            about=iteration.phase.value,
            since=entered.astimezone(ctx.zone).date(),
        )

    return _repeating(first, every, ctx.now, occurrence)


def _ensure_follow_up(ctx: _Context) -> _Occurrences:
    iteration = ctx.customer.current
    if iteration.phase not in GOAL_PHASES or iteration.review is not None:
        return _Occurrences(None, None)
    if not iteration.deliveries:
        return _Occurrences(None, None)
    last = max(iteration.deliveries, key=lambda delivery: (delivery.on, delivery.at))
    day = last.on + timedelta(days=ctx.policy.ensure_followup_days)
    reminder = ctx.make(
        ReminderKind.ENSURE_FOLLOW_UP,
        f"follow_up:{iteration.number}:{last.id}",
        start_of_day(day, ctx.zone),
        due_on=day,
        about=last.workshop_id,
        since=last.on,
    )
    if reminder.due_at <= ctx.now:
        return _Occurrences(reminder, None)
    return _Occurrences(None, reminder)


def _detractor_follow_up(ctx: _Context) -> _Occurrences:
    found = detractor_follow_up(ctx.customer, ctx.zone, ctx.policy.weekend_sending)
    if found is None:
        return _Occurrences(None, None)
    kind, about = ReminderKind.DETRACTOR_FOLLOW_UP, found.about
    made = ctx.make(kind, found.subject, found.due_at, about=about, since=found.on, target=found.by)
    return _Occurrences(made, None) if made.due_at <= ctx.now else _Occurrences(None, made)


def _all_occurrences(
    customer: Customer, now: datetime, policy: ReminderPolicy, zone: ZoneInfo | None
) -> list[_Occurrences]:
    if now.tzinfo is None:
        raise ValueError("now must be an aware datetime")
    ctx = _Context(customer, now, policy, zone or policy.zone(None))
    return [
        _check_in(ctx),
        _renewal(ctx),
        *_goals(ctx),
        _stall(ctx),
        _ensure_follow_up(ctx),
        _detractor_follow_up(ctx),
    ]


def due_reminders(
    customer: Customer, now: datetime, policy: ReminderPolicy, zone: ZoneInfo | None = None
) -> list[Reminder]:
    """The reminders of `customer` due at `now` (the latest occurrence of each), by due time;
    days start in `zone` (the recipient's; the policy's default when None)."""
    due = [o.current for o in _all_occurrences(customer, now, policy, zone) if o.current]
    return sorted(due, key=lambda reminder: (reminder.due_at, reminder.kind, reminder.subject))


def next_due(
    customer: Customer, now: datetime, policy: ReminderPolicy, zone: ZoneInfo | None = None
) -> datetime | None:
    """The earliest time after `now` at which a new reminder of `customer` becomes due."""
    times = [
        o.following.due_at for o in _all_occurrences(customer, now, policy, zone) if o.following
    ]
    return min(times, default=None)


def upcoming(
    customer: Customer,
    now: datetime,
    until: datetime,
    policy: ReminderPolicy,
    zone: ZoneInfo | None = None,
) -> list[Reminder]:
    """What is due now plus the next occurrence of each reminder up to `until`, by due time."""
    found: list[Reminder] = []
    for occurrences in _all_occurrences(customer, now, policy, zone):
        if occurrences.current is not None:
            found.append(occurrences.current)
        if occurrences.following is not None and occurrences.following.due_at <= until:
            found.append(occurrences.following)
    return sorted(found, key=lambda reminder: (reminder.due_at, reminder.kind, reminder.subject))
