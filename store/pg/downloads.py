"""PgDownloadShelf: one-time export download links that every replica can serve."""

from __future__ import annotations

from datetime import datetime

from psycopg_pool import AsyncConnectionPool

from engagement.ports import Download

_TAKE = """
DELETE FROM downloads WHERE token = %s
RETURNING name, content_type, body, expires
"""


class PgDownloadShelf:
    """Files waiting to be fetched, by token, in the `downloads` table.

    `take` deletes the row it returns, so a link works once even when two replicas receive the
    same request at the same moment. Expired rows are deleted whenever a file is put.

    Args:
        pool: The database's connection pool.
    """

    def __init__(self, pool: AsyncConnectionPool) -> None:
        self._pool = pool

    async def put(
        self,
        token: str,
        download: Download,
        now: datetime,
    ) -> None:
        """Keep `body` under `token` until `expires`; drops what expired by `now`."""
        async with self._pool.connection() as connection, connection.transaction():
            await connection.execute("DELETE FROM downloads WHERE expires <= %s", [now])
            await connection.execute(
                "INSERT INTO downloads (token, name, content_type, body, expires)"
                " VALUES (%s, %s, %s, %s, %s)",
                [token, download.name, download.content_type, download.body, download.expires],
            )

    async def take(self, token: str) -> Download | None:
        """The file of `token`, removed as it is read; or None."""
        async with self._pool.connection() as connection:
            row = await (await connection.execute(_TAKE, [token])).fetchone()
        if row is None:
            return None
        name, content_type, body, expires = row
        return Download(str(name), str(content_type), bytes(body), expires)
