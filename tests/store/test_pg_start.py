"""The PostgreSQL store's start-up: migrations once under a lock, a clear error when unreachable."""

from __future__ import annotations

import asyncio
import socket
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest
from psycopg import sql
from pydantic import ValidationError

from bot.settings import Settings, describe_invalid_settings
from store.pg import DatabaseUnavailable, PostgresStore
from store.pg.migrations import migrate, migration_files
from tests.support.postgres import database_url

ROOT = Path(__file__).resolve().parents[2]


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
    url = database_url(name)
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


async def test_a_conversations_turn_lock_excludes_every_other_replica(
    pg_store: PostgresStore,
) -> None:
    other_replica = PostgresStore(pg_store.url, 2)
    await other_replica.start()
    try:
        async with (
            pg_store.turn_locks.hold("a:personal-ada"),
            other_replica.pool.connection() as connection,
        ):
            assert not await _try_lock(connection, "a:personal-ada")
            assert await _try_lock(connection, "a:personal-eve")  # other chats go on
        async with other_replica.pool.connection() as connection:
            assert await _try_lock(connection, "a:personal-ada")
    finally:
        await other_replica.close()


async def _try_lock(connection: psycopg.AsyncConnection, key: str) -> bool:
    async with connection.transaction():
        cursor = await connection.execute(
            "SELECT pg_try_advisory_xact_lock(hashtextextended(%s, 0))", [key]
        )
        row = await cursor.fetchone()
    assert row is not None
    return bool(row[0])


def test_the_bot_does_not_start_without_its_database(tmp_path: Path) -> None:
    port = _closed_port()
    result = subprocess.run(
        [sys.executable, str(ROOT / "app.py")],
        env={
            "DATABASE_URL": f"postgresql://bot:s3cret-pw@127.0.0.1:{port}/csf",
            "REMINDERS_ENABLED": "false",
            "PATH": "/usr/bin:/bin",
        },
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    assert result.returncode == 2
    assert (
        f"DATABASE_URL: cannot connect to PostgreSQL at bot@127.0.0.1:{port}/csf" in result.stderr
    )
    assert "s3cret-pw" not in result.stderr + result.stdout
    assert not (tmp_path / "data").exists()


def test_a_database_url_that_is_not_postgresql_is_refused_without_echoing_it() -> None:
    with pytest.raises(ValidationError) as raised:
        Settings(_env_file=None, DATABASE_URL="mysql://bot:s3cret-pw@db/csf")  # type: ignore[call-arg]

    message = describe_invalid_settings(raised.value)
    assert "DATABASE_URL: Value error, must be a postgresql:// URL" in message
    assert "s3cret-pw" not in message
