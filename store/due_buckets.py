"""The reminder index's buckets: `due/<YYYYMMDDTHHMM>.json`, the customers to look at in those
10 UTC minutes (see store/reminders.py for why buckets; store/index_build.py builds the entries
from the stored customers). Synchronous, like the rest of `store`, but for bulk adds.

A bucket holds at most CHUNK entries. When many customers fall due in the same 10 minutes (the
first start of a big book, or an import, where most customers are overdue and all get "now"),
the rest go to chunk files of that slot, `<YYYYMMDDTHHMM>-<nnnn>.json`, which sort right after
it. So a sweep reads a few small files until it has its batch, and rescheduling what it looked at
rewrites those files only, never one file with every overdue customer (99,500 overdue customers
in two buckets cost 0.9 s per sweep before).
"""

from __future__ import annotations

import asyncio
import bisect
import logging
import os
from collections import defaultdict
from collections.abc import Callable, Iterable, MutableMapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson
from tinydb import Query, TinyDB
from tinydb.queries import QueryInstance
from tinydb.table import Table

from engagement.reminder_records import IndexEntry
from engagement.slices import sliced
from store.atomic_storage import (
    ensure_directory,
    fsync_directory,
    remove_durably,
    stage_many,
)
from store.shards import SHARD_SUFFIX, ShardCache

logger = logging.getLogger(__name__)

BUCKET_MINUTES = 10
BUCKET_FORMAT = "%Y%m%dT%H%M"
CHUNK = 250  # entries in one bucket file at most (bulk writes; a single schedule may add one)
_AFTER_CHUNKS = "~"  # sorts after every `<slot>-<nnnn>` of a slot and before the next slot


def bucket_of(due: datetime) -> str:
    """The index bucket (its first UTC minute) that holds an entry due at `due`."""
    if due.tzinfo is None:
        raise ValueError("due must be an aware datetime")
    moment = due.astimezone(UTC)
    start = moment.replace(minute=moment.minute - moment.minute % BUCKET_MINUTES)
    return start.strftime(BUCKET_FORMAT)


Key = tuple[str, str]  # (tenant id, customer id)


def entry_matches(tenant_id: str, customer_id: str) -> QueryInstance:
    record = Query()
    condition: QueryInstance = (record.tenant_id == tenant_id) & (record.customer_id == customer_id)
    return condition


def put_document(table: Table, condition: QueryInstance, document: dict[str, Any]) -> None:
    """Insert or replace the one document matching `condition`: one write, none if unchanged.

    (TinyDB's `upsert` writes twice for a new document: an update that matched nothing, then
    the insert; every write here is an fsync.)
    """
    stored = table.get(condition)
    if stored is None:
        table.insert(document)
    elif stored != document:
        table.update(_replace_with(document), doc_ids=[stored.doc_id])


def _replace_with(document: dict[str, Any]) -> Callable[[MutableMapping[str, Any]], None]:
    def replace(stored: MutableMapping[str, Any]) -> None:
        stored.clear()
        stored.update(document)

    return replace


async def stage_in_thread(
    directory: Path, contents: list[tuple[Path, bytes]]
) -> list[tuple[Path, Path]]:
    """`stage_many` in a worker thread: the files written and synced, not yet renamed."""
    return await asyncio.to_thread(stage_many, directory, contents)


def parse_time(value: object) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if parsed.tzinfo is not None else None


class DueBuckets:
    """The bucket files under `directory`, their sorted names kept in memory after one listing.

    Args:
        directory: Where the bucket files are (created lazily).
        cache: The LRU of open shards.
    """

    def __init__(self, directory: Path, cache: ShardCache) -> None:
        self._dir = directory
        self._cache = cache
        self._buckets: list[str] | None = None  # sorted names of the bucket files on disk
        self._reserved: set[str] = set()  # chunk files being written by a bulk add

    def names(self) -> list[str]:
        if self._buckets is None:
            try:
                with os.scandir(self._dir) as entries:
                    names = [
                        entry.name.removesuffix(SHARD_SUFFIX)
                        for entry in entries
                        if entry.name.endswith(SHARD_SUFFIX) and not entry.name.startswith(".")
                    ]
            except FileNotFoundError:
                names = []
            self._buckets = sorted(names)
        return self._buckets

    def table(self, name: str) -> Table:
        names = self.names()
        index = bisect.bisect_left(names, name)
        if index == len(names) or names[index] != name:
            names.insert(index, name)
        return self._cache.table(self._dir / (name + SHARD_SUFFIX))

    def drop_if_empty(self, name: str, table: Table) -> None:
        if len(table) > 0:
            return
        path = self._dir / (name + SHARD_SUFFIX)
        self._cache.forget(path)
        remove_durably(path)
        names = self.names()
        index = bisect.bisect_left(names, name)
        if index < len(names) and names[index] == name:
            del names[index]

    def add_entry(self, name: str, tenant_id: str, customer_id: str, due: datetime) -> None:
        table = self.table(name)
        document = {"tenant_id": tenant_id, "customer_id": customer_id, "due": due.isoformat()}
        put_document(table, entry_matches(tenant_id, customer_id), document)

    def has(self, name: str) -> bool:
        names = self.names()
        index = bisect.bisect_left(names, name)
        return index < len(names) and names[index] == name

    def remove_entry(self, name: str, tenant_id: str, customer_id: str) -> None:
        if not self.has(name):
            return
        table = self.table(name)
        if table.remove(entry_matches(tenant_id, customer_id)) or len(table) == 0:
            self.drop_if_empty(name, table)

    def add_entries(self, name: str, entries: dict[tuple[str, str], datetime]) -> dict[Key, str]:
        """Put many entries into the slot `name`: its bucket file while it has room (at most one
        update and one insert), the rest in new chunk files. Returns each key's file name."""
        placed = dict.fromkeys(entries, name)
        placed.update(self.add_chunks(name, self._fill_bucket(name, entries)))
        return placed

    def _fill_bucket(
        self, name: str, entries: dict[tuple[str, str], datetime]
    ) -> list[dict[str, str]]:
        """Move the entries the slot's bucket file holds, add new ones while it has room; the
        new entries that did not fit, as documents for chunk files."""
        table = self.table(name)
        present = {(d.get("tenant_id"), d.get("customer_id")): d for d in table.all()}
        moved = {
            key: due.isoformat()
            for key, due in entries.items()
            if key in present and present[key].get("due") != due.isoformat()
        }
        if moved:

            def set_due(document: MutableMapping[str, Any]) -> None:
                document["due"] = moved[(document["tenant_id"], document["customer_id"])]

            table.update(set_due, doc_ids=[present[key].doc_id for key in moved])
        new = [
            {"tenant_id": key[0], "customer_id": key[1], "due": due.isoformat()}
            for key, due in entries.items()
            if key not in present
        ]
        room = max(0, CHUNK - len(present))
        if new[:room]:
            table.insert_multiple(new[:room])
        return new[room:]

    def times_in_slot(self, slot: str) -> dict[Key, str]:
        """The due time (ISO text) of every entry in the slot's bucket and chunk files."""
        names = self.names()
        first = bisect.bisect_left(names, slot)
        found: dict[Key, str] = {}
        for name in names[first : bisect.bisect_right(names, slot + _AFTER_CHUNKS)]:
            for document in self.table(name).all():
                key = (str(document.get("tenant_id")), str(document.get("customer_id")))
                found[key] = min(found.get(key, "~"), str(document.get("due")))
        return found

    async def not_yet_in(self, entries: Iterable[IndexEntry]) -> list[IndexEntry]:
        """The entries whose slot does not hold them at the same time or earlier already."""
        by_slot: dict[str, list[IndexEntry]] = defaultdict(list)
        async for entry in sliced(entries):  # 10,000 entries take 0.1 s: in slices
            by_slot[bucket_of(entry.due)].append(entry)
        missing: list[IndexEntry] = []
        for name, slot_entries in by_slot.items():
            present = self.times_in_slot(name)
            missing += [
                entry
                async for entry in sliced(slot_entries)
                if present.get((entry.tenant_id, entry.customer_id), "~") > entry.due.isoformat()
            ]
            await asyncio.sleep(0)
        return missing

    async def add_in_slices(self, entries: Iterable[IndexEntry]) -> int:
        """Add the entries slot by slot, yielding to other turns in between (no pointers): what
        the slots' bucket files hold no room for goes to new chunk files, all written at once
        (`_add_chunks_in_bulk`). Returns how many entries were written."""
        by_slot: dict[str, dict[Key, datetime]] = defaultdict(dict)
        async for entry in sliced(entries):
            by_slot[bucket_of(entry.due)][(entry.tenant_id, entry.customer_id)] = entry.due
        overflow: dict[str, list[dict[str, str]]] = defaultdict(list)
        for name, slot_entries in sorted(by_slot.items()):
            keys = list(slot_entries)
            for start in range(0, len(keys), CHUNK):
                self._cache.check_open()
                chunk = {key: slot_entries[key] for key in keys[start : start + CHUNK]}
                overflow[name] += self._fill_bucket(name, chunk)
                await asyncio.sleep(0)
        await self._add_chunks_in_bulk(overflow)
        return sum(len(slot_entries) for slot_entries in by_slot.values())

    async def _add_chunks_in_bulk(self, overflow: dict[str, list[dict[str, str]]]) -> None:
        """New chunk files for each slot's documents, staged and synced at once in a worker
        thread (a first start at 100,000 customers writes hundreds), then renamed into place.

        Their names are reserved meanwhile, so a concurrent `add_chunks` picks others; the
        sweep sees a chunk only once it is renamed into place and listed.
        """
        contents: dict[Path, dict[str, Any]] = {}
        for slot, documents in overflow.items():
            names = self._new_chunk_names(slot, -(-len(documents) // CHUNK))
            for number, name in enumerate(names):
                part = documents[number * CHUNK : (number + 1) * CHUNK]
                table = {str(doc_id): document for doc_id, document in enumerate(part, start=1)}
                contents[self._dir / (name + SHARD_SUFFIX)] = {TinyDB.default_table_name: table}
        if not contents:
            return
        staged: list[tuple[Path, Path]] = []
        try:
            ensure_directory(self._dir)
            encoded = [
                (path, orjson.dumps(content)) async for path, content in sliced(contents.items())
            ]
            staged = await stage_in_thread(self._dir, encoded)
            async for _ in sliced(range(len(staged))):  # each rename with its listing, no await
                self._cache.check_open()
                temp, path = staged.pop()
                os.replace(temp, path)
                self._cache.prime(path, contents[path])
                bisect.insort(self.names(), path.name.removesuffix(SHARD_SUFFIX))
        finally:
            for temp, _path in staged:  # not renamed: the store closed meanwhile
                temp.unlink(missing_ok=True)
            self._reserved.difference_update(p.name.removesuffix(SHARD_SUFFIX) for p in contents)
        await asyncio.to_thread(fsync_directory, self._dir)

    def _new_chunk_names(self, slot: str, count: int) -> list[str]:
        """`count` chunk file names of `slot` that no file has and nobody reserved; reserved."""
        names = self.names()
        first = bisect.bisect_left(names, slot)
        taken = set(names[first : bisect.bisect_right(names, slot + _AFTER_CHUNKS)])
        taken |= self._reserved
        picked: list[str] = []
        number = 0
        while len(picked) < count:
            name = f"{slot}-{number:04d}"
            if name not in taken:
                picked.append(name)
            number += 1
        self._reserved.update(picked)
        return picked

    def add_chunks(self, slot: str, documents: list[dict[str, str]]) -> dict[Key, str]:
        """Write `documents` (entries of `slot`) into new chunk files of CHUNK entries each."""
        placed: dict[Key, str] = {}
        if not documents:
            return placed
        names = self._new_chunk_names(slot, -(-len(documents) // CHUNK))
        for number, name in enumerate(names):
            part = documents[number * CHUNK : (number + 1) * CHUNK]
            self._reserved.discard(name)  # written right now, with no await in between
            self.table(name).insert_multiple(part)
            placed.update({(d["tenant_id"], d["customer_id"]): name for d in part})
        return placed

    def remove_entries(self, name: str, keys: set[tuple[str, str]]) -> None:
        """Drop many customers' entries from one bucket in one write."""
        if not self.has(name):
            return
        table = self.table(name)
        doomed = [
            d.doc_id for d in table.all() if (d.get("tenant_id"), d.get("customer_id")) in keys
        ]
        if doomed:
            table.remove(doc_ids=doomed)
        self.drop_if_empty(name, table)

    def due(self, now: datetime, limit: int) -> list[IndexEntry]:
        """Index entries due by `now`, earliest first, at most `limit`.

        Reads only the buckets up to `now`'s (normally one or two small files).
        """
        names = self.names()
        last = bisect.bisect_right(names, bucket_of(now) + _AFTER_CHUNKS)
        found: list[IndexEntry] = []
        for name in list(names[:last]):
            table = self.table(name)
            documents = table.all()
            if not documents:
                self.drop_if_empty(name, table)
                continue
            for document in documents:
                due = parse_time(document.get("due"))
                if due is None or due <= now:
                    found.append(
                        IndexEntry(
                            str(document.get("tenant_id", "")),
                            str(document.get("customer_id", "")),
                            due or now,
                            name,
                        )
                    )
            if len(found) >= limit:
                break
        found.sort(key=lambda entry: (entry.due, entry.tenant_id, entry.customer_id))
        return found[:limit]
