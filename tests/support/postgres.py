"""A database for the PostgreSQL tests on the server that `scripts/with-test-postgres` started.

The server comes from `TEST_DATABASE_URL`, or from libpq's `PG*` variables (which
`pg_virtualenv` exports). Each test session creates its own database (so parallel runs on one
server do not meet), migrates it once, and drops it at the end; each test starts from empty
tables. When no server is reachable the PostgreSQL tests skip, except with CI=true, where they
fail: a CI that cannot start PostgreSQL must not pass green.
"""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import AsyncIterator, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from urllib.parse import urlsplit

import psycopg
import pytest
from psycopg import sql

from engagement.clock import Clock
from store.pg import PostgresStore
from store.pg.migrations import migrate

TABLES_KEPT = {"schema_migrations"}


def server_conninfo() -> str:
    """The test server's connection string ("" means libpq's PG* variables)."""
    return os.environ.get("TEST_DATABASE_URL", "")


def database_url(name: str) -> str:
    """A postgresql:// URL of database `name` on the test server.

    Without TEST_DATABASE_URL, `postgresql:///name`: libpq takes the rest from the PG* variables.
    """
    base = server_conninfo()
    if not base:
        return f"postgresql:///{name}"
    return urlsplit(base)._replace(path=f"/{name}").geturl()


def _unavailable(reason: str) -> None:
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"PostgreSQL tests cannot run under CI=true: {reason}", pytrace=False)
    pytest.skip(f"no PostgreSQL server for the tests ({reason}); run `make test`")


def _connect_admin() -> psycopg.Connection[tuple[object, ...]]:
    base = server_conninfo()
    if not base and not (os.environ.get("PGHOST") or os.environ.get("PGPORT")):
        _unavailable("neither TEST_DATABASE_URL nor PGHOST/PGPORT is set")
    try:
        return psycopg.connect(base, autocommit=True, connect_timeout=5)
    except psycopg.OperationalError as error:
        _unavailable(str(error).strip())
        raise


def create_test_database() -> Iterator[str]:
    """Create and migrate a fresh database; yields its connection string, drops it afterwards."""
    name = f"csf_test_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    with _connect_admin() as admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    url = database_url(name)

    async def migrated() -> None:
        async with await psycopg.AsyncConnection.connect(url, autocommit=True) as connection:
            await migrate(connection)

    # In a thread of its own: an async fixture may be running this loop-less setup.
    with ThreadPoolExecutor(1) as thread:
        thread.submit(lambda: asyncio.run(migrated())).result()
    try:
        yield url
    finally:
        with _connect_admin() as admin:
            admin.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )


def empty_tables(url: str) -> None:
    """Delete every row of the bot's tables (the schema stays)."""
    with psycopg.connect(url, autocommit=True) as connection:
        rows = connection.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
        ).fetchall()
        names = [str(row[0]) for row in rows if row[0] not in TABLES_KEPT]
        for name in names:  # DELETE: faster than TRUNCATE on the few rows a test leaves
            connection.execute(sql.SQL("DELETE FROM {}").format(sql.Identifier(name)))


@asynccontextmanager
async def started_pg_store(
    url: str, pool_size: int = 4, clock: Clock | None = None
) -> AsyncIterator[PostgresStore]:
    """A started PostgreSQL store over empty tables, closed on exit."""
    empty_tables(url)
    store = PostgresStore(url, pool_size=pool_size, clock=clock)
    await store.start()
    try:
        yield store
    finally:
        await store.close()
