"""All-or-nothing bulk writes of customers (import), across many one-customer files.

Every file is written atomically on its own, so a bulk write needs a commit point of its own:

1. check everything first (an id to add must not exist; a replaced customer gets its stored
   version + 1, so a concurrent save afterwards conflicts instead of overwriting);
2. stage every new file as a hidden temporary file in its final directory (fsynced);
3. write the journal `.import-journal.json` (atomically): the list of staged -> final renames.
   This is the commit point;
4. rename every staged file over its final name, fsync the directory, delete the journal.

A crash before step 3 leaves only hidden temporary files, which nothing reads and the next
recovery deletes: nothing was imported. A crash after step 3 leaves the journal, and
`recover` (run when the store opens) finishes the renames: everything was imported.
"""

from __future__ import annotations

import json
import logging
import os
import uuid
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from tinydb import TinyDB

from engagement.errors import CustomerAlreadyExists
from engagement.models import Customer
from store.atomic_storage import (
    ensure_directory,
    fsync_directory,
    remove_durably,
    write_text_atomic,
)
from store.customers import TinyCustomerRepository
from store.shards import ShardCache, ShardSet, digest
from store.summaries import TinyCustomerSummaries

logger = logging.getLogger(__name__)

JOURNAL = ".import-journal.json"
STAGED_MARK = ".import-"


class TinyCustomerImporter:
    """Writes a set of customers of one tenant completely or not at all.

    Args:
        shards: The customer shards (the same ones the repository uses).
        cache: The shared cache of open shards, told to forget replaced files.
        customers: The repository, for the existence and version checks.
        summaries: The summaries to record the imported customers in, once at the end.
    """

    def __init__(
        self,
        shards: ShardSet,
        cache: ShardCache,
        customers: TinyCustomerRepository,
        summaries: TinyCustomerSummaries | None = None,
    ) -> None:
        self._shards = shards
        self._cache = cache
        self._customers = customers
        self._summaries = summaries

    async def import_customers(
        self, tenant_id: str, add: Sequence[Customer], replace: Sequence[Customer]
    ) -> None:
        """Add `add` (as version 1) and overwrite `replace` (as stored version + 1), or nothing.

        Raises:
            CustomerAlreadyExists: An id to add exists by now; nothing was written.
        """
        self._cache.check_open()
        directory = self._shards.root / digest(tenant_id)
        recover(directory, self._cache)
        documents: list[tuple[Path, dict[str, Any]]] = []
        written: list[Customer] = []
        for customer in add:
            if await self._customers.get(tenant_id, customer.id) is not None:
                raise CustomerAlreadyExists(tenant_id, customer.id)
            documents.append((self._path(tenant_id, customer), _document(customer, tenant_id, 1)))
            written.append(customer.model_copy(update={"tenant_id": tenant_id, "version": 1}))
        for customer in replace:
            stored = await self._customers.get(tenant_id, customer.id)
            version = stored.version + 1 if stored is not None else 1
            documents.append(
                (self._path(tenant_id, customer), _document(customer, tenant_id, version))
            )
            written.append(customer.model_copy(update={"tenant_id": tenant_id, "version": version}))
        if not documents:
            return
        ensure_directory(directory)
        if self._summaries is not None:
            self._summaries.before_write()
        token = uuid.uuid4().hex[:12]
        staged = [(_stage(final, content, token), final) for final, content in documents]
        fsync_directory(directory)
        journal = [[str(temp), str(final)] for temp, final in staged]
        write_text_atomic(directory / JOURNAL, json.dumps(journal))  # the commit point
        _apply(directory, journal, self._cache)
        logger.info("imported %d customers into tenant %s", len(staged), tenant_id)
        if self._summaries is not None:  # a crash before this: rebuilt at the next start
            await self._summaries.record_many(tenant_id, written)

    def _path(self, tenant_id: str, customer: Customer) -> Path:
        return self._shards.path(customer.id, scope=tenant_id)


def _document(customer: Customer, tenant_id: str, version: int) -> dict[str, Any]:
    document = customer.model_dump(mode="json")
    document["tenant_id"] = tenant_id
    document["version"] = version
    return {TinyDB.default_table_name: {"1": document}}


def _stage(final: Path, content: dict[str, Any], token: str) -> Path:
    temp = final.with_name(f".{final.name}{STAGED_MARK}{token}")
    with open(temp, "w", encoding="utf-8") as handle:
        handle.write(json.dumps(content))
        handle.flush()
        os.fsync(handle.fileno())
    return temp


def _apply(directory: Path, journal: list[list[str]], cache: ShardCache) -> None:
    for temp, final in journal:
        if os.path.exists(temp):
            os.replace(temp, final)
        cache.forget(Path(final))
    fsync_directory(directory)
    remove_durably(directory / JOURNAL)


def recover(directory: Path, cache: ShardCache) -> None:
    """Finish an import whose journal was committed; drop staged files of one that was not."""
    journal_path = directory / JOURNAL
    if journal_path.exists():
        journal = json.loads(journal_path.read_text(encoding="utf-8"))
        logger.warning("finishing an interrupted import in %s", directory)
        _apply(directory, journal, cache)
    try:
        with os.scandir(directory) as entries:
            leftovers = [
                e.path for e in entries if STAGED_MARK in e.name and e.name.startswith(".")
            ]
    except FileNotFoundError:
        return
    for leftover in leftovers:
        remove_durably(Path(leftover))


def recover_all(customers_root: Path, cache: ShardCache) -> None:
    """Recover every tenant directory with an import journal (cheap: one stat per tenant)."""
    for journal in customers_root.glob(f"*/{JOURNAL}"):
        recover(journal.parent, cache)
