"""The reminder index's pointers (`reminders/customers/...`, see store/reminders.py) of many
customers written at once: a sweep's reschedule.

A sweep reschedules up to 500 customers per tick, and wrote each one's pointer durably on the
event loop (temporary file, fsync, rename, directory fsync): 500 x 0.6 ms, a stall of about 0.3 s
that every concurrent turn waited out. Here the pointer files are staged and synced with one
sync per tenant directory in a worker thread (`stage_many`), then renamed into place and the
directories fsynced on the loop, before the old entries are removed (so a crash never leaves a
pointer earlier than every entry of its customer).

While the worker thread runs, a turn may write one of these pointers itself (`schedule`,
`remember_customer_conversation`): `PointerWrites.watch` notes every pointer written meanwhile,
and the batch leaves those alone (the turn's pointer and entry stay; the sweep's new entry for
that customer stays as a stray, and its old entries are not removed: harmless extra looks). A
turn's save that only moves the time earlier compares with the time the batch is setting
(`PointerWrites.pending`), not with the old pointer, so it writes when the batch's time is later.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
from collections import defaultdict
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import orjson
from tinydb import TinyDB

from store.atomic_storage import ensure_directory, fsync_directory, stage_many
from store.shards import ShardCache, ShardSet

Key = tuple[str, str]  # (tenant id, customer id)


class Batch:
    """One batch in flight: the times it is setting, and the pointers others wrote meanwhile."""

    def __init__(self) -> None:
        self.pending: dict[Key, datetime | None] = {}
        self.meanwhile: set[Key] = set()


class PointerWrites:
    """The batches of pointers in flight, and what turns write while they are."""

    def __init__(self) -> None:
        self._batches: list[Batch] = []

    def written(self, key: Key, *, by: Batch | None = None) -> None:
        """Note that `key`'s pointer was just written (by the batch `by`, if any)."""
        for batch in self._batches:
            if batch is not by:
                batch.meanwhile.add(key)

    def pending(self, key: Key) -> tuple[bool, datetime | None]:
        """(True, the time) when a batch in flight is setting `key`'s index time (its entry is
        written already, the pointer not yet): what a turn must compare its time with, or the
        batch would overwrite the pointer with a later time than the turn's save asked for."""
        for batch in reversed(self._batches):
            if key in batch.pending and key not in batch.meanwhile:
                return True, batch.pending[key]
        return False, None

    @contextlib.contextmanager
    def watch(self) -> Iterator[Batch]:
        """A batch in flight while inside."""
        batch = Batch()
        self._batches.append(batch)
        try:
            yield batch
        finally:
            self._batches.remove(batch)


async def write_pointers(
    shards: ShardSet,
    cache: ShardCache,
    documents: list[dict[str, Any]],
    writes: PointerWrites,
    batch: Batch,
) -> None:
    """Replace the pointer file of each document (one customer's) durably, leaving alone those
    written by others meanwhile (`batch`, from `writes.watch()`): see the module docstring.
    """
    by_directory: defaultdict[Path, list[tuple[Path, bytes]]] = defaultdict(list)
    contents: dict[Path, tuple[Key, dict[str, Any]]] = {}
    for document in documents:
        key = (document["tenant_id"], document["customer_id"])
        path = shards.path(key[1], scope=key[0])
        content = {TinyDB.default_table_name: {"1": document}}
        by_directory[path.parent].append((path, orjson.dumps(content)))
        contents[path] = (key, content)
    staged: list[tuple[Path, Path]] = []
    try:
        for directory, files in by_directory.items():
            ensure_directory(directory)
            staged += await asyncio.to_thread(stage_many, directory, files)
        cache.check_open()
        for temp, path in staged:  # no await from here on
            key, content = contents[path]
            if key in batch.meanwhile:
                continue
            os.replace(temp, path)
            cache.prime(path, content)
            writes.written(key, by=batch)
        for directory in by_directory:
            fsync_directory(directory)
    finally:
        for temp, _path in staged:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temp)  # left out, or not renamed (the store closed meanwhile)
