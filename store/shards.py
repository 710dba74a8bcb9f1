"""Sharding: one small TinyDB file per aggregate, and a bounded LRU of open TinyDB instances.

File names are hashes of the ids, so no user text (customer names, conversation ids with `:`,
`@`, `;`) ever reaches a path, and the original ids are kept inside the documents.
"""

from __future__ import annotations

import asyncio
import functools
import hashlib
import json
import logging
import os
from collections.abc import AsyncIterator, Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

import orjson
from tinydb import TinyDB
from tinydb.table import Table

from engagement.slices import sliced
from store.atomic_storage import (
    AtomicJSONStorage,
    read_json_file,
    remove_durably,
    write_text_atomic,
)
from store.recent import Recent
from store.sync_worker_client import SyncWorker
from store.write_placement import WritePlacement

logger = logging.getLogger(__name__)

T = TypeVar("T")

SHARD_SUFFIX = ".json"
DEFAULT_CACHE_SIZE = 1024
KNOWN_PATHS = 16_384  # per ShardSet: paths of recently used keys
READ_BATCH = 256  # files read per trip to a worker thread (`read_files`)
_DIGEST_CHARS = 32  # 128 bits of SHA-256: collisions are not a practical concern
_FANOUT_CHARS = 2  # shards without a scope spread over 256 directories


class StoreClosed(RuntimeError):
    """The store was closed; open a new one."""


@functools.lru_cache(maxsize=65_536)
def digest(text: str) -> str:
    """A stable, file-name-safe hash of an id (cached: a turn hashes the same ids repeatedly)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:_DIGEST_CHARS]


class ShardCache:
    """The TinyDB instances of recently used shard files, at most `capacity` of them.

    Opening a shard costs one small file read, so an evicted shard is simply reopened later.
    Instances hold no file handle; eviction only drops the cached content.

    Args:
        capacity: How many shards stay open (and their content cached) at most.
    """

    def __init__(self, capacity: int = DEFAULT_CACHE_SIZE) -> None:
        if capacity < 1:
            raise ValueError("capacity must be at least 1")
        self._capacity = capacity
        self._open: Recent[Path, TinyDB] = Recent(capacity, on_evict=TinyDB.close)
        self.placement = WritePlacement()  # one disk: one judgement of how fast writes are
        self.sync_worker: SyncWorker | None = None  # set by the store that starts one
        self._closed = False

    def __len__(self) -> int:
        return len(self._open)

    @property
    def closed(self) -> bool:
        """True once `close()` was called."""
        return self._closed

    def check_open(self) -> None:
        """Raise StoreClosed after `close()`."""
        if self._closed:
            raise StoreClosed("the store is closed")

    def table(self, path: Path) -> Table:
        """The default table of the shard at `path` (the file need not exist yet)."""
        self.check_open()
        db = self._open.get(path)
        if db is None:
            db = TinyDB(path, storage=AtomicJSONStorage)
            self._open.put(path, db)
        return db.table(TinyDB.default_table_name)

    def prime(self, path: Path, data: dict[str, Any]) -> None:
        """Open the shard at `path` knowing that its file holds `data` (no read on next use)."""
        self.forget(path)
        db = TinyDB(path, storage=AtomicJSONStorage)
        storage = db.storage
        assert isinstance(storage, AtomicJSONStorage)
        storage.remember(data)
        self._open.put(path, db)

    def __contains__(self, path: object) -> bool:
        return path in self._open

    def forget(self, path: Path) -> None:
        """Close and drop the instance for `path`, if open."""
        db = self._open.discard(path)
        if db is not None:
            db.close()

    async def write_durably(self, path: Path, data: bytes) -> None:
        """Replace the file at `path` with `data`; on return it is on disk. Through the sync
        worker if there is one (store/sync_worker_client.py), else inline or in a thread
        (store/write_placement.py)."""
        if self.sync_worker is not None and self.sync_worker.serving:
            await self.sync_worker.write(path, data)
        else:
            await self.placement.run(functools.partial(write_text_atomic, path, data))

    def close(self) -> None:
        """Close every instance and stop the sync worker (its writes in flight complete first);
        later use raises StoreClosed. Idempotent."""
        if self.sync_worker is not None:
            self.sync_worker.close()
        for db in self._open.pop_all():
            db.close()
        self._closed = True


class ShardSet:
    """The shard files of one kind of record, under `root`.

    A record with a scope (a tenant) lives in `root/<digest(scope)>/<digest(key)>.json`, so a
    tenant's records are listed by scanning one directory. A record without a scope lives in
    `root/<first 2 chars of digest(key)>/<digest(key)>.json`, which keeps directories small.

    Args:
        root: The directory of this kind of record (created lazily, on the first write).
        cache: The LRU of open shards, shared by every ShardSet of a store.
    """

    def __init__(self, root: Path, cache: ShardCache) -> None:
        self._root = root
        self._cache = cache
        self._paths: Recent[tuple[str, str | None], Path] = Recent(KNOWN_PATHS)

    @property
    def root(self) -> Path:
        """The directory of this kind of record."""
        return self._root

    def path(self, key: str, scope: str | None = None) -> Path:
        """The shard file of `key` (within `scope`, if given)."""
        known = self._paths.get((key, scope))
        if known is not None:
            return known  # the same Path object: its hash, the shard cache's key, is computed once
        key_digest = digest(key)
        directory = digest(scope) if scope is not None else key_digest[:_FANOUT_CHARS]
        path = self._root / directory / (key_digest + SHARD_SUFFIX)
        self._paths.put((key, scope), path)
        return path

    def table(self, key: str, scope: str | None = None) -> Table:
        """The TinyDB table of the shard of `key`."""
        return self._cache.table(self.path(key, scope))

    async def replace_documents(
        self, key: str, documents: list[dict[str, Any]], scope: str | None = None
    ) -> None:
        """Rewrite the shard of `key` with `documents`, durably (`ShardCache.write_durably`).

        The shard's cached instance is dropped first; once the file is written, the cache is
        primed with what it now holds (after a failed write the file is read again on next
        use). Callers must not touch this shard concurrently (bot state: one turn per
        conversation at a time).
        """
        self._cache.check_open()
        path = self.path(key, scope)
        table = {str(number): document for number, document in enumerate(documents, start=1)}
        content = {TinyDB.default_table_name: table}
        try:
            data: str | bytes = orjson.dumps(content)
        except (TypeError, orjson.JSONEncodeError):  # e.g. a non-string key: the slower encoder
            data = json.dumps(content, ensure_ascii=False, separators=(",", ":"))
        self._cache.forget(path)
        await self._cache.write_durably(path, data if isinstance(data, bytes) else data.encode())
        self._cache.prime(path, orjson.loads(data) if isinstance(data, bytes) else json.loads(data))

    def remove(self, key: str, scope: str | None = None) -> bool:
        """Delete the shard file of `key`. True when there was one."""
        self._cache.check_open()
        path = self.path(key, scope)
        self._cache.forget(path)
        return remove_durably(path)

    async def files(self, scope: str) -> list[str]:
        """The paths of the shard files of `scope` (as text: 100,000 `Path` objects take a
        tenth of a second to build), listed in a worker thread (one directory read)."""
        self._cache.check_open()
        return await asyncio.to_thread(_shard_paths, self._root / digest(scope))

    async def scan(self, scope: str, convert: Callable[[list[dict[str, Any]]], T]) -> T:
        """`convert(documents)` for every document in the shards of `scope`.

        Reads that one directory and nothing else, in a worker thread, because its cost grows
        with the scope's records. Files on disk always equal the cache (every write is durable
        before it returns), so the thread reads files only and shares no state with the event
        loop. Temporary files of an interrupted write are skipped.
        """
        self._cache.check_open()
        return await asyncio.to_thread(_convert_directory, self._root / digest(scope), convert)


def _convert_directory(directory: Path, convert: Callable[[list[dict[str, Any]]], T]) -> T:
    names = shard_names(directory)
    documents = [document for name in names for document in _documents_on_disk(directory / name)]
    return convert(documents)


def shard_names(directory: Path) -> list[str]:
    """The shard files' names in `directory`, sorted (temporary files left out)."""
    try:
        with os.scandir(directory) as entries:
            return sorted(
                entry.name
                for entry in entries
                if entry.name.endswith(SHARD_SUFFIX) and not entry.name.startswith(".")
            )
    except FileNotFoundError:
        return []


async def read_files(paths: Sequence[str]) -> AsyncIterator[tuple[str, bytes]]:
    """(path, content) of each file, read READ_BATCH at a time in a worker thread (a slow disk
    does not hold the event loop), handed out in slices; a file gone meanwhile is empty."""
    for start in range(0, len(paths), READ_BATCH):
        batch = paths[start : start + READ_BATCH]
        contents = await asyncio.to_thread(_read_all, batch)
        async for item in sliced(zip(batch, contents, strict=True)):
            yield item


def _read_all(paths: Sequence[str]) -> list[bytes]:
    contents = []
    for path in paths:
        try:
            with open(path, "rb") as handle:
                contents.append(handle.read())
        except FileNotFoundError:
            contents.append(b"")
    return contents


def _shard_paths(directory: Path) -> list[str]:
    prefix = str(directory) + os.sep
    return [prefix + name for name in shard_names(directory)]


def _documents_on_disk(path: Path) -> list[dict[str, Any]]:
    content = read_json_file(path)
    if not isinstance(content, dict):
        return []
    table = content.get(TinyDB.default_table_name, {})
    return [document for document in table.values() if isinstance(document, dict)]
