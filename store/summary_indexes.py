"""The tenants' customer summaries in memory (`engagement.book_index.BookIndex`), for
store/summaries.py.

- **Loaded once per tenant**, on its first query: the tenant's bucket files are read and
  decoded one at a time, yielding to other turns between slices; concurrent first queries share
  one load.
- **Kept current by every write.** `changed` is called with every summary a save writes to a
  bucket file: the index is changed in place (about 80 microseconds at 100,000 customers).
  While a tenant is loading, the changes are queued and applied, in order and by version, once
  the files are read: a change is never lost, whether its file was read before or after it.
- **Replaced after a bulk write.** An import or a build rewrites many summaries at once
  (a build: every one, daily, as health moves with time); changing the index in place row by
  row would cost seconds at 100,000 customers. After an import, `replaced` drops the tenant's
  index (a load under way starts over) and the next query loads it from the files again (the
  imported customers show in it); after a build, `refresh` loads it again at once while the
  old one keeps answering, so no query waits for the daily rebuild's reload.
- **Per process**, like the store itself (one process per data directory): nothing to
  invalidate across processes; `close` forgets everything.

Memory: the tenant's summaries once loaded (about 0.7 KB per customer: 70 MB at 100,000).

The collector. CPython's full collections walk every live container object, and a loaded index
is one more per customer: at 100,000 customers each full pass took 50-150 ms, four of them
during the load alone. So a load runs with full collections held off (`_full_passes_held`:
young generations are still collected), and once loaded, everything alive is frozen
(`gc.freeze`): later full passes skip the index. Frozen objects are still freed by reference
counting; only a reference cycle among what was alive at that moment is never collected (the
few objects of turns in flight then).
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import time
from collections.abc import AsyncIterator, Iterable, Iterator, Mapping
from pathlib import Path

from engagement.book_index import BookIndex
from engagement.slices import SLICE_SECONDS
from engagement.summary import CustomerSummary
from store.shards import digest
from store.summary_codec import Row, bucket_names, decode, read_bucket

Change = tuple[str, CustomerSummary | None]  # customer id, new summary (None: removed)


class SummaryIndexes:
    """Every loaded tenant's `BookIndex` (see the module docstring).

    Args:
        root: `<data_dir>/summaries`, with one directory of bucket files per tenant.
    """

    def __init__(self, root: Path) -> None:
        self._root = root
        self._indexes: dict[str, BookIndex] = {}
        self._loads: dict[str, asyncio.Task[BookIndex]] = {}
        self._queued: dict[str, list[Change]] = {}
        self._reload: set[str] = set()  # loads under way that must start over

    async def of(self, tenant_id: str) -> BookIndex:
        """The tenant's index, loaded from its bucket files on first use (call only once the
        tenant's summaries are built)."""
        key = digest(tenant_id)
        index = self._indexes.get(key)
        if index is not None:
            return index
        return await asyncio.shield(self._loads.get(key) or self._start(tenant_id, key))

    def _start(self, tenant_id: str, key: str) -> asyncio.Task[BookIndex]:
        self._queued[key] = []
        task = asyncio.get_running_loop().create_task(self._load(tenant_id, key))
        self._loads[key] = task
        return task

    async def _load(self, tenant_id: str, key: str) -> BookIndex:
        try:
            index = await self._read(tenant_id, key)
            while key in self._reload:  # replaced while it was read
                self._reload.discard(key)
                self._queued[key] = []
                index = await self._read(tenant_id, key)
            index.apply(self._queued[key])  # no await from here on
            self._indexes[key] = index
            return index
        finally:
            self._queued.pop(key, None)
            self._loads.pop(key, None)
            self._reload.discard(key)

    async def _read(self, tenant_id: str, key: str) -> BookIndex:
        with _full_passes_held():
            index = await BookIndex.load(self._groups(tenant_id, key))
        gc.freeze()
        return index

    async def _groups(self, tenant_id: str, key: str) -> AsyncIterator[list[CustomerSummary]]:
        directory = self._root / key
        started = time.perf_counter()
        for name in bucket_names(directory):
            if key in self._reload:
                return  # replaced meanwhile: read again from the start
            rows = read_bucket(directory / name)
            yield [decode(tenant_id, customer_id, row) for customer_id, row in rows.items()]
            if time.perf_counter() - started > SLICE_SECONDS:
                await asyncio.sleep(0)
                started = time.perf_counter()

    def changed(self, tenant_id: str, rows: Mapping[str, Row], gone: Iterable[str] = ()) -> None:
        """Rows just written to the tenant's bucket files, and ids just removed from them."""
        key = digest(tenant_id)
        index, queued = self._indexes.get(key), self._queued.get(key)
        if index is None and queued is None:
            return  # not loaded: the files are read when it is
        for customer_id, row in rows.items():  # to the index answering, and the one loading
            summary = decode(tenant_id, customer_id, row)
            if index is not None:
                index.put(summary)
            if queued is not None:
                queued.append((customer_id, summary))
        for customer_id in gone:
            if index is not None:
                index.remove(customer_id)
            if queued is not None:
                queued.append((customer_id, None))

    def replaced(self, tenant_id: str) -> None:
        """Many of the tenant's summaries were just rewritten (an import): load them again
        when asked."""
        key = digest(tenant_id)
        self._indexes.pop(key, None)  # a query still using it (a subset being built) finishes
        if key in self._loads:
            self._reload.add(key)

    async def refresh(self, tenant_id: str) -> None:
        """Many of the tenant's summaries were just recomputed (a build): load them again now,
        while the index loaded before keeps answering (and taking saves); nothing to do when
        none is loaded."""
        key = digest(tenant_id)
        task = self._loads.get(key)
        if task is not None:
            self._reload.add(key)
        elif key in self._indexes:
            task = self._start(tenant_id, key)
        else:
            return
        await asyncio.shield(task)

    def close(self) -> None:
        """Forget every index and stop loading."""
        for task in self._loads.values():
            task.cancel()
        self._loads.clear()
        self._queued.clear()
        for index in self._indexes.values():
            index.close()
        self._indexes.clear()


class _FullPasses:
    """How many loads hold off full collections, and the threshold to restore after them."""

    held = 0
    threshold = 10
    WHILE_HELD = 1_000_000  # young collections before a full one, while held


@contextlib.contextmanager
def _full_passes_held() -> Iterator[None]:
    """No full (generation 2) collection while inside, in this process (see the module)."""
    young, middle, full = gc.get_threshold()
    if not _FullPasses.held:
        _FullPasses.threshold = full
        gc.set_threshold(young, middle, _FullPasses.WHILE_HELD)
    _FullPasses.held += 1
    try:
        yield
    finally:
        _FullPasses.held -= 1
        if not _FullPasses.held:
            young, middle, _ = gc.get_threshold()
            gc.set_threshold(young, middle, _FullPasses.threshold)
