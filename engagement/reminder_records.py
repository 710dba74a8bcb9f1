"""What the reminder sender records: delivery state per reminder, preferences, index entries."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Annotated
from zoneinfo import ZoneInfo

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from engagement.reminders import Reminder, ReminderKind
from engagement.working_hours import start_of_day


class DeliveryState(StrEnum):
    """Where a reminder's delivery stands."""

    PENDING = "pending"  # due and not delivered yet; a failed attempt waits for `retry_at`
    SENDING = "sending"  # intent recorded before a send; after a crash it is sent again
    SENT = "sent"  # the connector accepted it
    SNOOZED = "snoozed"  # delivered; deliver again at `snoozed_until`
    DONE = "done"  # the user marked it done (or logged the touch): never again
    UNDELIVERABLE = "undeliverable"  # Teams said the conversation is gone; not retried


SETTLED_STATES = frozenset({DeliveryState.SENT, DeliveryState.DONE, DeliveryState.UNDELIVERABLE})


class DeliveryRecord(BaseModel):
    """The delivery state of one reminder (by its id)."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True)

    id: Annotated[str, Field(min_length=1, max_length=100)]
    tenant_id: str
    customer_id: str
    kind: ReminderKind
    due_on: date
    state: DeliveryState = DeliveryState.PENDING
    attempts: Annotated[int, Field(ge=0)] = 0
    last_error: Annotated[str, Field(max_length=500)] = ""
    sent_at: AwareDatetime | None = None
    retry_at: AwareDatetime | None = None
    snoozed_until: AwareDatetime | None = None
    conversation_id: str = ""
    updated_at: AwareDatetime

    @classmethod
    def for_reminder(cls, reminder: Reminder, now: datetime) -> DeliveryRecord:
        """A fresh pending record for `reminder`."""
        return cls(
            id=reminder.id,
            tenant_id=reminder.tenant_id,
            customer_id=reminder.customer_id,
            kind=reminder.kind,
            due_on=reminder.due_on,
            updated_at=now,
        )

    def waits_until(self, now: datetime) -> datetime | None:
        """When this record may be sent (again): `now` or later; None when it is settled."""
        if self.state in SETTLED_STATES:
            return None
        if self.state == DeliveryState.SNOOZED and self.snoozed_until is not None:
            return max(now, self.snoozed_until)
        if self.state == DeliveryState.PENDING and self.retry_at is not None:
            return max(now, self.retry_at)
        return now  # pending, or `sending` left by a crash: at least once, so send again


class UserPreferences(BaseModel):
    """One user's reminder settings and where to reach them, per tenant."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True)

    tenant_id: str
    user_id: str
    digest: bool = False
    paused_until: date | None = None  # reminders resume at the start of this date
    time_zone: str | None = None  # IANA name as Teams reported it
    personal_conversation_id: str | None = None
    last_conversation_id: str | None = None
    last_digest_on: date | None = None  # local date of the last digest sent
    language: str | None = None  # "de" or "en" as chosen with `language de|en`
    client_language: str | None = None  # the language of the user's Teams client (its locale)

    def speaks(self) -> str:
        """The user's language: their choice, else their Teams client's, else English."""
        return self.language or self.client_language or "en"

    def paused(self, now: datetime, zone: ZoneInfo) -> datetime | None:
        """The time reminders resume if paused at `now`, else None."""
        if self.paused_until is None:
            return None
        resume = start_of_day(self.paused_until, zone)
        return resume if resume > now else None


@dataclass(frozen=True)
class IndexEntry:
    """A customer whose reminders need a look at `due` (a hint: the sweep re-checks).

    `location` is backend-specific (where the entry was found), passed back when rescheduling.
    """

    tenant_id: str
    customer_id: str
    due: datetime
    location: str = ""


@dataclass(frozen=True)
class Rescheduled:
    """A swept customer's next index time (None: none) and the index entries the sweep read."""

    tenant_id: str
    customer_id: str
    due: datetime | None
    looked: tuple[IndexEntry, ...]
