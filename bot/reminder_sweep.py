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
  This is the only window for a duplicate (the response's way back plus one local fsync, longer
  while the event loop is busy). A timeout is the same case: the connector may have accepted
  before the client gave up, so a timed-out reminder stays pending and may arrive twice. We
  prefer a rare duplicate to a lost renewal reminder.
- So a crash can repeat each send that was between 1 and 3 when it happened, and at most
  `uncertain_sends` cards are (OUTBOUND_UNCERTAIN_SENDS, per process): a send waits for a slot
  after pacing, writes 1, and gives the slot back after 3 (or after recording `pending` for a
  retry after a wait). A restart cannot tell which `sending` records Teams accepted (no
  idempotency key, no read-back of a chat), so it sends each again and counts and logs it as a
  possible duplicate (`SweepReport.possible_duplicates`). The trade-off: a hanging call holds its
  slot until the timeout, so a small bound slows the sends while calls hang.
- After 3 the reminder is settled; the index is moved only after all sends of the sweep, so a
  crash anywhere leaves the customer due again, and the records decide.

Planning never overlaps (a lock) and skips customers in flight: a `sending` record it sees was
left by a crash.

An outbound queue, as Teams' broadcast samples do it: each recipient's delivery is a job of its
own, and up to `concurrency` jobs run at once, so sends to different conversations overlap while
the sender's token buckets keep each conversation (`REMINDER_SENDS_PER_SECOND`) and each tenant
within their rates. A 429 (its Retry-After) or a 5xx is retried within its own job only, a hanging
call times out (and is left pending for a later sweep) without holding the others. A customer
whose job is in flight is skipped by later sweeps and indexed again (in batches) after its job; with
`wait=False` (the app) a sweep only plans and queues, so the next one plans more while sends go on.

Failures: 401/403/404 mark the conversation reference stale and the reminder undeliverable with
the reason (no retry); other 4xx make it undeliverable (the message itself is refused); 429, 5xx
and connection errors are retried by the sender (bot/outbound/) with backoff, honouring
Retry-After, then left pending with `retry_at` for a later sweep. Delivery itself (routing,
digests, the durable records) is bot/reminder_delivery.py. This module imports no botbuilder.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot.outbound.retry import CardSender
from bot.reminder_delivery import Delivery, Recipient, SweepReport, Trace
from engagement.models import Customer
from engagement.ports import ConversationReferences, CustomerRepository, ReminderStore
from engagement.reminder_records import (
    DeliveryState,
    IndexEntry,
    Rescheduled,
    UserPreferences,
)
from engagement.reminders import ReminderPolicy, due_reminders, next_due
from engagement.working_hours import local_date

__all__ = ["ReminderSweeper", "SweepReport"]

logger = logging.getLogger(__name__)

CustomerKey = tuple[str, str]  # (tenant id, customer id)


@dataclass
class _Looked:
    entries: list[IndexEntry]
    times: list[datetime]
    version: int | None = None  # of the customer as planned


class ReminderSweeper:
    """Finds due reminders through the index and queues their delivery (see the module docstring).

    Args:
        customers: Where customers are loaded from (only the due ones are).
        reminders: The reminder store (index, records, preferences).
        references: Conversation references (marked stale on 401/403/404).
        sender: Sends one card, paced and retried (bot/outbound/).
        policy: The reminder policy.
        batch: Index entries planned per sweep at most (the rest come next sweep).
        retry_base: Delay before a later sweep retries a failed reminder (doubles per attempt).
        retry_max: Longest such delay.
        burst: More reminders than this due at once for one user (and one conversation) come
            as digest cards even without digest mode.
        trace: Called after each durable step with ("intent" | "sent" | "pending" |
            "undeliverable", reminder ids); for tests and crash drills.
        concurrency: Recipients whose reminders are being sent at once, at most.
        wait: Whether `sweep` returns only when its sends have ended (False: once queued).
        uncertain_sends: Cards sent but not yet recorded at once, at most: the most one crash
            can repeat.
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
        concurrency: int = 32,
        wait: bool = True,
        uncertain_sends: int = 1,
    ) -> None:
        self._customers = customers
        self._store = reminders
        self._policy = policy
        self._batch = batch
        self._retry_max = retry_max
        self._wait = wait
        self._delivery = Delivery(
            reminders=reminders,
            references=references,
            sender=sender,
            retry_base=retry_base,
            retry_max=retry_max,
            burst=burst,
            trace=trace,
            uncertain_sends=uncertain_sends,
        )
        self._lock = asyncio.Lock()
        self._slots = asyncio.Semaphore(concurrency)
        self._in_flight: set[CustomerKey] = set()
        self._jobs: set[asyncio.Task[None]] = set()
        self._finished: list[tuple[dict[CustomerKey, _Looked], datetime]] = []
        self._closing = False

    async def sweep(self, now: datetime) -> SweepReport:
        """Queue every reminder due by `now` that may be sent now; plans never overlap."""
        async with self._lock:
            await self._flush()
            report = SweepReport()
            recipients, looked = await self._plan_due(now, report)
            jobs = []
            for recipient in recipients.values():
                if recipient.items:
                    keys = [(recipient.tenant_id, c) for c in recipient.customers]
                    mine = {key: looked.pop(key) for key in keys}
                    jobs.append(self._start(recipient, mine, now, report))
            await self._reschedule(looked, now)  # customers with nothing to send now
            if self._wait:
                await asyncio.gather(*jobs)
                await self._flush()
                _log(report)
            elif jobs:
                self._track(asyncio.create_task(_log_when_done(jobs, report)))
        return report

    async def drain(self, grace: float) -> None:
        """Start no more deliveries; let running ones end (up to `grace` seconds), then cancel
        the rest: their records say `sending` or pending, so they are sent after a restart."""
        self._closing = True
        jobs = set(self._jobs)
        if not jobs:
            return
        _, pending = await asyncio.wait(jobs, timeout=grace)
        for job in pending:
            job.cancel()
        for job in pending:
            with contextlib.suppress(asyncio.CancelledError):
                await job
        await self._flush()

    def _start(
        self,
        recipient: Recipient,
        looked: dict[CustomerKey, _Looked],
        now: datetime,
        report: SweepReport,
    ) -> asyncio.Task[None]:
        self._in_flight.update(looked)
        return self._track(asyncio.create_task(self._run(recipient, looked, now, report)))

    def _track(self, job: asyncio.Task[None]) -> asyncio.Task[None]:
        self._jobs.add(job)
        job.add_done_callback(self._jobs.discard)
        return job

    async def _run(
        self,
        recipient: Recipient,
        looked: dict[CustomerKey, _Looked],
        now: datetime,
        report: SweepReport,
    ) -> None:
        """One recipient's delivery; its customers are indexed again by the next `_flush`."""
        try:
            async with self._slots:
                if self._closing:  # shutting down: nothing was sent, the index still says due
                    self._in_flight.difference_update(looked)
                    return
                try:
                    await self._delivery.deliver(recipient, now, report)
                except Exception:  # its records stay `sending` or pending: sent again later
                    logger.exception("delivering reminders to user %s failed", recipient.user_id)
                    report.errors.append(f"user {recipient.user_id}: delivery failed")
        except BaseException:  # cancelled at shutdown: the index still says due
            self._in_flight.difference_update(looked)
            raise
        for customer_id, times in recipient.retry_times.items():
            seen = looked.get((recipient.tenant_id, customer_id))
            if seen is not None:
                seen.times.extend(times)
        self._finished.append((looked, now))

    async def _flush(self) -> None:
        """Index the customers of finished deliveries again, all in one store call (a few
        bucket files rewritten per batch, not per customer), and release them."""
        finished, self._finished = self._finished, []
        if not finished:
            return
        merged: dict[CustomerKey, _Looked] = {}
        for looked, _ in finished:
            merged.update(looked)
        try:
            await self._reschedule(merged, min(started for _, started in finished))
        finally:
            for looked, _ in finished:
                self._in_flight.difference_update(looked)

    async def _plan_due(
        self, now: datetime, report: SweepReport
    ) -> tuple[dict[tuple[str, str], Recipient], dict[CustomerKey, _Looked]]:
        """Read the due index entries (skipping customers in flight) and plan each customer."""
        recipients: dict[tuple[str, str], Recipient] = {}
        looked: dict[CustomerKey, _Looked] = {}
        entries = await self._store.due(now, self._batch + len(self._in_flight))
        unlooked = []
        for entry in entries:
            key = (entry.tenant_id, entry.customer_id)
            if key in self._in_flight:  # its job reindexes it when done
                unlooked.append(entry)
                continue
            if key in looked:  # a stray second entry of the customer: dropped when rescheduled
                looked[key].entries.append(entry)
                continue
            if len(looked) >= self._batch:
                unlooked.append(entry)
                continue
            version = None
            try:
                customer = await self._customers.get(entry.tenant_id, entry.customer_id)
                if customer is None:  # not written yet (its add indexes it again) or never
                    await self._store.reschedule([Rescheduled(*key, None, (entry,))], now)
                    continue
                version = customer.version
                report.customers += 1
                recipient = await self._recipient(recipients, customer)
                recipient.customers.append(customer.id)
                times = await self._plan(customer, recipient, now, report)
            except Exception:  # one broken customer must not stop the others
                logger.exception("reminders of customer %s of tenant %s failed", *key)
                report.errors.append(f"customer {entry.customer_id}: planning failed")
                times = [now + self._retry_max]
            looked[key] = _Looked([entry], times, version)
            await asyncio.sleep(0)  # a batch can be hundreds of customers: let turns run too
        if unlooked:  # claimed by this replica (PostgreSQL) but not planned: give them back
            await self._store.release(unlooked)
        return recipients, looked

    async def _reschedule(self, looked: dict[CustomerKey, _Looked], now: datetime) -> None:
        """Index each looked-at customer for its next look.

        A customer saved since it was planned (a turn ran while the sweep waited on Teams) is
        looked at again at once, with its new data: its save may have asked for an earlier
        look that the index did not take because the sweep's entry was earlier still. Nothing
        from the version check to the index write suspends (store reads and writes are
        synchronous), so no save can slip in between.
        """
        if not looked:
            return
        swept = []
        for (tenant_id, customer_id), seen in looked.items():
            when = min(seen.times, default=None)
            current = await self._customers.get(tenant_id, customer_id)
            if current is not None and seen.version is not None and current.version != seen.version:
                when = now
            swept.append(Rescheduled(tenant_id, customer_id, when, tuple(seen.entries)))
        await self._store.reschedule(swept, now)

    async def _recipient(
        self, recipients: dict[tuple[str, str], Recipient], customer: Customer
    ) -> Recipient:
        key = (customer.tenant_id, customer.owner.id)
        recipient = recipients.get(key)
        if recipient is None:
            preferences = await self._store.preferences(*key)
            zone = self._policy.zone(preferences.time_zone)
            recipient = Recipient(*key, preferences, zone)
            recipients[key] = recipient
        return recipient

    async def _plan(
        self, customer: Customer, recipient: Recipient, now: datetime, report: SweepReport
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
                if record is not None and record.state == DeliveryState.SENDING:
                    report.possible_duplicates += 1  # marked by a process that ended
                    logger.warning(
                        "possible duplicate: reminder %s of customer %s was in flight when a "
                        "process ended (attempt %d); sending it again",
                        reminder.id,
                        customer.id,
                        record.attempts,
                    )
                recipient.items.append((reminder, record))
        return times

    def _gate(self, preferences: UserPreferences, zone: ZoneInfo, now: datetime) -> datetime:
        """The earliest time anything may be sent to this user (pause, hours, daily digest)."""
        hours = self._policy.working_hours
        start = preferences.paused(now, zone) or now
        if preferences.digest and preferences.last_digest_on == local_date(now, zone):
            start = max(start, hours.next_day_opening(now, zone))
        return hours.next_send_time(start, zone)


async def _log_when_done(jobs: list[asyncio.Task[None]], report: SweepReport) -> None:
    await asyncio.gather(*jobs, return_exceptions=True)
    _log(report)


def _log(report: SweepReport) -> None:
    if report.sent or report.failed or report.undeliverable:
        logger.info(
            "reminder sweep: %d sent in %d cards, %d failed, %d undeliverable, %d deferred",
            report.sent,
            report.cards,
            report.failed,
            report.undeliverable,
            report.deferred,
        )
