"""The reminder sweep: find what is due, send it to the customer's owner, record it, once.

`ReminderSweeper.sweep(now)` reads the index entries due by `now` (`ReminderStore.due`: a few
small files, not every customer), loads only those customers, asks the policy what is due, skips
what is settled, snoozed, paused or outside the recipient's working hours, and sends the rest:
one card per reminder, or one digest card per user and conversation (digest mode: once a day; and
whenever more than `burst` are due at once, e.g. the first sweep after installing). Then it writes
each customer's next index time.

Where a reminder goes: the owner's personal chat with the bot (learned from their turns, see
`remember_turn`), else the conversation where the customer was last managed (recorded by the
reminder card actions, and by anything that calls `remember_customer_conversation`), else nowhere
yet: it stays pending and is retried hourly. A digest never mixes conversations, so a shared chat
only sees the reminders of customers managed there.

Delivery guarantee: at least once, never lost. Teams has no idempotency key, so a send cannot be
made exactly-once. Each send is bracketed by two durable writes:

    1. record `sending` (attempts + 1)  ->  2. send  ->  3. record `sent` (or pending/undeliverable)

- A crash before 1: nothing was recorded or sent; the index entry is still due, the next sweep
  sends it.
- A crash between 1 and 2, or during 2 before Teams accepted: the record says `sending`; the next
  sweep (also in a new process) treats `sending` as not delivered and sends it. No duplicate.
- A crash between Teams accepting (2) and the write of `sent` (3): the next sweep sends it again.
  This is the only window for a duplicate (a few milliseconds: one local fsync). A timeout is the
  same case: the connector may have accepted before the client gave up, so a timed-out reminder
  stays pending and may arrive twice. We prefer a rare duplicate to a lost renewal reminder.
- After 3 the reminder is settled; the index is moved only after all sends of the sweep, so a
  crash anywhere leaves the customer due again, and the records decide.

Sweeps never overlap (a lock): a `sending` record seen when a sweep starts was left by a crash.

Failures: 401/403/404 mark the conversation reference stale and the reminder undeliverable (no
retry); other 4xx make it undeliverable (the message itself is refused); 429, 5xx, timeouts and
connection errors are retried by the sender (bot/outbound/) with backoff, honouring Retry-After,
then left pending with `retry_at` for a later sweep. Sending, pacing and retrying are the outbound
module's business; this module is application logic and imports no botbuilder.
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
from dialogs.reminder_commands import reminder_view
from engagement.models import Customer
from engagement.ports import ConversationReferences, CustomerRepository, ReminderStore
from engagement.reminder_records import (
    DeliveryRecord,
    DeliveryState,
    IndexEntry,
    Rescheduled,
    UserPreferences,
)
from engagement.reminders import Reminder, ReminderPolicy, due_reminders, next_due
from engagement.working_hours import local_date

logger = logging.getLogger(__name__)

Trace = Callable[[str, Sequence[str]], None]

NO_ROUTE = "no conversation with the owner yet (they need to message the bot once)"


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
    errors: list[str] = field(default_factory=list)


@dataclass
class _Recipient:
    tenant_id: str
    user_id: str
    preferences: UserPreferences
    zone: ZoneInfo
    items: list[tuple[Reminder, DeliveryRecord | None]] = field(default_factory=list)


@dataclass
class _Looked:
    entries: list[IndexEntry]
    times: list[datetime]
    version: int | None = None  # of the customer as planned


class ReminderSweeper:
    """Finds due reminders through the index and delivers them (see the module docstring).

    Args:
        customers: Where customers are loaded from (only the due ones are).
        reminders: The reminder store (index, records, preferences).
        references: Conversation references (marked stale on 401/403/404).
        sender: Sends one card with retries.
        policy: The reminder policy.
        batch: Index entries handled per sweep at most (the rest come next sweep).
        retry_base: Delay before a later sweep retries a failed reminder (doubles per attempt).
        retry_max: Longest such delay.
        burst: More reminders than this due at once for one user (and one conversation) come
            as digest cards even without digest mode.
        trace: Called after each durable step with ("intent" | "sent" | "pending" |
            "undeliverable", reminder ids); for tests and crash drills.
    """

    def __init__(
        self,
        *,
        customers: CustomerRepository,
        reminders: ReminderStore,
        references: ConversationReferences,
        sender: CardSender,
        policy: ReminderPolicy,
        batch: int = 500,
        retry_base: timedelta = timedelta(minutes=1),
        retry_max: timedelta = timedelta(hours=1),
        burst: int = 5,
        trace: Trace | None = None,
    ) -> None:
        self._customers = customers
        self._store = reminders
        self._references = references
        self._sender = sender
        self._policy = policy
        self._batch = batch
        self._retry_base = retry_base
        self._retry_max = retry_max
        self._burst = burst
        self._trace = trace
        self._lock = asyncio.Lock()

    async def sweep(self, now: datetime) -> SweepReport:
        """Deliver every reminder due by `now` that may be sent now; never overlaps itself."""
        async with self._lock:
            return await self._sweep(now)

    async def _sweep(self, now: datetime) -> SweepReport:
        report = SweepReport()
        recipients: dict[tuple[str, str], _Recipient] = {}
        looked: dict[tuple[str, str], _Looked] = {}
        for entry in await self._store.due(now, self._batch):
            key = (entry.tenant_id, entry.customer_id)
            if key in looked:  # a stray second entry of the customer: dropped when rescheduled
                looked[key].entries.append(entry)
                continue
            version = None
            try:
                customer = await self._customers.get(entry.tenant_id, entry.customer_id)
                if customer is None:
                    await self._store.schedule(*key, None, replacing=entry)
                    continue
                version = customer.version
                report.customers += 1
                recipient = await self._recipient(recipients, customer)
                times = await self._plan(customer, recipient, now, report)
            except Exception:  # one broken customer must not stop the others
                logger.exception("reminders of customer %s of tenant %s failed", *key)
                report.errors.append(f"customer {entry.customer_id}: planning failed")
                times = [now + self._retry_max]
            looked[key] = _Looked([entry], times, version)
            await asyncio.sleep(0)  # a batch can be hundreds of customers: let turns run too
        for recipient in recipients.values():
            if not recipient.items:
                continue
            try:
                await self._deliver(recipient, now, report, looked)
            except Exception:  # its records stay `sending` or pending: sent again later
                logger.exception("delivering reminders to user %s failed", recipient.user_id)
                report.errors.append(f"user {recipient.user_id}: delivery failed")
        await self._reschedule(looked, now)
        if report.sent or report.failed or report.undeliverable:
            logger.info(
                "reminder sweep: %d sent in %d cards, %d failed, %d undeliverable, %d deferred",
                report.sent,
                report.cards,
                report.failed,
                report.undeliverable,
                report.deferred,
            )
        return report

    async def _reschedule(self, looked: dict[tuple[str, str], _Looked], now: datetime) -> None:
        """Index each looked-at customer for its next look.

        A customer saved since it was planned (a turn ran while the sweep waited on Teams) is
        looked at again at once, with its new data: its save may have asked for an earlier
        look that the index did not take because the sweep's entry was earlier still. Nothing
        from the version check to the index write suspends (store reads and writes are
        synchronous), so no save can slip in between.
        """
        swept = []
        for (tenant_id, customer_id), seen in looked.items():
            when = min(seen.times, default=None)
            current = await self._customers.get(tenant_id, customer_id)
            if current is not None and seen.version is not None and current.version != seen.version:
                when = now
            swept.append(Rescheduled(tenant_id, customer_id, when, tuple(seen.entries)))
        await self._store.reschedule(swept, now)

    async def _recipient(
        self, recipients: dict[tuple[str, str], _Recipient], customer: Customer
    ) -> _Recipient:
        key = (customer.tenant_id, customer.owner.id)
        recipient = recipients.get(key)
        if recipient is None:
            preferences = await self._store.preferences(*key)
            zone = self._policy.zone(preferences.time_zone)
            recipient = _Recipient(*key, preferences, zone)
            recipients[key] = recipient
        return recipient

    async def _plan(
        self, customer: Customer, recipient: _Recipient, now: datetime, report: SweepReport
    ) -> list[datetime]:
        """Queue the customer's sendable reminders; return the times to look again."""
        zone = recipient.zone
        times: list[datetime] = []
        following = next_due(customer, now, self._policy, zone)
        if following is not None:
            times.append(following)
        records = await self._store.records(customer.tenant_id, customer.id)
        gate = self._gate(recipient.preferences, zone, now)
        for reminder in due_reminders(customer, now, self._policy, zone):
            report.due += 1
            record = records.get(reminder.id)
            wait = now if record is None else record.waits_until(now)
            if wait is None:
                report.settled += 1
            elif max(wait, gate) > now:
                report.deferred += 1
                times.append(max(wait, gate))
            else:
                recipient.items.append((reminder, record))
        return times

    def _gate(self, preferences: UserPreferences, zone: ZoneInfo, now: datetime) -> datetime:
        """The earliest time anything may be sent to this user (pause, hours, daily digest)."""
        hours = self._policy.working_hours
        start = preferences.paused(now, zone) or now
        if preferences.digest and preferences.last_digest_on == local_date(now, zone):
            start = max(start, hours.next_day_opening(now, zone))
        return hours.next_send_time(start, zone)

    async def _route(
        self, recipient: _Recipient, customer_id: str
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

    async def _deliver(
        self,
        recipient: _Recipient,
        now: datetime,
        report: SweepReport,
        looked: dict[tuple[str, str], _Looked],
    ) -> None:
        """Send the recipient's queued reminders, grouped by the conversation they go to."""
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
            await self._settle(unrouted, now, report, looked, no_route)
        delivered_digest = False
        for conversation_id, (reference, group) in routes.items():
            # Digest users get one card; anyone with a burst due at once gets one too (the first
            # sweep after installing would otherwise send a card per customer).
            combined = recipient.preferences.digest or len(group) > self._burst
            size = MAX_DIGEST_ITEMS if combined else 1
            for start in range(0, len(group), size):
                chunk = group[start : start + size]
                sent = await self._send_chunk(
                    recipient, conversation_id, reference, chunk, combined, now, report, looked
                )
                delivered_digest |= sent and recipient.preferences.digest
        if delivered_digest:
            preferences = await self._store.preferences(recipient.tenant_id, recipient.user_id)
            preferences.last_digest_on = local_date(now, recipient.zone)
            await self._store.put_preferences(preferences)

    async def _send_chunk(
        self,
        recipient: _Recipient,
        conversation_id: str,
        reference: dict[str, Any],
        chunk: list[tuple[Reminder, DeliveryRecord]],
        combined: bool,
        now: datetime,
        report: SweepReport,
        looked: dict[tuple[str, str], _Looked],
    ) -> bool:
        """Record the intent, send one card, record the outcome. True when it was sent."""
        views = [reminder_view(reminder, now, recipient.zone) for reminder, _ in chunk]
        card = reminder_digest_card(views) if combined else reminder_card(views[0])
        records = [record for _, record in chunk]
        for record in records:
            record.state = DeliveryState.SENDING
            record.attempts += 1
            record.conversation_id = conversation_id
            record.updated_at = now
        await self._store.put_records(records)
        self._note("intent", records)
        result = await self._sender.send(recipient.tenant_id, conversation_id, reference, card)
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
        await self._settle(records, now, report, looked, result)
        return result.status == SendStatus.SENT

    async def _settle(
        self,
        records: list[DeliveryRecord],
        now: datetime,
        report: SweepReport,
        looked: dict[tuple[str, str], _Looked],
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
            elif status in {SendStatus.GONE, SendStatus.REFUSED}:
                record.state = DeliveryState.UNDELIVERABLE
            else:
                record.state = DeliveryState.PENDING
                record.retry_at = now + self._retry_delay(record.attempts, result)
                seen = looked.get((record.tenant_id, record.customer_id))
                if seen is not None:
                    seen.times.append(record.retry_at)
        await self._store.put_records(records)
        if status == SendStatus.SENT:
            report.sent += len(records)
            self._note("sent", records)
        elif status in {SendStatus.GONE, SendStatus.REFUSED}:
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
