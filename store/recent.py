"""Recent: a bounded map of what a store last wrote or read, to skip rewriting the same thing."""

from __future__ import annotations

from collections import OrderedDict
from typing import Generic, TypeVar

K = TypeVar("K")
V = TypeVar("V")


class Recent(Generic[K, V]):
    """The `capacity` most recently used entries; the oldest is dropped first.

    Only correct for data this process alone writes (as every shard of the store is): the owner
    updates or discards an entry whenever it writes the data the entry describes.
    """

    def __init__(self, capacity: int) -> None:
        if capacity < 1:
            raise ValueError("capacity must be at least 1")
        self._capacity = capacity
        self._entries: OrderedDict[K, V] = OrderedDict()

    def get(self, key: K) -> V | None:
        """The entry of `key`, or None."""
        value = self._entries.get(key)
        if value is not None:
            self._entries.move_to_end(key)
        return value

    def put(self, key: K, value: V) -> None:
        """Remember `value` for `key`."""
        self._entries[key] = value
        self._entries.move_to_end(key)
        if len(self._entries) > self._capacity:
            self._entries.popitem(last=False)

    def discard(self, key: K) -> None:
        """Forget `key`, if remembered."""
        self._entries.pop(key, None)

    def __len__(self) -> int:
        return len(self._entries)
