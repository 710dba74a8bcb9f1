"""The index times of entries written in bulk, per customer (store/reminders.py).

A bulk write of the reminder index (the first start with reminders, an import) writes no
pointer per customer (one file each: 17 s for 10,000). Without this record, the first save of
each such customer could not tell whether its entry was already early enough, so it wrote a new
entry and a pointer: two more durable writes in most touch turns of a big book after a first
start (a touch only moves the next reminder later). Here, after the bulk entries are durable,
their times are written per tenant in files of a few dozen customers each,

    <reminders>/bulk/<sha256(tenant)>/<2 hex of sha256(customer)>.json   {customer id: time}

all with one sync. `due` answers for a customer that has no pointer time: an index entry at or
before it exists, because a bulk entry is only ever removed by a reschedule or a schedule that
first writes the customer's pointer (which then answers instead). So the record may be old, or
missing (a crash before it was written, two bulk writes racing on one file), but never says
more than the index holds: a missing time costs one write, as before.
"""

from __future__ import annotations

import asyncio
import os
from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

import orjson

from engagement.reminder_records import IndexEntry
from engagement.slices import sliced
from store.atomic_storage import ensure_directory, fsync_directory, stage_many
from store.due_buckets import parse_time
from store.shards import SHARD_SUFFIX, digest

_FILE_CHARS = 2  # 256 files per tenant at most: about 40 customers each at 10,000


class BulkTimes:
    """The bulk entries' times under `root` (see the module docstring).

    Args:
        root: `<reminders>/bulk` (created on the first bulk write).
    """

    def __init__(self, root: Path) -> None:
        self._root = root

    def _path(self, tenant_id: str, customer_id: str) -> Path:
        name = digest(customer_id)[:_FILE_CHARS] + SHARD_SUFFIX
        return self._root / digest(tenant_id) / name

    def due(self, tenant_id: str, customer_id: str) -> datetime | None:
        """The time of the customer's bulk entry, or None when none is recorded."""
        return parse_time(_read(self._path(tenant_id, customer_id)).get(customer_id))

    async def record(self, entries: Sequence[IndexEntry]) -> None:
        """Record the times of bulk entries just written durably (an earlier time recorded for
        the same customer is kept: both entries are in the index). One sync per tenant."""
        by_file: defaultdict[Path, dict[str, datetime]] = defaultdict(dict)
        async for entry in sliced(entries):
            times = by_file[self._path(entry.tenant_id, entry.customer_id)]
            known = times.get(entry.customer_id)
            times[entry.customer_id] = entry.due if known is None else min(known, entry.due)
        by_directory: defaultdict[Path, list[tuple[Path, bytes]]] = defaultdict(list)
        async for path, times in sliced(list(by_file.items())):
            by_directory[path.parent].append((path, _merged(_read(path), times)))
        for directory, contents in by_directory.items():
            ensure_directory(directory)
            staged = await asyncio.to_thread(stage_many, directory, contents)
            for temp, path in staged:
                os.replace(temp, path)
            await asyncio.to_thread(fsync_directory, directory)


def _read(path: Path) -> dict[str, str]:
    try:
        content = orjson.loads(path.read_bytes())
    except (FileNotFoundError, orjson.JSONDecodeError):
        return {}
    return content if isinstance(content, dict) else {}


def _merged(stored: dict[str, str], times: dict[str, datetime]) -> bytes:
    for customer_id, due in times.items():
        known = parse_time(stored.get(customer_id))
        if known is None or due < known:
            stored[customer_id] = due.isoformat()
    return orjson.dumps(stored)
