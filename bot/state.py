"""ConversationState whose change check is the storage's own.

botbuilder's `BotState` detects changes by flattening the whole state with jsonpickle when it is
loaded, when it is saved, and again after writing: three full serialisations per turn on top of
the storage's own. `LeanConversationState` skips them: it always hands the state to the storage,
and `TinyDbStorage` (store/bot_state.py) writes only when the encoded state differs from the stored
text, which it has to encode for a changed state anyway. The stored format is untouched.
"""

from __future__ import annotations

from typing import Any

from botbuilder.core import ConversationState, TurnContext
from botbuilder.core.bot_state import CachedBotState


class _StorageCheckedState(CachedBotState):
    """Cached state that leaves the "did it change?" question to the storage."""

    def compute_hash(self, obj: object) -> Any:
        return None

    def is_changed(self) -> bool:
        return True


class LeanConversationState(ConversationState):
    """ConversationState without the SDK's jsonpickle change checks (see the module docstring).

    Only for a storage that skips unchanged writes itself, as `TinyDbStorage` does.
    """

    async def load(self, turn_context: TurnContext, force: bool = False) -> None:
        cached = self.get_cached_state(turn_context)
        if force or not cached or not cached.state:
            key = self.get_storage_key(turn_context)
            items = await self._storage.read([key])
            cached_state = _StorageCheckedState(items.get(key))
            turn_context.turn_state[self._context_service_key] = cached_state
