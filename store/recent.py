"""Recent: the one small LRU cache of the bot (store files, connector clients, what was written)."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from typing import Generic, TypeVar

K = TypeVar("K")
V = TypeVar("V")


class Recent(Generic[K, V]):
    """The `capacity` most recently used entries; the least recently used is dropped first.

    As a memory of stored data it is only correct for data this process alone writes (as every
    shard of the store is): the owner updates or discards an entry whenever it writes the data
    the entry describes.

    Args:
        capacity: Entries kept at most.
        on_evict: Called with each entry dropped for lack of room (e.g. to close it).
    """

    def __init__(self, capacity: int, on_evict: Callable[[V], object] | None = None) -> None:
        if capacity < 1:
            raise ValueError("capacity must be at least 1")
        self._capacity = capacity
        self._on_evict = on_evict
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
            _, evicted = self._entries.popitem(last=False)
            if self._on_evict is not None:
                self._on_evict(evicted)

    def discard(self, key: K) -> V | None:
        """Forget `key`; return its entry, if it was remembered."""
        return self._entries.pop(key, None)

    def items(self) -> list[tuple[K, V]]:
        """Every entry, least recently used first (a copy: safe to change the cache meanwhile)."""
        return list(self._entries.items())

    def pop_all(self) -> list[V]:
        """Forget every entry; return them."""
        values = list(self._entries.values())
        self._entries.clear()
        return values

    def __contains__(self, key: object) -> bool:
        return key in self._entries

    def __len__(self) -> int:
        return len(self._entries)
