"""One turn at a time per conversation, so overlapping turns never race on the same state."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Protocol


class TurnLocks(Protocol):
    """Anything that holds a lock per conversation for the duration of a turn."""

    def hold(self, key: str) -> AbstractAsyncContextManager[None]:
        """Wait for and hold the key's lock for the duration of the block."""
        ...


class ConversationLocks:
    """A lock per key, created on demand and dropped when nobody holds or waits for it."""

    def __init__(self) -> None:
        self._locks: dict[str, tuple[asyncio.Lock, int]] = {}

    @asynccontextmanager
    async def hold(self, key: str) -> AsyncIterator[None]:
        """Wait for and hold the key's lock for the duration of the block."""
        held = self._locks.get(key)
        lock, users = held if held is not None else (asyncio.Lock(), 0)
        self._locks[key] = (lock, users + 1)
        try:
            async with lock:
                yield
        finally:
            lock, users = self._locks[key]
            if users == 1:
                del self._locks[key]
            else:
                self._locks[key] = (lock, users - 1)

    def __len__(self) -> int:
        return len(self._locks)


class SharedLocks:
    """This process's lock per conversation, then the one all replicas share (the database's).

    Turns of one conversation inside this replica queue on the cheap local lock, so only one of
    them at a time holds a database connection waiting for the shared lock.

    Args:
        shared: The replicas' shared locks (`store.pg.PgTurnLocks`).
    """

    def __init__(self, shared: TurnLocks) -> None:
        self._local = ConversationLocks()
        self._shared = shared

    @asynccontextmanager
    async def hold(self, key: str) -> AsyncIterator[None]:
        """Hold both locks of `key` for the duration of the block."""
        async with self._local.hold(key), self._shared.hold(key):
            yield
