"""PgConversationReferences: conversation references for proactive messages, one row each."""

from __future__ import annotations

from typing import Any

from psycopg.types.json import Json
from psycopg_pool import AsyncConnectionPool

_PUT = """
INSERT INTO conversation_references (tenant_id, conversation_id, reference, stale)
VALUES (%s, %s, %s, false)
ON CONFLICT (tenant_id, conversation_id) DO UPDATE
SET reference = EXCLUDED.reference, stale = false
WHERE conversation_references.stale
   OR conversation_references.reference::text IS DISTINCT FROM EXCLUDED.reference::text
"""
_GET = """
SELECT reference FROM conversation_references
WHERE tenant_id = %s AND conversation_id = %s AND NOT stale
"""


class PgConversationReferences:
    """Implements `engagement.ports.ConversationReferences` over `conversation_references`.

    A reference marked stale (Teams said the bot is gone) is kept but reads as None until `put`
    refreshes it. `put` runs on every turn: its upsert leaves an unchanged row alone. Nothing is
    cached in the process, as another replica may mark the reference stale at any time.

    Args:
        pool: The database's connection pool.
    """

    def __init__(self, pool: AsyncConnectionPool) -> None:
        self._pool = pool

    async def put(self, tenant_id: str, conversation_id: str, reference: dict[str, Any]) -> None:
        """Insert or refresh a reference (clears a stale mark); no write when it is unchanged."""
        async with self._pool.connection() as connection:
            await connection.execute(_PUT, [tenant_id, conversation_id, Json(reference)])

    async def get(self, tenant_id: str, conversation_id: str) -> dict[str, Any] | None:
        """The reference, or None when unknown or stale."""
        async with self._pool.connection() as connection:
            row = await (await connection.execute(_GET, [tenant_id, conversation_id])).fetchone()
        return None if row is None else dict(row[0])

    async def mark_stale(self, tenant_id: str, conversation_id: str) -> None:
        """Stop using the reference of a conversation the bot was removed from."""
        async with self._pool.connection() as connection:
            await connection.execute(
                "UPDATE conversation_references SET stale = true"
                " WHERE tenant_id = %s AND conversation_id = %s",
                [tenant_id, conversation_id],
            )

    async def all_active(self, tenant_id: str) -> list[dict[str, Any]]:
        """Every reference of one tenant that is not stale."""
        async with self._pool.connection() as connection:
            cursor = await connection.execute(
                "SELECT reference FROM conversation_references"
                " WHERE tenant_id = %s AND NOT stale ORDER BY conversation_id",
                [tenant_id],
            )
            return [dict(row[0]) for row in await cursor.fetchall()]
