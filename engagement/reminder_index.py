"""When the sweep should next look at a customer, and a repository that keeps that index current."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from datetime import datetime
from itertools import chain
from zoneinfo import ZoneInfo

from engagement.book_stream import customer_ids, each_customer
from engagement.clock import Clock
from engagement.models import Customer
from engagement.ports import CustomerImportWriter, CustomerRepository, ReminderStore
from engagement.reminder_records import DeliveryRecord, IndexEntry
from engagement.reminders import ReminderPolicy, due_reminders, next_due
from engagement.slices import sliced


def index_time(
    customer: Customer,
    records: dict[str, DeliveryRecord],
    now: datetime,
    policy: ReminderPolicy,
    zone: ZoneInfo | None = None,
) -> datetime | None:
    """When the sweep should next look at `customer`, from its reminders and records alone.

    `now` when a due reminder is not settled yet (its exact send time depends on the recipient's
    working hours and preferences, which the sweep knows); else the earliest snooze end, retry
    time or next due time.
    """
    times: list[datetime] = []
    for reminder in due_reminders(customer, now, policy, zone):
        record = records.get(reminder.id)
        wait = now if record is None else record.waits_until(now)
        if wait is not None:
            times.append(wait)
    following = next_due(customer, now, policy, zone)
    if following is not None:
        times.append(following)
    return min(times, default=None)


class SchedulingCustomerRepository:
    """A CustomerRepository that keeps the reminder index in step with every add and save.

    The index entry is moved earlier *before* the customer is written (never later), so a crash
    between the two leaves an early entry (the sweep looks, finds nothing, reschedules), never a
    missing one. Moving an entry later is the sweep's job.

    Args:
        inner: The repository that stores customers.
        reminders: The reminder store holding the index.
        policy: The reminder policy.
        clock: Anything with `now()` (aware UTC).
    """

    def __init__(
        self,
        inner: CustomerRepository,
        reminders: ReminderStore,
        policy: ReminderPolicy,
        clock: Clock,
    ) -> None:
        self._inner = inner
        self._reminders = reminders
        self._policy = policy
        self._clock = clock

    async def get(self, tenant_id: str, customer_id: str) -> Customer | None:
        """The customer, or None."""
        return await self._inner.get(tenant_id, customer_id)

    async def list(self, tenant_id: str) -> list[Customer]:
        """Every customer of one tenant, ordered by name."""
        return await self._inner.list(tenant_id)

    def each(self, tenant_id: str) -> AsyncIterator[Customer]:
        """Every customer of one tenant, ordered by name, a few at a time."""
        return each_customer(self._inner, tenant_id)

    async def ids(self, tenant_id: str) -> set[str]:
        """The ids of the tenant's customers."""
        return await customer_ids(self._inner, tenant_id)

    async def add(self, customer: Customer) -> Customer:
        """Index, add, and index again: a sweep (another replica's) that looked between the
        first two found no customer and dropped the entry (see the class docstring)."""
        await self._index(customer)
        stored = await self._inner.add(customer)
        await self._index(stored)
        return stored

    async def save(self, customer: Customer) -> Customer:
        """Index, then save (see the class docstring)."""
        await self._index(customer)
        return await self._inner.save(customer)

    async def import_customers(
        self,
        writer: CustomerImportWriter,
        tenant_id: str,
        add: Sequence[Customer],
        replace: Sequence[Customer],
    ) -> None:
        """Index every imported customer, let `writer` write them all or none, index again.

        The index moves in one batch (`schedule_many_no_later`), before the customers are
        written, so a crash in between leaves early entries, never missing ones. Index times
        are computed in slices that yield to other turns: one `schedule_no_later` per
        customer rewrote a growing bucket each time (80 s for 2,000 customers), and one pointer
        write per customer still cost 17 s for 10,000.
        """
        now = self._clock.now()
        entries: list[IndexEntry] = []
        zones: dict[tuple[str, str], ZoneInfo] = {}  # owners' time zones, read once each
        async for number, customer in sliced(enumerate(chain(add, replace))):
            owner = (customer.tenant_id, customer.owner.id)
            if owner not in zones:
                preferences = await self._reminders.preferences(*owner)
                zones[owner] = self._policy.zone(preferences.time_zone)
            # A customer to add is new: it has no delivery records yet.
            records = (
                {}
                if number < len(add)
                else await self._reminders.records(customer.tenant_id, customer.id)
            )
            when = index_time(customer, records, now, self._policy, zones[owner])
            if when is not None:
                entries.append(IndexEntry(customer.tenant_id, customer.id, when))
        await self._reminders.schedule_many_no_later(entries)
        await writer.import_customers(tenant_id, add, replace)
        await self._reminders.schedule_many_no_later(entries)  # again: see `add`

    async def _index(self, customer: Customer) -> None:
        when = await self._index_time(customer, self._clock.now())
        if when is not None:
            await self._reminders.schedule_no_later(customer.tenant_id, customer.id, when)

    async def _index_time(self, customer: Customer, now: datetime) -> datetime | None:
        preferences = await self._reminders.preferences(customer.tenant_id, customer.owner.id)
        zone = self._policy.zone(preferences.time_zone)
        records = await self._reminders.records(customer.tenant_id, customer.id)
        return index_time(customer, records, now, self._policy, zone)
