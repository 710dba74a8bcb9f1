"""Proactive reminders: find what is due, send it to the customer's owner, record it, once.

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
only sees the reminders of customers managed there. Reminders are posted as new messages
(`POST .../activities`), not as replies to the made-up id of the continuation activity.

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

Within one process sweeps never overlap (a lock), so a `sending` record seen at the start of a
sweep is always left by a crash.

Failures: 401/403/404 mark the conversation reference stale and the reminder undeliverable (no
retry); other 4xx make it undeliverable (the message itself is refused); 429, 5xx, timeouts and
connection errors are retried within the sweep with backoff (an injectable `sleep`), then left
pending with `retry_at` for a later sweep. Retry-After: `ReusingCloudAdapter` already honours it in
its own short retries (up to 5 s each); when it gives up, a `retry_after` attribute on the error
(seconds) is honoured here too, and one longer than `max_wait` ends this sweep's attempts and
becomes the record's `retry_at`. Sends are rate limited per conversation and per tenant with
token buckets (an injectable monotonic clock).

The adapter's `continue_conversation` runs the turn through the adapter's middleware and, on an
exception, its `on_turn_error` (which would apologise and clear that conversation's dialog
state). The send callback therefore catches the error itself and hands it back here.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from botbuilder.core import CardFactory, MessageFactory, TurnContext
from botbuilder.schema import ConversationReference

from cards.reminders import MAX_DIGEST_ITEMS, reminder_card, reminder_digest_card
from dialogs.reminder_actions import REMINDER_ACTIONS, handle_reminder_action
from dialogs.reminder_commands import (
    ReminderServices,
    Reply,
    digest_command,
    licenses_command,
    pause_command,
    reminder_view,
    reminders_command,
    renewal_command,
    resume_command,
)
from dialogs.turn import card_message, tenant_of, user_of
from engagement.models import Customer, Person
from engagement.ports import ConversationReferences, CustomerRepository
from engagement.reminders import (
    DeliveryRecord,
    DeliveryState,
    IndexEntry,
    Reminder,
    ReminderPolicy,
    ReminderStore,
    Rescheduled,
    UserPreferences,
    due_reminders,
    next_due,
)
from engagement.working_hours import local_date

logger = logging.getLogger(__name__)

Sleep = Callable[[float], Awaitable[None]]
Monotonic = Callable[[], float]
Trace = Callable[[str, Sequence[str]], None]

GONE_STATUSES = frozenset({401, 403, 404})
_EPSILON = 1e-9  # float slack, so a wait of exactly the computed time always suffices
NO_ROUTE = "no conversation with the owner yet (they need to message the bot once)"


# --- rate limiting ---------------------------------------------------------------------------


class TokenBucket:
    """`rate` tokens per second, at most `burst` saved up; time from an injectable clock."""

    def __init__(self, rate: float, burst: float, clock: Monotonic) -> None:
        if rate <= 0 or burst < 1:
            raise ValueError("rate must be positive and burst at least 1")
        self._rate = rate
        self._burst = burst
        self._clock = clock
        self._tokens = burst
        self._at = clock()

    def _refill(self) -> None:
        now = self._clock()
        self._tokens = min(self._burst, self._tokens + (now - self._at) * self._rate)
        self._at = now

    def wait_time(self) -> float:
        """Seconds until a token is available (0 when one is)."""
        self._refill()
        missing = 1 - self._tokens
        return 0.0 if missing <= _EPSILON else missing / self._rate

    def take(self) -> None:
        """Use one token (call after `wait_time()` returned 0)."""
        self._refill()
        self._tokens -= 1


class RateLimiter:
    """Token buckets per conversation and per tenant; `acquire` waits until both allow a send.

    Teams allows a bot 7 sends/s per conversation (60 per 30 s, 1,800 per hour) and an app
    50 requests/s per tenant; the defaults stay well below.

    Args:
        per_conversation: Sends per second to one conversation.
        per_tenant: Sends per second to one tenant.
        burst_conversation: Sends one conversation may get at once (default: max(1, rate)).
        burst_tenant: Sends one tenant may get at once (default: max(1, rate)).
        clock: Monotonic seconds (injectable for tests).
        sleep: How to wait (injectable for tests).
        max_tracked: Buckets kept per kind; the least recently used are forgotten.
    """

    def __init__(
        self,
        per_conversation: float = 1.0,
        per_tenant: float = 20.0,
        *,
        burst_conversation: float | None = None,
        burst_tenant: float | None = None,
        clock: Monotonic = time.monotonic,
        sleep: Sleep = asyncio.sleep,
        max_tracked: int = 4096,
    ) -> None:
        self._conversation = (per_conversation, burst_conversation or max(1.0, per_conversation))
        self._tenant = (per_tenant, burst_tenant or max(1.0, per_tenant))
        self._clock = clock
        self._sleep = sleep
        self._max = max_tracked
        self._buckets: OrderedDict[tuple[str, str], TokenBucket] = OrderedDict()

    def _bucket(self, key: tuple[str, str], rate: float, burst: float) -> TokenBucket:
        bucket = self._buckets.get(key)
        if bucket is None:
            bucket = TokenBucket(rate, burst, self._clock)
            self._buckets[key] = bucket
            if len(self._buckets) > self._max:
                self._buckets.popitem(last=False)
        else:
            self._buckets.move_to_end(key)
        return bucket

    async def acquire(self, tenant_id: str, conversation_id: str) -> None:
        """Wait until both the conversation's and the tenant's bucket have a token; take them."""
        while True:
            conversation = self._bucket(
                ("c", f"{tenant_id}\x1f{conversation_id}"), *self._conversation
            )
            tenant = self._bucket(("t", tenant_id), *self._tenant)
            wait = max(conversation.wait_time(), tenant.wait_time())
            if wait <= 0:
                conversation.take()
                tenant.take()
                return
            await self._sleep(wait)


# --- sending one card ----------------------------------------------------------------------


class ProactiveTransport(Protocol):
    """Sends one card into the conversation of a stored reference; returns the activity id.

    Raises whatever the connector raised (e.g. `bot.transport.ConnectorError` with `.status`).
    """

    async def send(self, reference: dict[str, Any], card: dict[str, Any]) -> str: ...


class AdapterTransport:
    """Sends through `adapter.continue_conversation`, so replies use the app's own transport.

    With `ReusingCloudAdapter`, `continue_conversation` goes through `process_proactive` (a
    connector client from the SDK's factory, and a user token client) and then the adapter's
    `send_activities` override, i.e. the shared aiohttp session with its short 429/5xx retries.

    Args:
        adapter: The bot's CloudAdapter.
        app_id: The bot's app id ("" in local mode).
    """

    def __init__(self, adapter: Any, app_id: str) -> None:
        self._adapter = adapter
        self._app_id = app_id

    async def send(self, reference: dict[str, Any], card: dict[str, Any]) -> str:
        """Send `card` to the reference's conversation; raise what the connector raised."""
        conversation_reference = ConversationReference.deserialize(reference)
        errors: list[Exception] = []
        ids: list[str] = []

        async def deliver(context: TurnContext) -> None:
            context.on_send_activities(_new_message)
            try:
                response = await context.send_activity(
                    MessageFactory.attachment(CardFactory.adaptive_card(card))
                )
            except Exception as error:  # handed back: the adapter's on_turn_error must not see it
                errors.append(error)
                return
            ids.append(str(getattr(response, "id", "") or ""))

        await self._adapter.continue_conversation(conversation_reference, deliver, self._app_id)
        if errors:
            raise errors[0]
        if not ids:
            raise RuntimeError("the proactive turn ended without sending")
        return ids[0]


async def _new_message(
    context: TurnContext, activities: list[Any], send: Callable[[], Awaitable[Any]]
) -> Any:
    """Post reminders as new messages: the SDK would make them replies to the (made-up) id of
    the continuation activity, i.e. `POST .../activities/<uuid>` instead of `.../activities`."""
    for activity in activities:
        activity.reply_to_id = None
    return await send()


class SendStatus(StrEnum):
    """How a send ended."""

    SENT = "sent"
    GONE = "gone"  # the conversation is gone (401/403/404): mark the reference stale
    REFUSED = "refused"  # the connector refused the message itself (other 4xx)
    FAILED = "failed"  # transient (429, 5xx, timeout, network): retry later


@dataclass(frozen=True)
class SendResult:
    """The outcome of sending one card, after the retries of this sweep."""

    status: SendStatus
    error: str = ""
    retry_after: float | None = None
    activity_id: str = ""


def status_of(error: BaseException) -> int | None:
    """The HTTP status carried by a connector error, if any."""
    status = getattr(error, "status", None)
    if isinstance(status, int):
        return status
    code = getattr(getattr(error, "response", None), "status_code", None)
    return code if isinstance(code, int) else None


def retry_after_of(error: BaseException) -> float | None:
    """The Retry-After (seconds) carried by a connector error, if it carries one."""
    value = getattr(error, "retry_after", None)
    if isinstance(value, int | float) and value >= 0:
        return float(value)
    return None


class ReminderSender:
    """Sends one card with timeout, retries and rate limiting; classifies the outcome.

    Args:
        transport: What actually sends (AdapterTransport in the app).
        limiter: The rate limiter, asked before every attempt.
        timeout: Seconds one attempt may take.
        attempts: Attempts within one sweep for transient failures.
        backoff: First delay between attempts without Retry-After (doubles each time).
        max_wait: Longest delay waited within a sweep; a longer Retry-After ends the sweep's
            attempts and becomes the record's `retry_at`.
        sleep: How to wait (injectable for tests).
    """

    def __init__(
        self,
        transport: ProactiveTransport,
        limiter: RateLimiter | None = None,
        *,
        timeout: float = 15.0,
        attempts: int = 3,
        backoff: float = 1.0,
        max_wait: float = 30.0,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        if attempts < 1:
            raise ValueError("attempts must be at least 1")
        self._transport = transport
        self._limiter = limiter or RateLimiter()
        self._timeout = timeout
        self._attempts = attempts
        self._backoff = backoff
        self._max_wait = max_wait
        self._sleep = sleep

    async def send(
        self, tenant_id: str, conversation_id: str, reference: dict[str, Any], card: dict[str, Any]
    ) -> SendResult:
        """Send `card`; retry transient failures; never raises for connector problems."""
        error_text = ""
        retry_after: float | None = None
        for attempt in range(1, self._attempts + 1):
            await self._limiter.acquire(tenant_id, conversation_id)
            try:
                async with asyncio.timeout(self._timeout):
                    activity_id = await self._transport.send(reference, card)
            except TimeoutError:
                error_text = f"no answer within {self._timeout:g} s"
                retry_after = None
            except Exception as error:  # each recipient on its own: log, classify, go on
                status = status_of(error)
                if status in GONE_STATUSES:
                    return SendResult(SendStatus.GONE, f"connector answered {status}")
                if status is not None and 400 <= status < 500 and status not in {408, 429}:
                    return SendResult(SendStatus.REFUSED, f"connector answered {status}")
                error_text = f"connector answered {status}" if status else _describe(error)
                retry_after = retry_after_of(error)
                if status is None:
                    logger.warning(
                        "sending to conversation %s failed", conversation_id, exc_info=True
                    )
            else:
                return SendResult(SendStatus.SENT, activity_id=activity_id)
            if attempt == self._attempts:
                break
            delay = retry_after if retry_after is not None else self._backoff * 2 ** (attempt - 1)
            if delay > self._max_wait:
                break
            logger.info(
                "send to conversation %s failed (%s); attempt %d in %.1f s",
                conversation_id,
                error_text,
                attempt + 1,
                delay,
            )
            await self._sleep(delay)
        return SendResult(SendStatus.FAILED, error_text, retry_after)


def _describe(error: BaseException) -> str:
    text = str(error) or type(error).__name__
    return f"{type(error).__name__}: {text}"[:300]


# --- the sweep -------------------------------------------------------------------------------


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
        sender: ReminderSender,
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


# --- the bot side: commands, card actions and the per-turn feed ---------------------------

ReminderCommand = Callable[[str, str, Person, datetime, ReminderServices], Awaitable[Reply]]

REMINDER_COMMANDS: dict[str, ReminderCommand] = {
    "reminders": reminders_command,
    "renewal": renewal_command,
    "licenses": licenses_command,
    "pause reminders": pause_command,
    "resume reminders": resume_command,
    "digest": digest_command,
}


class ReminderTurns:
    """Reminder commands and card actions in the TeamsBot's handler shapes.

    `command_handlers()` maps command names to `(context, argument)` handlers and
    `card_actions()` maps submit actions to `(context, value)` handlers, ready to merge into the
    bot's tables; `remember(context)` feeds the reminder store on every turn.

    Args:
        services: Customers (the scheduling repository), reminder store, policy, clock.
    """

    def __init__(self, services: ReminderServices) -> None:
        self._services = services

    def command_handlers(self) -> dict[str, Callable[[TurnContext, str], Awaitable[None]]]:
        """Command name -> handler, for REMINDER_COMMANDS."""
        return {name: self._command(command) for name, command in REMINDER_COMMANDS.items()}

    def card_actions(self) -> dict[str, Callable[[TurnContext, dict[str, Any]], Awaitable[None]]]:
        """Submit action -> handler, for REMINDER_ACTIONS."""
        return dict.fromkeys(REMINDER_ACTIONS, self.card_action)

    def _command(self, command: ReminderCommand) -> Callable[[TurnContext, str], Awaitable[None]]:
        async def handle(context: TurnContext, argument: str) -> None:
            now = self._services.clock.now()
            reply = await command(
                argument, tenant_of(context), user_of(context), now, self._services
            )
            await context.send_activity(card_message(reply) if isinstance(reply, dict) else reply)

        return handle

    async def card_action(self, context: TurnContext, value: dict[str, Any]) -> None:
        """Log touch, Snooze, Done: carry it out and reply."""
        conversation = context.activity.conversation
        reply = await handle_reminder_action(
            value,
            tenant_of(context),
            user_of(context),
            self._services.clock.now(),
            self._services,
            conversation_id=conversation.id if conversation else None,
        )
        await context.send_activity(reply)

    async def remember(self, context: TurnContext) -> None:
        """Where the sender talks to the bot, and their time zone (see `remember_turn`)."""
        await remember_turn(self._services.reminders, context)


# --- feeding the store from turns ----------------------------------------------------------


def time_zone_of(context: TurnContext) -> str | None:
    """The user's IANA time zone as Teams reports it (`localTimezone` or `clientInfo`)."""
    activity = context.activity
    zone = getattr(activity, "local_timezone", None)
    if isinstance(zone, str) and zone:
        return zone
    for entity in activity.entities or []:
        if isinstance(entity, dict):
            kind, data = entity.get("type"), entity
        else:
            kind, data = getattr(entity, "type", None), getattr(entity, "additional_properties", {})
        if kind == "clientInfo" and isinstance(data, dict):
            value = data.get("timezone")
            if isinstance(value, str) and value:
                return value
    return None


async def remember_turn(store: ReminderStore, context: TurnContext) -> None:
    """Note where the sender talks to the bot and their time zone (call on every turn).

    A personal chat becomes the user's reminder conversation. Writes only when something changed.
    """
    activity = context.activity
    conversation = activity.conversation
    if conversation is None or not conversation.id or activity.from_property is None:
        return
    kind = conversation.conversation_type
    is_personal = kind == "personal" or (kind is None and not conversation.is_group)
    await store.remember_user_conversation(
        tenant_of(context),
        user_of(context).id,
        conversation.id,
        is_personal=is_personal,
        time_zone=time_zone_of(context),
    )
