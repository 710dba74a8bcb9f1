"""PgTurnLocks: one turn per conversation across every replica of the bot."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from psycopg_pool import AsyncConnectionPool

_LOCK = "SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))"


class PgTurnLocks:
    """A transaction-scoped advisory lock per conversation, held for the whole turn.

    Two turns of one conversation that reach two replicas run one after the other, so they
    never race on the conversation's dialog state (its e_tag check would otherwise fail the
    later one). The lock lives on a connection of a pool of its own: a turn holds one while it
    runs, and its queries take others from the store's pool, so turns can never starve each
    other of connections. The pool's size bounds how many turns one replica runs at once. A
    replica that dies mid-turn releases its locks with its connections.

    Args:
        url: The database (DATABASE_URL).
        size: The most turns this replica runs at once.
    """

    def __init__(self, url: str, size: int) -> None:
        self.pool = AsyncConnectionPool(
            url, min_size=1, max_size=size, open=False, kwargs={"autocommit": True}, name="turns"
        )

    @asynccontextmanager
    async def hold(self, key: str) -> AsyncIterator[None]:
        """Wait for and hold the conversation's lock for the duration of the block."""
        async with self.pool.connection() as connection, connection.transaction():
            await connection.execute(_LOCK, [key])
            yield
