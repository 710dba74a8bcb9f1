"""Conversation state over our `StateStorage`, and a ConversationState without its change checks.

`SdkStorage` adapts `engagement.ports.StateStorage` (implemented in store/) to botbuilder's
`Storage`, so store/ never imports botbuilder.

botbuilder's `BotState` detects changes by flattening the whole state with jsonpickle when it is
loaded, when it is saved, and again after writing: three full serialisations per turn on top of
the storage's own. `LeanConversationState` skips them: it always hands the state to the storage,
and `TinyStateStorage` (store/state_storage.py) writes only when the encoded state differs from
the stored text, which it has to encode for a changed state anyway. The stored format is untouched.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from botbuilder.core import ConversationState, Storage, TurnContext

from bot.sdk_internals import load_storage_checked
from engagement.ports import StateStorage


class SdkStorage(Storage):
    """botbuilder's `Storage` over one of our `StateStorage`s (same contract, passed through).

    Args:
        inner: The storage that keeps the state (TinyDB, PostgreSQL).
    """

    def __init__(self, inner: StateStorage) -> None:
        super().__init__()
        self.inner = inner

    async def read(self, keys: list[str]) -> dict[str, Any]:
        """The stored items of those `keys` that exist."""
        return await self.inner.read(keys)

    async def write(self, changes: Mapping[str, Any]) -> None:
        """Store each item under its key, honouring e_tags."""
        await self.inner.write(changes)

    async def delete(self, keys: list[str]) -> None:
        """Remove the items of `keys`."""
        await self.inner.delete(keys)


class LeanConversationState(ConversationState):
    """ConversationState without the SDK's jsonpickle change checks (see the module docstring).

    Only for a storage that skips unchanged writes itself, as `TinyStateStorage` does.

    Args:
        storage: Our state storage (wrapped in `SdkStorage` for the SDK).
    """

    def __init__(self, storage: StateStorage) -> None:
        super().__init__(storage if isinstance(storage, Storage) else SdkStorage(storage))

    async def load(self, turn_context: TurnContext, force: bool = False) -> None:
        cached = self.get_cached_state(turn_context)
        if force or not cached or not cached.state:
            await load_storage_checked(self, turn_context, self.get_storage_key(turn_context))
