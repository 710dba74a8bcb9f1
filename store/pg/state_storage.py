"""PgStateStorage: conversation state (`engagement.ports.StateStorage`) in the `bot_state` table."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

from psycopg_pool import AsyncConnectionPool

from store.state_codec import decode_state, encode_state
from store.state_storage import _e_tag_of, _set_e_tag, _without_e_tag

_WILDCARD = "*"

_READ = "SELECT key, e_tag, state FROM bot_state WHERE key = ANY(%s)"
_LOCK = "SELECT key, e_tag, state FROM bot_state WHERE key = ANY(%s) ORDER BY key FOR UPDATE"
_UPSERT = """
INSERT INTO bot_state (key, e_tag, state) VALUES (%s, %s, %s)
ON CONFLICT (key) DO UPDATE SET e_tag = EXCLUDED.e_tag, state = EXCLUDED.state, updated_at = now()
"""


class PgStateStorage:
    """Bot state as one row per storage key: the jsonpickle text verbatim, its e_tag beside it.

    Implements `engagement.ports.StateStorage` with the contract of `TinyStateStorage`: e_tag
    None or "*" always writes, a different e_tag raises `KeyError("Etag conflict...")` and
    writes nothing, a write whose text equals the stored one is skipped and keeps its e_tag, a
    changed one gets a fresh e_tag that is copied back into the item. A write locks its rows
    (`SELECT ... FOR UPDATE`, keys in order) and checks every e_tag before it changes any, in
    one transaction, so two replicas writing one conversation's state cannot both win: the
    later one sees the new e_tag.

    The column is `text`, never `jsonb` (DESIGN.md: jsonb reorders keys and rejects \\u0000).

    Args:
        pool: The database's connection pool.
    """

    def __init__(self, pool: AsyncConnectionPool) -> None:
        self._pool = pool

    async def read(self, keys: list[str]) -> dict[str, Any]:
        """The stored items of those `keys` that exist; missing keys are left out."""
        if not keys:
            return {}
        async with self._pool.connection() as connection:
            rows = await (await connection.execute(_READ, [list(keys)])).fetchall()
        items: dict[str, Any] = {}
        for key, e_tag, text in rows:
            item = decode_state(text)
            _set_e_tag(item, e_tag)
            items[key] = item
        return items

    async def write(self, changes: Mapping[str, Any]) -> None:
        """Store each item under its key; raises as TinyStateStorage.write does (writes nothing)."""
        if changes is None:
            raise Exception("Changes are required when writing")  # MemoryStorage's exception
        if not changes:
            return
        texts: dict[str, str] = {}
        for key, item in changes.items():
            if _e_tag_of(item) == "":
                raise Exception("PgStateStorage.write(): etag missing")
            texts[key] = encode_state(_without_e_tag(item))
        e_tags: dict[str, str] = {}
        async with self._pool.connection() as connection, connection.transaction():
            cursor = await connection.execute(_LOCK, [list(changes)])
            stored = {key: (e_tag, text) for key, e_tag, text in await cursor.fetchall()}
            for key, item in changes.items():
                incoming = _e_tag_of(item)
                current = stored[key][0] if key in stored else None
                if current is not None and incoming not in (None, _WILDCARD, current):
                    raise KeyError(f"Etag conflict.\nOriginal: {incoming}\r\nCurrent: {current}")
            rows = []
            for key, text in texts.items():
                if key in stored and stored[key][1] == text:
                    e_tags[key] = stored[key][0]  # the same state: nothing to write
                    continue
                e_tags[key] = uuid.uuid4().hex
                rows.append((key, e_tags[key], text))
            if rows:
                async with connection.cursor() as cursor:
                    await cursor.executemany(_UPSERT, rows)
        for key, item in changes.items():
            _set_e_tag(item, e_tags[key])

    async def delete(self, keys: list[str]) -> None:
        """Remove the items of `keys`; missing keys are ignored."""
        if not keys:
            return
        async with self._pool.connection() as connection:
            await connection.execute("DELETE FROM bot_state WHERE key = ANY(%s)", [list(keys)])
