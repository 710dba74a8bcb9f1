"""The PostgreSQL store: the same ports as the TinyDB store, shared by every replica of the bot.

Selected by `DATABASE_URL=postgresql://...` (bot/settings.py). Driver: psycopg 3 with
psycopg_pool's `AsyncConnectionPool`. asyncpg is as fast for what the bot does (both far above
Teams' send budget; measured in shared/research/scale-out.md), but psycopg has the same API sync
and async (migrations, tools, tests), reads libpq's `PG*` variables and `sslmode`, returns json
as Python objects, and works behind Azure's PgBouncer with one setting (`prepare_threshold`).

Tables (store/pg/migrations/*.sql, applied at start-up under an advisory lock): `bot_state`
(dialog state as verbatim jsonpickle text), `customers` (one row per aggregate, `version`
checked in the UPDATE), `conversation_references`, `reminder_customers` (the reminder index as
a claimable queue), `reminder_records`, `user_preferences`, `downloads` (export links),
`readiness_assessments`, `customer_summaries` (one row per customer, written with it: what
`portfolio`, `kpis` and `customers` query, store/pg/summaries.py).
`turn_locks` serialises the turns of one conversation across replicas (an advisory lock).
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from typing import Any

import orjson
from psycopg import AsyncConnection, OperationalError
from psycopg.conninfo import conninfo_to_dict
from psycopg.types.json import set_json_dumps, set_json_loads
from psycopg_pool import AsyncConnectionPool

from engagement.clock import Clock, SystemClock
from store.pg.customers import PgCustomerImporter, PgCustomerRepository
from store.pg.downloads import PgDownloadShelf
from store.pg.locks import PgTurnLocks
from store.pg.migrations import migrate
from store.pg.readiness import PgReadinessStore
from store.pg.references import PgConversationReferences
from store.pg.reminders import DEFAULT_LEASE, PgReminderStore
from store.pg.state_storage import PgStateStorage
from store.pg.summaries import PgCustomerSummaries

__all__ = [
    "DatabaseUnavailable",
    "PgConversationReferences",
    "PgCustomerImporter",
    "PgCustomerRepository",
    "PgCustomerSummaries",
    "PgDownloadShelf",
    "PgReadinessStore",
    "PgReminderStore",
    "PgStateStorage",
    "PgTurnLocks",
    "PostgresStore",
]

logger = logging.getLogger(__name__)

CONNECT_TIMEOUT_SECONDS = 10


class DatabaseUnavailable(Exception):
    """The database named by DATABASE_URL cannot be reached or used; start-up must stop."""


def _dumps(value: Any) -> bytes:
    return orjson.dumps(value)


async def _configure(connection: AsyncConnection) -> None:
    set_json_loads(orjson.loads, connection)
    set_json_dumps(_dumps, connection)


def describe(url: str) -> str:
    """Where `url` points, without its password: `user@host:port/dbname`."""
    try:
        parts = conninfo_to_dict(url)
    except Exception:
        return "an unparsable DATABASE_URL"
    host = parts.get("host") or "localhost"
    return f"{parts.get('user') or '?'}@{host}:{parts.get('port') or 5432}/{parts.get('dbname')}"


class PostgresStore:
    """The PostgreSQL store: repositories over one connection pool.

    Build it, `await start()` once (connects, migrates, opens the pool), `await close()` at the
    end. Nothing is cached in the process, so any number of replicas can share the database.

    Args:
        url: A libpq connection string or `postgresql://` URL (DATABASE_URL).
        pool_size: The most connections this process opens (DATABASE_POOL_SIZE).
        clock: The moment customer summaries compute health for (the system clock if None).
        lease: How long a sweep's claim on due customers keeps other replicas off them
            (REMINDER_LEASE_SECONDS).
    """

    def __init__(
        self,
        url: str,
        pool_size: int = 10,
        clock: Clock | None = None,
        *,
        lease: timedelta = DEFAULT_LEASE,
    ) -> None:
        self.url = url
        self.pool = AsyncConnectionPool(
            url,
            min_size=1,
            max_size=pool_size,
            open=False,
            configure=_configure,
            kwargs={"autocommit": True},
            name="csf-bot",
        )
        clock = clock or SystemClock()
        self.customers = PgCustomerRepository(self.pool, clock)
        self.customer_import = PgCustomerImporter(self.pool, clock)
        self.summaries = PgCustomerSummaries(self.pool, clock)
        self.references = PgConversationReferences(self.pool)
        self.state_storage = PgStateStorage(self.pool)
        self.reminders = PgReminderStore(self.pool, lease)
        self.downloads = PgDownloadShelf(self.pool)
        self.readiness = PgReadinessStore(self.pool)
        self.turn_locks = PgTurnLocks(url, pool_size)

    async def start(self) -> None:
        """Connect, apply pending migrations, open the pool.

        Raises:
            DatabaseUnavailable: The database cannot be reached (the message names DATABASE_URL
                and where it points, never the password).
        """
        try:
            connection = await AsyncConnection.connect(
                self.url, autocommit=True, connect_timeout=CONNECT_TIMEOUT_SECONDS
            )
        except OperationalError as error:
            reason = str(error).strip().splitlines()[-1] if str(error).strip() else repr(error)
            raise DatabaseUnavailable(
                f"DATABASE_URL: cannot connect to PostgreSQL at {describe(self.url)}: {reason}"
            ) from error
        async with connection:
            await migrate(connection)
        await self.pool.open(wait=True, timeout=CONNECT_TIMEOUT_SECONDS)
        await self.turn_locks.pool.open(wait=True, timeout=CONNECT_TIMEOUT_SECONDS)
        await self.summaries.refresh(None, datetime.min.replace(tzinfo=UTC))  # missing ones
        logger.info("PostgreSQL store open at %s", describe(self.url))

    async def healthy(self) -> bool:
        """True when a connection from the pool answers a query."""
        if self.pool.closed:
            return False
        try:
            async with self.pool.connection(timeout=5) as connection:
                await connection.execute("SELECT 1")
        except Exception:
            logger.warning("PostgreSQL at %s is not usable", describe(self.url), exc_info=True)
            return False
        return True

    async def close(self) -> None:
        """Close the pool (idempotent)."""
        await self.summaries.close()
        for pool in (self.turn_locks.pool, self.pool):
            if not pool.closed:
                await pool.close()
