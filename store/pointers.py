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
that customer stays as a stray, and its old entries are not removed: harmless extra looks).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson
from tinydb import TinyDB

from store.atomic_storage import ensure_directory, fsync_directory, stage_many
from store.shards import ShardCache, ShardSet

Key = tuple[str, str]  # (tenant id, customer id)


class PointerWrites:
    """The pointers written while batches are in flight, one set per batch."""

    def __init__(self) -> None:
        self._watching: list[set[Key]] = []

    def written(self, key: Key, *, by: set[Key] | None = None) -> None:
        """Note that `key`'s pointer was just written (by the batch watching `by`, if any)."""
        for keys in self._watching:
            if keys is not by:
                keys.add(key)

    @contextlib.contextmanager
    def watch(self) -> Iterator[set[Key]]:
        """The keys whose pointers others write while inside."""
        keys: set[Key] = set()
        self._watching.append(keys)
        try:
            yield keys
        finally:
            self._watching.remove(keys)


async def write_pointers(
    shards: ShardSet,
    cache: ShardCache,
    documents: list[dict[str, Any]],
    writes: PointerWrites,
    meanwhile: set[Key],
) -> None:
    """Replace the pointer file of each document (one customer's) durably, leaving alone those
    written by others meanwhile (`meanwhile`, from `writes.watch()`): see the module docstring.
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
            if key in meanwhile:
                continue
            os.replace(temp, path)
            cache.prime(path, content)
            writes.written(key, by=meanwhile)
        for directory in by_directory:
            fsync_directory(directory)
    finally:
        for temp, _path in staged:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temp)  # left out, or not renamed (the store closed meanwhile)
