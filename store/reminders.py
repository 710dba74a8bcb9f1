"""TinyReminderStore: the next-due index, delivery records and user preferences for reminders.

Layout under `<root>` (every file written by `AtomicJSONStorage`: atomic and durable):

    due/<YYYYMMDDTHHMM>.json                   index bucket: customers to look at in those
                                               10 minutes (UTC; the name is the bucket's start)
    customers/<sha(tenant)>/<sha(customer)>.json  one document per customer: its index time and
                                               bucket, the conversation where it was last
                                               managed (and older stores' delivery records)
    records/<sha(tenant)>/<sha(customer)>.json    one document per customer: its delivery records
                                               by reminder id (store/delivery_records.py)
    users/<sha(tenant)>/<sha(user)>.json       one document per user: digest, pause, time zone,
                                               personal and last conversation, last digest day
    bulk/<sha(tenant)>/<2 hex>.json            the times of entries written in bulk, per
                                               customer (store/bulk_times.py)
    index-built                                marker: the index was built from existing customers

Why buckets. A sweep must not load every customer on every tick, and a single index file would be
rewritten whole on every change (TinyDB rewrites its file per write). An entry lives in the bucket
of the 10 UTC minutes it is due in; a sweep reads only the buckets up to the current one (the
sorted bucket names are kept in memory after one directory listing), and from those only the
entries due by now. A bucket holds the customers due in ten minutes, so it stays small (100,000
customers spread over the 14-day check-in cycle give ~50 per bucket, ~2,000 bucket files), and a
change rewrites one or two of them.

The index is a hint, never the truth: the sweep reloads the customer and its records and decides
again. So the store errs on the early side. An entry is written to its new bucket before it is
removed from the old one, and the customer document remembers its bucket (the "pointer"); a crash
in between leaves a stray early entry, which costs the sweep one look, never a missed reminder.
Entries written in bulk (the first build, an import) have no pointer but their times are
recorded per customer (store/bulk_times.py), so a save can tell that its entry is early enough
and write nothing; a later reschedule leaves the bulk entry as a stray, harmless in the same way.

The buckets and building the index from stored customers are in store/due_buckets.py.

Every method but `put_records` does a few small synchronous TinyDB operations without awaiting in
between, like the rest of `store`, so read-modify-write sequences are atomic within the event loop
(one process). `put_records`, two per reminder sent, may write in a worker thread: a lock per
customer keeps its read-modify-write whole (store/delivery_records.py).
"""

from __future__ import annotations

import functools
import logging
from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from tinydb import Query
from tinydb.queries import QueryInstance
from tinydb.table import Table

from engagement.reminder_records import (
    DeliveryRecord,
    IndexEntry,
    Rescheduled,
    UserPreferences,
)
from engagement.reminders import ReminderPolicy
from engagement.working_hours import zone_or_none
from store.atomic_storage import write_text_atomic
from store.bulk_times import BulkTimes
from store.delivery_records import RecordFiles, merged_records
from store.due_buckets import (
    DueBuckets,
    bucket_of,
    entry_matches,
    parse_time,
    put_document,
)
from store.index_build import index_entries
from store.pointers import PointerWrites, write_pointers
from store.recent import Recent
from store.shards import ShardCache, ShardSet

logger = logging.getLogger(__name__)

_MARKER = "index-built"
REMEMBERED_USERS = 10_000


def _user_matches(tenant_id: str, user_id: str) -> QueryInstance:
    record = Query()
    condition: QueryInstance = (record.tenant_id == tenant_id) & (record.user_id == user_id)
    return condition


class TinyReminderStore:
    """Reminder index, delivery records and preferences in small TinyDB files under `root`.

    Implements `engagement.ports.ReminderStore`.

    Args:
        root: The directory of this store's files (created lazily).
        cache: The LRU of open shards; share the Store's so one limit covers all files.
    """

    def __init__(self, root: Path, cache: ShardCache) -> None:
        self._root = root
        self._cache = cache
        self._index = DueBuckets(root / "due", cache)
        self._bulk = BulkTimes(root / "bulk")
        self._pointer_writes = PointerWrites()
        self._customers = ShardSet(root / "customers", cache)
        self._users = ShardSet(root / "users", cache)
        self._records = RecordFiles(ShardSet(root / "records", cache), self._legacy_records)
        # What `remember_user_conversation` last noted per user, while no other write intervened.
        self._remembered: Recent[tuple[str, str], tuple[str, bool, str | None, str | None]] = (
            Recent(REMEMBERED_USERS)
        )

    @property
    def root(self) -> Path:
        """The directory of this store's files."""
        return self._root

    def _customer_table(self, tenant_id: str, customer_id: str) -> Table:
        return self._customers.table(customer_id, scope=tenant_id)

    def _customer_document(self, tenant_id: str, customer_id: str) -> dict[str, Any]:
        document = self._customer_table(tenant_id, customer_id).get(
            entry_matches(tenant_id, customer_id)
        )
        if document is None:
            return {"tenant_id": tenant_id, "customer_id": customer_id, "records": {}}
        return dict(document)

    def _legacy_records(self, tenant_id: str, customer_id: str) -> dict[str, Any]:
        return dict(self._customer_document(tenant_id, customer_id).get("records") or {})

    def _write_customer_document(self, document: dict[str, Any]) -> None:
        tenant_id, customer_id = document["tenant_id"], document["customer_id"]
        table = self._customer_table(tenant_id, customer_id)
        put_document(table, entry_matches(tenant_id, customer_id), document)
        self._pointer_writes.written((tenant_id, customer_id))

    async def due(self, now: datetime, limit: int = 1000) -> list[IndexEntry]:
        """Index entries due by `now`, earliest first, at most `limit`.

        Reads only the buckets up to `now`'s (normally one or two small files).
        """
        self._cache.check_open()
        return self._index.due(now, limit)

    async def scheduled(self, tenant_id: str, customer_id: str) -> datetime | None:
        """The customer's index time (a batch in flight's, its pointer's, its bulk entry's)."""
        in_flight, due = self._pointer_writes.pending((tenant_id, customer_id))
        if in_flight:
            return due
        document = self._customer_document(tenant_id, customer_id)
        if "due" in document:
            return parse_time(document["due"])
        return self._bulk.due(tenant_id, customer_id)

    async def schedule(
        self,
        tenant_id: str,
        customer_id: str,
        due: datetime | None,
        *,
        replacing: IndexEntry | None = None,
    ) -> None:
        """Set the customer's index time exactly (None: no entry), dropping `replacing` too.

        Order: new entry, pointer, then removal of the old entries (see the module docstring).
        """
        document = self._customer_document(tenant_id, customer_id)
        old_bucket = document.get("bucket")
        new_bucket = bucket_of(due) if due is not None else None
        if due is not None and new_bucket is not None:
            self._index.add_entry(new_bucket, tenant_id, customer_id, due)
        document["due"] = due.isoformat() if due is not None else None
        document["bucket"] = new_bucket
        self._write_customer_document(document)
        stale = {old_bucket, replacing.location if replacing else None} - {new_bucket, None, ""}
        for name in sorted(str(name) for name in stale):
            self._index.remove_entry(name, tenant_id, customer_id)

    async def release(self, entries: Sequence[IndexEntry]) -> None:
        """Nothing to give back: `due` here only reads (one process sweeps)."""

    async def reschedule(self, swept: Sequence[Rescheduled], started: datetime) -> None:
        """`schedule` for a sweep's customers, with one or two writes per bucket, not per customer.

        The same order as `schedule`: new entries (grouped by bucket: rewriting a bucket once
        per customer blocked the event loop for most of a minute at 10,000), pointers (all at
        once, store/pointers.py: the only await), then removals of old entries (grouped by
        bucket). A turn that writes one of these pointers meanwhile keeps its pointer and entries.
        An index time after `started` was set during the sweep (the sweep only looks at
        customers due by then) and is kept when it is earlier than the sweep's.
        """
        self._cache.check_open()
        with self._pointer_writes.watch() as batch:
            plans: list[tuple[dict[str, Any], datetime | None, str | None, set[str]]] = []
            additions: dict[str, dict[tuple[str, str], datetime]] = defaultdict(dict)
            for item in swept:
                key = (item.tenant_id, item.customer_id)
                document = self._customer_document(*key)
                due = item.due
                current = parse_time(document.get("due"))
                if current is not None and current > started and (due is None or current < due):
                    due = current
                new_bucket = bucket_of(due) if due is not None else None
                if due is not None and new_bucket is not None:
                    additions[new_bucket][key] = due
                old = {document.get("bucket"), *(entry.location for entry in item.looked)}
                stale = {str(name) for name in old - {new_bucket, None, ""}}
                plans.append((document, due, new_bucket, stale))
            placed: dict[tuple[str, str], str] = {}
            for name, entries in sorted(additions.items()):
                placed.update(self._index.add_entries(name, entries))
            changed: list[dict[str, Any]] = []
            for document, due, new_bucket, stale in plans:
                before = dict(document)
                key = (document["tenant_id"], document["customer_id"])
                document["due"] = due.isoformat() if due is not None else None
                document["bucket"] = placed.get(key, new_bucket)  # a chunk file when crowded
                stale.discard(document["bucket"] or "")
                if document != before:
                    changed.append(document)
                batch.pending[key] = due
            await write_pointers(self._customers, self._cache, changed, self._pointer_writes, batch)
            removals: dict[str, set[tuple[str, str]]] = defaultdict(set)
            for document, _due, _bucket, stale in plans:
                key = (document["tenant_id"], document["customer_id"])
                for name in stale if key not in batch.meanwhile else ():
                    removals[name].add(key)
            for name, keys in sorted(removals.items()):
                self._index.remove_entries(name, keys)

    async def schedule_no_later(self, tenant_id: str, customer_id: str, due: datetime) -> None:
        """Move the customer's index time to `due` unless it already is at or before it."""
        current = await self.scheduled(tenant_id, customer_id)
        if current is not None and current <= due:
            return
        await self.schedule(tenant_id, customer_id, due)

    # --- delivery records and the customer's conversation --------------------------------------

    async def records(self, tenant_id: str, customer_id: str) -> dict[str, DeliveryRecord]:
        """The customer's delivery records by reminder id."""
        stored = self._records.stored(tenant_id, customer_id)
        records: dict[str, DeliveryRecord] = {}
        for reminder_id, data in stored.items():
            try:
                records[reminder_id] = DeliveryRecord.model_validate(data)
            except ValidationError:
                logger.warning("skipping an unreadable delivery record %s", reminder_id)
        return records

    async def put_records(self, records: Iterable[DeliveryRecord]) -> None:
        """Insert or replace records: one durable write per customer involved, off the event
        loop while writes are slow (store/delivery_records.py)."""
        self._cache.check_open()
        by_customer: dict[tuple[str, str], list[DeliveryRecord]] = defaultdict(list)
        for record in records:
            by_customer[(record.tenant_id, record.customer_id)].append(record)
        for (tenant_id, customer_id), group in by_customer.items():
            fresh = {record.id: record.model_dump(mode="json") for record in group}
            change = functools.partial(merged_records, fresh, max(r.updated_at for r in group))
            await self._records.update(tenant_id, customer_id, change)

    async def customer_conversation(self, tenant_id: str, customer_id: str) -> str | None:
        """The conversation where the customer was last managed, if known."""
        value = self._customer_document(tenant_id, customer_id).get("conversation_id")
        return value if isinstance(value, str) and value else None

    async def remember_customer_conversation(
        self, tenant_id: str, customer_id: str, conversation_id: str
    ) -> None:
        """Note that the customer was just managed in `conversation_id` (no write if unchanged)."""
        document = self._customer_document(tenant_id, customer_id)
        if document.get("conversation_id") != conversation_id:
            document["conversation_id"] = conversation_id
            self._write_customer_document(document)

    # --- user preferences ------------------------------------------------------------------------

    def _user_table(self, tenant_id: str, user_id: str) -> Table:
        return self._users.table(user_id, scope=tenant_id)

    async def preferences(self, tenant_id: str, user_id: str) -> UserPreferences:
        """The user's preferences; defaults when none were stored (read every turn, for the
        language: one pass over the shard's documents, where a TinyDB query and `get` built the
        query and read and copied the shard twice)."""
        document = None
        for stored in self._user_table(tenant_id, user_id).all():
            if stored.get("tenant_id") == tenant_id and stored.get("user_id") == user_id:
                document = stored
                break
        if document is not None:
            try:
                return UserPreferences.model_validate(dict(document))
            except ValidationError:
                logger.warning("unreadable reminder preferences of a user of tenant %s", tenant_id)
        return UserPreferences(tenant_id=tenant_id, user_id=user_id)

    async def put_preferences(self, preferences: UserPreferences) -> None:
        """Insert or replace the user's preferences (no write if unchanged)."""
        tenant_id, user_id = preferences.tenant_id, preferences.user_id
        self._remembered.discard((tenant_id, user_id))
        table = self._user_table(tenant_id, user_id)
        put_document(table, _user_matches(tenant_id, user_id), preferences.model_dump(mode="json"))

    async def remember_user_conversation(
        self,
        tenant_id: str,
        user_id: str,
        conversation_id: str,
        *,
        is_personal: bool,
        time_zone: str | None = None,
        client_language: str | None = None,
    ) -> None:
        """Note where the user talked to the bot (called every turn; writes only on change).

        A personal chat becomes the user's reminder conversation. A time zone Teams reported is
        kept when it is a known IANA name; the client's language when the turn had one.
        """
        noted = (conversation_id, is_personal, time_zone, client_language)
        if self._remembered.get((tenant_id, user_id)) == noted:
            return  # the same as this user's last turn, and nothing wrote their preferences since
        preferences = await self.preferences(tenant_id, user_id)
        changed = preferences.model_copy()
        changed.last_conversation_id = conversation_id
        if is_personal:
            changed.personal_conversation_id = conversation_id
        if time_zone and zone_or_none(time_zone) is not None:
            changed.time_zone = time_zone
        if client_language:
            changed.client_language = client_language
        if changed != preferences:
            await self.put_preferences(changed)
        self._remembered.put((tenant_id, user_id), noted)

    # --- building the index from existing customers --------------------------------------------

    def index_built(self) -> bool:
        """True once `build_index` completed here (or the index was started empty)."""
        return (self._root / _MARKER).exists()

    def mark_index_built(self) -> None:
        """Record that the index covers every customer (new ones are indexed as they are saved)."""
        write_text_atomic(self._root / _MARKER, "ok")

    async def schedule_many_no_later(self, entries: Sequence[IndexEntry]) -> None:
        """Index many customers at once (an import): each entry is added as written in bulk,
        without a pointer (see the module docstring), a few bucket files per slice; an entry
        already in its slot at the same time or earlier is not added again."""
        self._cache.check_open()
        await self.load_in_slices(await self._index.not_yet_in(entries))

    async def load_in_slices(self, entries: Sequence[IndexEntry]) -> int:
        """`bulk_load`, one bucket file at a time, yielding to other turns in between; then
        the entries' times are recorded (store/bulk_times.py)."""
        added = await self._index.add_in_slices(entries)
        await self._bulk.record(entries)
        return added

    def bulk_load(self, entries: Iterable[IndexEntry]) -> int:
        """Add many index entries with one write per bucket file (no pointers; see the module
        docstring), crowded slots spread over chunk files (store/due_buckets.py).

        Returns how many entries were added.
        """
        by_slot: dict[str, dict[tuple[str, str], datetime]] = defaultdict(dict)
        for entry in entries:
            by_slot[bucket_of(entry.due)][(entry.tenant_id, entry.customer_id)] = entry.due
        for name, slot_entries in sorted(by_slot.items()):
            self._index.add_entries(name, slot_entries)
        return sum(len(slot_entries) for slot_entries in by_slot.values())

    async def build_index(self, customers_dir: Path, policy: ReminderPolicy, now: datetime) -> int:
        """Index every customer stored under `customers_dir` once (first start with reminders).

        Reads the customer files in slices that yield to other turns (its cost grows with all
        customers), then writes one file per bucket. Customers saved meanwhile are
        indexed by `SchedulingCustomerRepository` anyway. Writes nothing while there is no
        customer directory (a new store). Idempotent; returns how many entries were added.
        """
        if self.index_built():
            return 0
        entries = await index_entries(customers_dir, policy, now)
        if entries is None:
            return 0  # a new store: every customer will be indexed as it is added
        self._cache.check_open()
        added = await self.load_in_slices(entries)
        self.mark_index_built()
        logger.info("reminder index built: %d customers indexed", added)
        return added


def open_reminder_store(root: Path, cache: ShardCache | None = None) -> TinyReminderStore:
    """A reminder store under `root`, with its own shard cache unless one is given."""
    return TinyReminderStore(Path(root), cache if cache is not None else ShardCache())
