"""Plain SQL migrations, applied at start-up under an advisory lock.

`migrations/NNNN_name.sql` files run in name order, each once, recorded in `schema_migrations`.
All pending files run in one transaction that first takes a transaction-scoped advisory lock, so
replicas starting together apply each file exactly once: the others wait for the lock, then
find nothing left to do.
"""

from __future__ import annotations

import logging
from importlib.resources import files

from psycopg import AsyncConnection

logger = logging.getLogger(__name__)

LOCK_KEY = 0x6373_665F_6D69_67  # "csf_mig": one lock for every replica of the bot
_CREATE_LEDGER = """
CREATE TABLE IF NOT EXISTS schema_migrations (
    name       text PRIMARY KEY,
    applied_at timestamptz NOT NULL DEFAULT now()
)
"""


def migration_files() -> list[tuple[str, str]]:
    """(name, SQL text) of every migration shipped with the bot, in the order they apply."""
    folder = files("store.pg") / "migrations"
    found = [entry for entry in folder.iterdir() if entry.name.endswith(".sql")]
    return [(entry.name, entry.read_text("utf-8")) for entry in sorted(found, key=lambda e: e.name)]


async def migrate(connection: AsyncConnection) -> list[str]:
    """Apply the pending migrations; returns their names (empty when the schema is current)."""
    applied_now: list[str] = []
    async with connection.transaction():
        await connection.execute("SELECT pg_advisory_xact_lock(%s)", [LOCK_KEY])
        await connection.execute(_CREATE_LEDGER)
        cursor = await connection.execute("SELECT name FROM schema_migrations")
        done = {str(row[0]) for row in await cursor.fetchall()}
        for name, text in migration_files():
            if name in done:
                continue
            await connection.execute(text.encode("utf-8"))
            await connection.execute("INSERT INTO schema_migrations (name) VALUES (%s)", [name])
            applied_now.append(name)
    if applied_now:
        logger.info("database schema migrated: %s", ", ".join(applied_now))
    return applied_now
