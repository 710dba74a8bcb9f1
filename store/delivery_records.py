"""Delivery records in files of their own, written without holding up the event loop.

Layout: `<reminders root>/records/<sha(tenant)>/<sha(customer)>.json`, one document per customer:
its delivery records by reminder id.

Why. Each reminder's send is bracketed by two durable record writes (bot/reminder_sweep.py,
"Delivery guarantee"). Written inline on the event loop, they were about half of its busy time in
a reminder soak, and on a loaded machine (fsyncs of ~6 ms) every turn and every send waited behind
them, which also widened the window in which a SIGKILL finds a send accepted but not recorded.
Here a write goes through `ShardSet.replace_documents`: through the app's sync worker process
(store/sync_worker_client.py), else inline while writes are fast and in a worker thread while
they are slow (store/write_placement.py).

So a write may suspend between reading a customer's records and replacing them. One asyncio.Lock
per customer keeps each read-modify-write whole, and these files have no other writer (the
customer document with its index pointer is another file), so the lock covers every write.
While a write is in flight readers get the file on disk: the records before it or after it.

Records written before these files existed are in the customer document (`records`). They are
read from there until the customer's first write here, which carries them over.
"""

from __future__ import annotations

import asyncio
import weakref
from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any

from engagement.reminder_records import SETTLED_STATES
from store.due_buckets import entry_matches
from store.shards import ShardSet

Records = dict[str, Any]  # reminder id -> a DeliveryRecord as JSON
RECORD_RETENTION = timedelta(days=400)  # settled records older than this are dropped on write


class RecordFiles:
    """The delivery-record files of one reminder store.

    Args:
        shards: The files (`<root>/records`).
        legacy: A customer's records as kept in its customer document, read until the
            customer's first write here.
    """

    def __init__(self, shards: ShardSet, legacy: Callable[[str, str], Records]) -> None:
        self._shards = shards
        self._legacy = legacy
        self._locks: weakref.WeakValueDictionary[tuple[str, str], asyncio.Lock] = (
            weakref.WeakValueDictionary()
        )

    def stored(self, tenant_id: str, customer_id: str) -> Records:
        """The customer's records as stored (a copy of the top level)."""
        table = self._shards.table(customer_id, scope=tenant_id)
        document = table.get(entry_matches(tenant_id, customer_id))
        if document is None:
            return dict(self._legacy(tenant_id, customer_id))
        records = document.get("records")
        return dict(records) if isinstance(records, dict) else {}

    async def update(
        self, tenant_id: str, customer_id: str, change: Callable[[Records], Records]
    ) -> None:
        """Replace the customer's records with `change(stored)`, durably, one writer at a time."""
        key = (tenant_id, customer_id)
        lock = self._locks.get(key)
        if lock is None:
            lock = asyncio.Lock()
            self._locks[key] = lock
        async with lock:
            records = change(self.stored(tenant_id, customer_id))
            document = {"tenant_id": tenant_id, "customer_id": customer_id, "records": records}
            await self._shards.replace_documents(customer_id, [document], scope=tenant_id)


def merged_records(fresh: Records, now: datetime, stored: Records) -> Records:
    """`stored` updated with `fresh`, pruned (`_pruned`)."""
    return _pruned({**stored, **fresh}, now)


def _pruned(records: dict[str, Any], now: datetime) -> dict[str, Any]:
    """Records without settled ones whose due date is older than RECORD_RETENTION."""
    horizon = (now - RECORD_RETENTION).date()
    settled = {state.value for state in SETTLED_STATES}
    kept: dict[str, Any] = {}
    for reminder_id, data in records.items():
        try:
            due_on = date.fromisoformat(str(data.get("due_on")))
        except ValueError:
            due_on = None
        if data.get("state") in settled and due_on is not None and due_on < horizon:
            continue
        kept[reminder_id] = data
    return kept
