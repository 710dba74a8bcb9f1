"""Delivering one recipient's due reminders: route, group into cards, send, record durably.

Each send is bracketed by two durable writes (see bot/reminder_sweep.py for why that makes
delivery at-least-once and never lost): record `sending` (the in-flight mark), send, record `sent`,
`pending` (with `retry_at`) or `undeliverable` (with the reason). At most `uncertain_sends` cards
per process are between the two (marked, outcome not yet recorded): what one crash can repeat. The
mark is written after pacing, right before the request; an attempt that certainly failed and is
retried after a wait (429, 5xx) is recorded `pending` before the wait, so a waiting send holds no
slot. A conversation Teams says is gone (401/403/404) is marked stale once; the recipient's other
cards for it in this delivery are marked undeliverable with the same reason without being sent.
Imports no botbuilder.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from bot.outbound.retry import CardSender, SendResult, SendStatus
from cards.reminders import MAX_DIGEST_ITEMS, reminder_card, reminder_digest_card
from dialogs.reminders.reminder_texts import reminder_view
from engagement.ports import ConversationReferences, ReminderStore
from engagement.reminder_records import DeliveryRecord, DeliveryState, UserPreferences
from engagement.reminders import Reminder
from engagement.working_hours import local_date
from i18n import use_language

logger = logging.getLogger(__name__)

Trace = Callable[[str, Sequence[str]], None]

NO_ROUTE = "no conversation with the owner yet (they need to message the bot once)"
_UNDELIVERABLE = frozenset({SendStatus.GONE, SendStatus.REFUSED})


@dataclass
class SweepReport:
    """What one sweep did (counts of reminders unless said otherwise)."""

    customers: int = 0  # customers loaded
    due: int = 0  # reminders due
    settled: int = 0  # already sent, done or undeliverable
    deferred: int = 0  # snoozed, paused, retry later, outside working hours, digest tomorrow
    sent: int = 0  # delivered now
    cards: int = 0  # messages sent (a digest card carries several reminders)
    failed: int = 0  # left pending after failing now
    undeliverable: int = 0
    possible_duplicates: int = 0  # marked in flight by a process that ended: sent again
    errors: list[str] = field(default_factory=list)


@dataclass
class Recipient:
    """One user's reminders to send in this sweep, and the customers they came from."""

    tenant_id: str
    user_id: str
    preferences: UserPreferences
    zone: ZoneInfo
    items: list[tuple[Reminder, DeliveryRecord | None]] = field(default_factory=list)
    customers: list[str] = field(default_factory=list)  # ids of the customers planned for them
    retry_times: dict[str, list[datetime]] = field(default_factory=dict)  # customer -> retry_at


class Delivery:
    """Sends recipients' reminders (see the module docstring).

    Args:
        reminders: The reminder store (records, preferences, where customers were managed).
        references: Conversation references (marked stale on 401/403/404).
        sender: Sends one card, paced and retried.
        retry_base: Delay before a later sweep retries a failed reminder (doubles per attempt).
        retry_max: Longest such delay (also the wait of a reminder with nowhere to go).
        burst: More reminders than this due at once for one conversation come as digest cards.
        trace: Called after each durable step with ("intent" | "retry" | "sent" | "pending" |
            "undeliverable", reminder ids); for tests and crash drills.
        uncertain_sends: Cards marked in flight whose outcome is not recorded yet, at most.
    """

    def __init__(
        self,
        *,
        reminders: ReminderStore,
        references: ConversationReferences,
        sender: CardSender,
        retry_base: timedelta,
        retry_max: timedelta,
        burst: int,
        trace: Trace | None,
        uncertain_sends: int = 1,
    ) -> None:
        if uncertain_sends < 1:
            raise ValueError("uncertain_sends must be at least 1")
        self._store = reminders
        self._references = references
        self._sender = sender
        self._retry_base = retry_base
        self._retry_max = retry_max
        self._burst = burst
        self._trace = trace
        self._uncertain = asyncio.Semaphore(uncertain_sends)

    async def deliver(self, recipient: Recipient, now: datetime, report: SweepReport) -> None:
        """Send the recipient's queued reminders, grouped by the conversation they go to, in
        the recipient's language."""
        with use_language(recipient.preferences.speaks()):
            await self._deliver(recipient, now, report)

    async def _deliver(self, recipient: Recipient, now: datetime, report: SweepReport) -> None:
        routes: dict[str, tuple[dict[str, Any], list[tuple[Reminder, DeliveryRecord]]]] = {}
        unrouted: list[DeliveryRecord] = []
        for reminder, stored in recipient.items:
            record = stored or DeliveryRecord.for_reminder(reminder, now)
            route = await self._route(recipient, reminder.customer_id)
            if route is None:
                unrouted.append(record)
            else:
                routes.setdefault(route[0], (route[1], []))[1].append((reminder, record))
        if unrouted:
            no_route = SendResult(SendStatus.FAILED, NO_ROUTE, self._retry_max.total_seconds())
            await self._settle(unrouted, now, report, recipient, no_route)
        delivered_digest = False
        for conversation_id, (reference, group) in routes.items():
            # Digest users get one card; anyone with a burst due at once gets one too (the first
            # sweep after installing would otherwise send a card per customer).
            combined = recipient.preferences.digest or len(group) > self._burst
            size = MAX_DIGEST_ITEMS if combined else 1
            gone: SendResult | None = None
            for start in range(0, len(group), size):
                chunk = group[start : start + size]
                if gone is not None:  # Teams said this conversation is gone: don't ask again
                    await self._settle([r for _, r in chunk], now, report, recipient, gone)
                    continue
                result = await self._send_chunk(
                    recipient, conversation_id, reference, chunk, combined, now, report
                )
                if result.status == SendStatus.GONE:
                    gone = result
                delivered_digest |= (
                    result.status == SendStatus.SENT and recipient.preferences.digest
                )
        if delivered_digest:
            preferences = await self._store.preferences(recipient.tenant_id, recipient.user_id)
            preferences.last_digest_on = local_date(now, recipient.zone)
            await self._store.put_preferences(preferences)

    async def _route(
        self, recipient: Recipient, customer_id: str
    ) -> tuple[str, dict[str, Any]] | None:
        """The conversation to send to: the owner's personal chat, else where it was managed."""
        candidates = [
            recipient.preferences.personal_conversation_id,
            await self._store.customer_conversation(recipient.tenant_id, customer_id),
        ]
        for conversation_id in candidates:
            if conversation_id:
                reference = await self._references.get(recipient.tenant_id, conversation_id)
                if reference is not None:
                    return conversation_id, reference
        return None

    async def _send_chunk(
        self,
        recipient: Recipient,
        conversation_id: str,
        reference: dict[str, Any],
        chunk: list[tuple[Reminder, DeliveryRecord]],
        combined: bool,
        now: datetime,
        report: SweepReport,
    ) -> SendResult:
        """Mark the records in flight, send one card, record the outcome (see `_Marks`)."""
        views = [reminder_view(reminder, now, recipient.zone) for reminder, _ in chunk]
        card = reminder_digest_card(views) if combined else reminder_card(views[0])
        records = [record for _, record in chunk]
        marks = _Marks(self._uncertain, self._store, self._note, records, conversation_id, now)
        try:
            result = await self._sender.send(
                recipient.tenant_id, conversation_id, reference, card, in_flight=marks
            )
            if result.status == SendStatus.SENT:
                report.cards += 1
            elif result.status == SendStatus.GONE:
                await self._references.mark_stale(recipient.tenant_id, conversation_id)
                logger.warning(
                    "conversation %s of tenant %s is gone (%s): reference marked stale",
                    conversation_id,
                    recipient.tenant_id,
                    result.error,
                )
            await self._settle(records, now, report, recipient, result)
        finally:  # recorded (or the job ended: its records say `sending`, a possible duplicate)
            marks.release()
        return result

    async def _settle(
        self,
        records: list[DeliveryRecord],
        now: datetime,
        report: SweepReport,
        recipient: Recipient,
        result: SendResult,
    ) -> None:
        """Record the outcome of a send (or of having nowhere to send) durably."""
        status, error = result.status, result.error
        for record in records:
            record.updated_at = now
            record.last_error = error[:500]
            if status == SendStatus.SENT:
                record.state = DeliveryState.SENT
                record.sent_at = now
                record.retry_at = None
                record.snoozed_until = None
            elif status in _UNDELIVERABLE:
                record.state = DeliveryState.UNDELIVERABLE
            else:
                record.state = DeliveryState.PENDING
                record.retry_at = now + self._retry_delay(record.attempts, result)
                recipient.retry_times.setdefault(record.customer_id, []).append(record.retry_at)
        await self._store.put_records(records)
        if status == SendStatus.SENT:
            report.sent += len(records)
            self._note("sent", records)
        elif status in _UNDELIVERABLE:
            report.undeliverable += len(records)
            report.errors.append(error)
            self._note("undeliverable", records)
        else:
            report.failed += len(records)
            report.errors.append(error)
            self._note("pending", records)

    def _retry_delay(self, attempts: int, result: SendResult) -> timedelta:
        delay = self._retry_base * (1 << min(max(0, attempts - 1), 20))
        if result.retry_after is not None:
            delay = max(delay, timedelta(seconds=result.retry_after))
        return min(delay, self._retry_max)

    def _note(self, step: str, records: list[DeliveryRecord]) -> None:
        if self._trace is not None:
            self._trace(step, [record.id for record in records])


class _Marks:
    """The in-flight marks of one card's records, and its slot among the uncertain sends
    (`bot.outbound.retry.InFlight`): taken in `begin`, given back by `retry_later` or, once the
    outcome is recorded, by `release`."""

    def __init__(
        self,
        slots: asyncio.Semaphore,
        store: ReminderStore,
        note: Callable[[str, list[DeliveryRecord]], None],
        records: list[DeliveryRecord],
        conversation_id: str,
        now: datetime,
    ) -> None:
        self._slots = slots
        self._store = store
        self._note = note
        self._records = records
        self._conversation_id = conversation_id
        self._now = now
        self._first = True
        self._holding = False

    async def begin(self) -> None:
        """Wait for a slot, then mark the records `sending` durably (attempts + 1 per sweep)."""
        await self._slots.acquire()
        self._holding = True
        for record in self._records:
            record.state = DeliveryState.SENDING
            record.attempts += 1 if self._first else 0
            record.conversation_id = self._conversation_id
            record.updated_at = self._now
        self._first = False
        await self._store.put_records(self._records)
        self._note("intent", self._records)

    async def retry_later(self, result: SendResult, delay: float) -> None:
        """The attempt certainly failed: record `pending` until the retry, give the slot back."""
        for record in self._records:
            record.state = DeliveryState.PENDING
            record.last_error = result.error[:500]
            record.retry_at = self._now + timedelta(seconds=delay)
            record.updated_at = self._now
        await self._store.put_records(self._records)
        self._note("retry", self._records)
        self.release()

    def release(self) -> None:
        """Give the slot back (once)."""
        if self._holding:
            self._holding = False
            self._slots.release()
