"""ConversationState with a cheap change check.

botbuilder's `BotState` detects changes by flattening the whole state with jsonpickle when it is
loaded, when it is saved, and again after writing: three full serialisations per turn on top of
the storage's own. `LeanConversationState` compares pickles instead (C speed; the state holds
plain data). A pickle that differs for equal state only costs an extra write; the stored format
is untouched (the storage still writes jsonpickle, as the SDK's stores do).
"""

from __future__ import annotations

import pickle
from typing import Any

from botbuilder.core import ConversationState, TurnContext
from botbuilder.core.bot_state import CachedBotState


class _PickleHashedState(CachedBotState):
    def compute_hash(self, obj: object) -> Any:
        try:
            return pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)
        except Exception:  # something unpicklable: fall back to the SDK's own hash
            return super().compute_hash(obj)


class LeanConversationState(ConversationState):
    """ConversationState whose change check costs a pickle, not a jsonpickle flatten."""

    async def load(self, turn_context: TurnContext, force: bool = False) -> None:
        cached = self.get_cached_state(turn_context)
        if force or not cached or not cached.state:
            key = self.get_storage_key(turn_context)
            items = await self._storage.read([key])
            turn_context.turn_state[self._context_service_key] = _PickleHashedState(items.get(key))
