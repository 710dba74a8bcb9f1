"""The PostgreSQL store's start-up: migrations once under a lock, a clear error when unreachable."""

from __future__ import annotations

import asyncio
import socket

import psycopg
import pytest
from psycopg import sql

from store.pg import DatabaseUnavailable, PostgresStore
from store.pg.migrations import migrate, migration_files
from tests.support.postgres import server_conninfo


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def test_an_unreachable_database_names_the_setting_and_not_the_password() -> None:
    port = _closed_port()
    store = PostgresStore(f"postgresql://bot:s3cret-pw@127.0.0.1:{port}/csf")

    with pytest.raises(DatabaseUnavailable) as raised:
        await store.start()

    message = str(raised.value)
    assert message.startswith("DATABASE_URL: cannot connect to PostgreSQL at ")
    assert f"bot@127.0.0.1:{port}/csf" in message
    assert "s3cret-pw" not in message
    await store.close()


async def test_replicas_starting_together_apply_each_migration_once(postgres_url: str) -> None:
    name = "csf_migrate_race"
    with psycopg.connect(postgres_url, autocommit=True) as admin:
        admin.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    url = psycopg.conninfo.make_conninfo(server_conninfo(), dbname=name)
    try:

        async def start_one() -> list[str]:
            async with await psycopg.AsyncConnection.connect(url, autocommit=True) as connection:
                return await migrate(connection)

        applied = await asyncio.gather(*(start_one() for _ in range(3)))

        everything = [name for name, _ in migration_files()]
        assert sorted(applied, key=len) == [[], [], everything]
        with psycopg.connect(url) as connection:
            rows = connection.execute("SELECT name FROM schema_migrations ORDER BY name")
            assert [row[0] for row in rows] == everything
    finally:
        with psycopg.connect(postgres_url, autocommit=True) as admin:
            admin.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )


async def test_a_started_store_is_healthy_until_closed(pg_store: PostgresStore) -> None:
    assert await pg_store.healthy()

    await pg_store.close()

    assert not await pg_store.healthy()
