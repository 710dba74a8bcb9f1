"""The embedded TinyDB store: customers, conversation references and bot state, sharded on disk.

Design. TinyDB's stock `JSONStorage` reads and rewrites its whole file on every call, so one
shared file would make every turn cost O(all data) (7.6 ms per update at 100 documents, 246 ms
at 10,000). The store therefore keeps one small TinyDB file per aggregate, and a turn touches only
the few files it needs:

    <data_dir>/customers/<sha256(tenant)>/<sha256(customer id)>.json   one customer + iterations
    <data_dir>/references/<sha256(tenant)>/<sha256(conversation)>.json one conversation reference
    <data_dir>/state/<2 hex>/<sha256(state key)>.json                   one botbuilder state key
    <data_dir>/reminders/...                     reminder index, delivery records, preferences
                                                 (see store/reminders.py)
    <data_dir>/readiness/<2 hex>/<sha256(tenant)>.json                 readiness self-assessments
    <data_dir>/summaries/<sha256(tenant)>/<2 hex>.json  customer summaries for the portfolio
                                                 (see store/summaries.py)

- File names are hashes (128 bits of SHA-256); the original ids stay inside the documents, so no
  user text reaches a path and any id (`19:abc@thread.tacv2;messageid=1`) is safe.
- Every file is written by `AtomicJSONStorage`: temp file in the same directory, fsync, atomic
  `os.replace`, fsync of the directory. A crash leaves the old or the new file, never a broken
  one, and a write that returned is on disk. Content is cached after the first read. In the app
  (`open_store(sync_worker=True)`) bot state and delivery records take the same steps, but the
  fsyncs and the rename run in a sync worker process while the event loop serves other turns
  (store/sync_worker_client.py).
- Recently used shards stay open in one bounded LRU (`ShardCache`, 1,024 by default); opening a
  shard is one small file read, so the cost of a turn does not depend on how many customers exist.
- Opening the store reads no record until one is asked for; it only lists the directories to
  remove temporary files a crash left behind (`store/leftovers.py`). Listing a tenant's
  customers (or active references) scans that tenant's directory only, in a worker thread, as
  its cost grows with the tenant. `portfolio`, `kpis` and `customers` read the tenant's
  summaries instead, loaded into memory once and kept current (store/summaries.py).
- Optimistic concurrency: a customer carries `version`, bot state carries `e_tag`; a stale write
  raises (ConcurrencyConflict, KeyError) instead of overwriting. TinyDB calls are synchronous and
  take a few ms, so they run on the event loop with no await between read and write; the store is
  for one process (one instance per data directory), as TinyDB itself is.

A second backend (PostgreSQL) implements the same plain Protocols of ours, all in
`engagement.ports` (customers, import, conversation references, conversation state, reminders,
readiness).
Nothing in store/ imports botbuilder: bot/state.py adapts `StateStorage` to botbuilder's `Storage`.
"""

from __future__ import annotations

import logging
from pathlib import Path
from types import TracebackType

from engagement.clock import Clock, SystemClock
from store.atomic_storage import write_text_atomic
from store.customers import TinyCustomerRepository
from store.imports import TinyCustomerImporter, recover_all
from store.leftovers import remove_leftovers
from store.readiness import TinyReadinessStore
from store.references import TinyConversationReferences
from store.reminders import TinyReminderStore
from store.shards import DEFAULT_CACHE_SIZE, ShardCache, ShardSet, StoreClosed
from store.state_storage import TinyStateStorage
from store.summaries import TinyCustomerSummaries
from store.sync_worker_client import SyncWorker

__all__ = [
    "Store",
    "StoreClosed",
    "TinyConversationReferences",
    "TinyCustomerRepository",
    "TinyCustomerSummaries",
    "TinyReadinessStore",
    "TinyReminderStore",
    "TinyStateStorage",
    "open_store",
]

logger = logging.getLogger(__name__)

_HEALTH_PROBE = ".health-probe"


class Store:
    """The store of one data directory: repositories plus conversation state, sharing one cache.

    Build it with `open_store`. Close it once when the app stops (closing twice is harmless).

    Args:
        data_dir: The directory that holds every shard (created if missing).
        cache_size: How many shard files stay open and cached at most.
        clock: The time customer summaries compute health for (the system clock if None).
        sync_worker: Start a sync worker process for the durable writes of bot state and
            delivery records (store/sync_worker_client.py), stopped by `close()`.

    Attributes:
        customers: The tenant-scoped customer repository.
        references: Conversation references for proactive messages.
        state_storage: Conversation state (dialog stacks), see `engagement.ports.StateStorage`.
        reminders: The reminder index, delivery records and reminder preferences.
        customer_import: All-or-nothing bulk writes of customers (import).
        readiness: Each organisation's readiness self-assessments.
        summaries: The customer summaries `portfolio`, `kpis` and `customers` read.
    """

    def __init__(
        self,
        data_dir: Path,
        cache_size: int = DEFAULT_CACHE_SIZE,
        clock: Clock | None = None,
        sync_worker: bool = False,
    ) -> None:
        self.data_dir = data_dir
        data_dir.mkdir(parents=True, exist_ok=True)
        self._cache = ShardCache(cache_size)
        customer_shards = ShardSet(data_dir / "customers", self._cache)
        self.summaries = TinyCustomerSummaries(
            data_dir / "summaries", customer_shards.root, clock or SystemClock()
        )
        self.customers = TinyCustomerRepository(customer_shards, self.summaries)
        self.customer_import = TinyCustomerImporter(
            customer_shards, self._cache, self.customers, self.summaries
        )
        recover_all(customer_shards.root, self._cache)  # an import interrupted by a crash
        remove_leftovers(data_dir)  # temporary files of writes a crash interrupted
        self.references = TinyConversationReferences(ShardSet(data_dir / "references", self._cache))
        self.state_storage = TinyStateStorage(ShardSet(data_dir / "state", self._cache))
        self.reminders = TinyReminderStore(data_dir / "reminders", self._cache)
        self.readiness = TinyReadinessStore(ShardSet(data_dir / "readiness", self._cache))
        if sync_worker:  # after remove_leftovers, which would take its temporary files
            try:
                self._cache.sync_worker = SyncWorker()
            except OSError:
                logger.warning("the sync worker did not start; writes run inline", exc_info=True)

    @property
    def sync_worker(self) -> SyncWorker | None:
        """The sync worker of this store, if it started one."""
        return self._cache.sync_worker

    def healthy(self) -> bool:
        """True when the store is open, its directory exists and a durable write succeeds.

        The probe replaces `<data_dir>/.health-probe` the way every shard is written.
        """
        if self._cache.closed or not self.data_dir.is_dir():
            return False
        try:
            write_text_atomic(self.data_dir / _HEALTH_PROBE, "ok")
        except OSError:
            logger.warning("store at %s cannot write", self.data_dir, exc_info=True)
            return False
        return True

    def close(self) -> None:
        """Release every open shard; later use raises StoreClosed. Idempotent."""
        if not self._cache.closed:
            self._cache.close()
            self.summaries.close()
            logger.debug("closed the store at %s", self.data_dir)

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()


def open_store(
    data_dir: Path,
    *,
    cache_size: int = DEFAULT_CACHE_SIZE,
    clock: Clock | None = None,
    sync_worker: bool = False,
) -> Store:
    """Open (or create) the store in `data_dir`; reads nothing until a record is needed.

    Args:
        data_dir: The data directory; created with its parents if missing.
        cache_size: How many shard files stay open and cached at most.
        clock: The time customer summaries compute health for (the system clock if None).
        sync_worker: Make bot state durable in a sync worker process (the app does; tests and
            tools need not).

    Returns:
        The open store.
    """
    return Store(Path(data_dir), cache_size, clock, sync_worker)
