"""PgCustomerRepository and PgCustomerImporter: customers as rows, `version` checked in SQL."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from psycopg import AsyncConnection
from psycopg.errors import UniqueViolation
from psycopg.types.json import Json
from psycopg_pool import AsyncConnectionPool

from engagement.clock import Clock, SystemClock
from engagement.errors import ConcurrencyConflict, CustomerAlreadyExists, CustomerNotFound
from engagement.health_factors import DEFAULT_POLICY, HealthPolicy
from engagement.models import Customer
from store.pg.summary_rows import write_summaries

logger = logging.getLogger(__name__)

_GET = "SELECT doc FROM customers WHERE tenant_id = %s AND id = %s"
_INSERT = """
INSERT INTO customers (tenant_id, id, name_key, owner_id, version, doc)
VALUES (%s, %s, %s, %s, %s, %s)
"""
_UPDATE = """
UPDATE customers SET name_key = %s, owner_id = %s, version = %s, doc = %s
WHERE tenant_id = %s AND id = %s AND version = %s
"""
_OVERWRITE = """
UPDATE customers SET name_key = %s, owner_id = %s, version = %s, doc = %s
WHERE tenant_id = %s AND id = %s
"""
# Codepoint order (COLLATE "C"), as Python sorts the casefolded names (the TinyDB store does).
_LIST = """
SELECT doc FROM customers WHERE tenant_id = %s ORDER BY name_key COLLATE "C", id COLLATE "C"
"""


def _document(customer: Customer, version: int, tenant_id: str | None = None) -> dict[str, Any]:
    document = customer.model_dump(mode="json")
    document["version"] = version
    if tenant_id is not None:
        document["tenant_id"] = tenant_id
    return document


class _CustomerWriter:
    """What both customer writers hold: the pool, and what summaries are computed with.

    Args:
        pool: The database's connection pool.
        clock: The moment summaries compute health for.
        policy: The health policy of the summaries.
    """

    def __init__(
        self,
        pool: AsyncConnectionPool,
        clock: Clock | None = None,
        policy: HealthPolicy = DEFAULT_POLICY,
    ) -> None:
        self._pool = pool
        self._clock = clock or SystemClock()
        self._policy = policy


class PgCustomerRepository(_CustomerWriter):
    """Customers of every tenant in one table, keyed (tenant_id, id).

    Implements `engagement.ports.CustomerRepository`. `save` is one conditional UPDATE
    (`WHERE version = %s`): of two replicas saving the same version, exactly one wins and the
    other gets ConcurrencyConflict, as with TinyDB; the domain re-reads and retries. Every write
    also writes the customer's summary (store/pg/summary_rows.py) in the same transaction.
    """

    async def get(self, tenant_id: str, customer_id: str) -> Customer | None:
        """The customer, or None when this tenant has none with that id."""
        async with self._pool.connection() as connection:
            row = await (await connection.execute(_GET, [tenant_id, customer_id])).fetchone()
        return None if row is None else Customer.model_validate(row[0])

    async def add(self, customer: Customer) -> Customer:
        """Store a new customer as version 1 and return the stored copy.

        Raises:
            CustomerAlreadyExists: The tenant already has a customer with this id.
        """
        document = _document(customer, 1)
        stored = Customer.model_validate(document)
        try:
            async with self._pool.connection() as connection, connection.transaction():
                await connection.execute(_INSERT, _insert_row(customer, document))
                await write_summaries(connection, [stored], self._clock.now(), self._policy)
        except UniqueViolation as error:
            raise CustomerAlreadyExists(customer.tenant_id, customer.id) from error
        return stored

    async def save(self, customer: Customer) -> Customer:
        """Store `customer` if nobody saved it since it was read; return it with version + 1.

        Raises:
            CustomerNotFound: It was never added (or belongs to another tenant).
            ConcurrencyConflict: The stored version differs from `customer.version`.
        """
        tenant_id, customer_id = customer.tenant_id, customer.id
        document = _document(customer, customer.version + 1)
        async with self._pool.connection() as connection:
            async with connection.transaction():
                cursor = await connection.execute(
                    _UPDATE,
                    [
                        customer.name.casefold(),
                        customer.owner.id,
                        document["version"],
                        Json(document),
                        tenant_id,
                        customer_id,
                        customer.version,
                    ],
                )
                if cursor.rowcount == 1:
                    stored = Customer.model_validate(document)
                    await write_summaries(connection, [stored], self._clock.now(), self._policy)
                    return stored
            cursor = await connection.execute(
                "SELECT version FROM customers WHERE tenant_id = %s AND id = %s",
                [tenant_id, customer_id],
            )
            row = await cursor.fetchone()
        if row is None:
            raise CustomerNotFound(tenant_id, customer_id)
        logger.info(
            "version conflict on customer %s of tenant %s: have %s, store has %s",
            customer_id,
            tenant_id,
            customer.version,
            row[0],
        )
        raise ConcurrencyConflict(
            f"customer {customer_id!r} of tenant {tenant_id!r}", customer.version, int(row[0])
        )

    async def list(self, tenant_id: str) -> list[Customer]:
        """Every customer of one tenant, ordered by name (case-insensitively)."""
        async with self._pool.connection() as connection:
            rows = await (await connection.execute(_LIST, [tenant_id])).fetchall()
        return [Customer.model_validate(row[0]) for row in rows]


def _insert_row(customer: Customer, document: dict[str, Any]) -> list[Any]:
    return [
        document["tenant_id"],
        customer.id,
        customer.name.casefold(),
        customer.owner.id,
        document["version"],
        Json(document),
    ]


class PgCustomerImporter(_CustomerWriter):
    """Writes a set of customers of one tenant, and their summaries, in one transaction: all or
    nothing.

    Implements `engagement.ports.CustomerImportWriter`.
    """

    async def import_customers(
        self, tenant_id: str, add: Sequence[Customer], replace: Sequence[Customer]
    ) -> None:
        """Add `add` (as version 1) and overwrite `replace` (as stored version + 1), or nothing.

        Raises:
            CustomerAlreadyExists: An id to add exists by now; nothing was written.
        """
        if not add and not replace:
            return
        stored: list[Customer] = []
        async with self._pool.connection() as connection, connection.transaction():
            for customer in add:
                document = _document(customer, 1, tenant_id)
                try:
                    async with connection.transaction():  # a savepoint: name the customer
                        await connection.execute(_INSERT, _insert_row(customer, document))
                except UniqueViolation as error:
                    raise CustomerAlreadyExists(tenant_id, customer.id) from error
                stored.append(Customer.model_validate(document))
            for customer in replace:
                stored.append(await _replace(connection, tenant_id, customer))
            await write_summaries(connection, stored, self._clock.now(), self._policy)
        logger.info("imported %d customers into tenant %s", len(add) + len(replace), tenant_id)


async def _replace(connection: AsyncConnection, tenant_id: str, customer: Customer) -> Customer:
    cursor = await connection.execute(
        "SELECT version FROM customers WHERE tenant_id = %s AND id = %s FOR UPDATE",
        [tenant_id, customer.id],
    )
    row = await cursor.fetchone()
    document = _document(customer, int(row[0]) + 1 if row else 1, tenant_id)
    if row is None:
        await connection.execute(_INSERT, _insert_row(customer, document))
        return Customer.model_validate(document)
    await connection.execute(
        _OVERWRITE,
        [
            customer.name.casefold(),
            customer.owner.id,
            document["version"],
            Json(document),
            tenant_id,
            customer.id,
        ],
    )
    return Customer.model_validate(document)
