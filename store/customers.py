"""TinyCustomerRepository: tenant-scoped customers with optimistic concurrency, one file each."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable, Iterable, Mapping, MutableMapping
from functools import partial
from pathlib import Path
from typing import Any

import orjson
from tinydb import Query, TinyDB
from tinydb.queries import QueryInstance
from tinydb.table import Table

from engagement.errors import ConcurrencyConflict, CustomerAlreadyExists, CustomerNotFound
from engagement.models import Customer
from engagement.slices import sliced, sorted_in_slices
from store.shards import ShardSet, read_files
from store.summaries import TinyCustomerSummaries

logger = logging.getLogger(__name__)


def _matches(tenant_id: str, customer_id: str) -> QueryInstance:
    record = Query()
    condition: QueryInstance = (record.tenant_id == tenant_id) & (record.id == customer_id)
    return condition


def _conflict_key(tenant_id: str, customer_id: str) -> str:
    return f"customer {customer_id!r} of tenant {tenant_id!r}"


class TinyCustomerRepository:
    """Customers in `<root>/<tenant digest>/<customer digest>.json`, one document per file.

    Implements `engagement.ports.CustomerRepository`. A customer is found only under its own
    tenant. Each call does one small synchronous TinyDB operation (a few ms at most) without
    awaiting in between, so a read-compare-write in `save` is atomic within the event loop.

    Every add and save also records the customer's summary (`store/summaries.py`) before it
    returns, with no await in between.

    Args:
        shards: Where the customer shards live.
        summaries: The summaries to keep current (None: none are kept).
    """

    def __init__(self, shards: ShardSet, summaries: TinyCustomerSummaries | None = None) -> None:
        self._shards = shards
        self._summaries = summaries

    def shard_path(self, tenant_id: str, customer_id: str) -> Path:
        """The file that holds this customer (for tools and benchmarks)."""
        return self._shards.path(customer_id, scope=tenant_id)

    def _table(self, tenant_id: str, customer_id: str) -> Table:
        return self._shards.table(customer_id, scope=tenant_id)

    async def get(self, tenant_id: str, customer_id: str) -> Customer | None:
        """The customer, or None when this tenant has none with that id."""
        document = self._table(tenant_id, customer_id).get(_matches(tenant_id, customer_id))
        if document is None:
            return None
        return Customer.model_validate(dict(document))

    async def add(self, customer: Customer) -> Customer:
        """Store a new customer as version 1 and return the stored copy.

        Raises:
            CustomerAlreadyExists: The tenant already has a customer with this id.
        """
        table = self._table(customer.tenant_id, customer.id)
        if table.contains(_matches(customer.tenant_id, customer.id)):
            raise CustomerAlreadyExists(customer.tenant_id, customer.id)
        document = _document(customer, version=1)
        self._before_write()
        table.insert(document)
        logger.debug("added customer %s of tenant %s", customer.id, customer.tenant_id)
        return self._stored(document)

    async def save(self, customer: Customer) -> Customer:
        """Store `customer` if nobody saved it since it was read; return it with version + 1.

        `updated_at` is kept as given: the domain stamps it.

        Raises:
            CustomerNotFound: It was never added (or belongs to another tenant).
            ConcurrencyConflict: The stored version differs from `customer.version`.
        """
        tenant_id, customer_id = customer.tenant_id, customer.id
        table = self._table(tenant_id, customer_id)
        condition = _matches(tenant_id, customer_id)
        stored = table.get(condition)
        if stored is None:
            raise CustomerNotFound(tenant_id, customer_id)
        stored_version = stored.get("version")
        if stored_version != customer.version:
            logger.info(
                "version conflict on customer %s of tenant %s: have %s, store has %s",
                customer_id,
                tenant_id,
                customer.version,
                stored_version,
            )
            raise ConcurrencyConflict(
                _conflict_key(tenant_id, customer_id),
                customer.version,
                stored_version if isinstance(stored_version, int) else None,
            )
        document = _document(customer, version=customer.version + 1)
        self._before_write()
        table.update(_replace_with(document), doc_ids=[stored.doc_id])
        return self._stored(document)

    def _before_write(self) -> None:
        if self._summaries is not None:
            self._summaries.before_write()

    def _stored(self, document: dict[str, Any]) -> Customer:
        """The customer just written, its summary recorded."""
        stored = Customer.model_validate(document)
        if self._summaries is not None:
            self._summaries.record(stored)
        return stored

    async def list(self, tenant_id: str) -> list[Customer]:
        """Every customer of one tenant, ordered by name (case-insensitively).

        Reads only that tenant's directory, in a worker thread: the cost grows with the
        tenant's customers, not with the whole store, and does not stall other turns.
        """
        return await self._shards.scan(tenant_id, partial(_sorted_customers, tenant_id))

    async def each(self, tenant_id: str) -> AsyncIterator[Customer]:
        """Every customer of one tenant, ordered by name, decoded one at a time.

        The files are read twice, a batch at a time in a worker thread (a slow disk does not
        hold the event loop), and decoded in slices on the loop: once for each customer's name
        (only the name, id and file are kept, as text), then in name order, each customer
        decoded when it is handed out. Building all 10,000 customers at once, even in a worker
        thread, stalled every other turn for the collector's passes over them (up to 0.2 s
        each), and keeping the files' content meanwhile would hold the whole book in memory.
        """
        keyed = [
            (name.casefold(), customer_id, path)
            async for customer_id, name, path in self._files_of(tenant_id)
        ]
        ordered = [entry[2] async for entry in sliced(await sorted_in_slices(keyed))]
        async for _path, data in read_files(ordered):
            document = _tenant_document(tenant_id, data)
            if document is not None:
                yield Customer.model_validate(document)

    async def ids(self, tenant_id: str) -> set[str]:
        """The ids of the tenant's customers (read in slices, nothing kept but the ids)."""
        return {customer_id async for customer_id, _name, _path in self._files_of(tenant_id)}

    async def _files_of(self, tenant_id: str) -> AsyncIterator[tuple[str, str, str]]:
        """(id, name, file) of each of the tenant's customer files, in slices."""
        async for path, data in read_files(await self._shards.files(tenant_id)):
            document = _tenant_document(tenant_id, data)
            if document is not None:
                yield str(document.get("id", "")), str(document.get("name", "")), path


def _tenant_document(tenant_id: str, data: bytes) -> dict[str, Any] | None:
    """The customer document of `tenant_id` in a shard file's content, or None."""
    content = orjson.loads(data) if data else None
    table = content.get(TinyDB.default_table_name) if isinstance(content, dict) else None
    for document in table.values() if isinstance(table, dict) else ():
        if isinstance(document, dict) and document.get("tenant_id") == tenant_id:
            return document
    return None


def _sorted_customers(tenant_id: str, documents: Iterable[Mapping[str, Any]]) -> list[Customer]:
    customers = [
        Customer.model_validate(document)
        for document in documents
        if document.get("tenant_id") == tenant_id
    ]
    customers.sort(key=lambda customer: (customer.name.casefold(), customer.id))
    return customers


def _document(customer: Customer, *, version: int) -> dict[str, Any]:
    document = customer.model_dump(mode="json")
    document["version"] = version
    return document


def _replace_with(document: dict[str, Any]) -> Callable[[MutableMapping[str, Any]], None]:
    def replace(stored: MutableMapping[str, Any]) -> None:
        stored.clear()
        stored.update(document)

    return replace
