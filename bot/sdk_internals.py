"""Every use of the Bot Framework SDK's private internals, in one place, each with its reason.

botbuilder-python 4.17 is archived (support ends 2025-12-31) and its successor, the Microsoft 365
Agents SDK, ports the same classes. Anything below reaches past the SDK's public API; a move to
another SDK (or a botbuilder release that renames these) replaces this module and nothing else.
tests/test_boundaries.py keeps every other module off the SDK's private names.

Why each is needed:
- `CloudAdapterBase._create_turn_context` / `._process_turn_results`: `ReusingCloudAdapter`
  (bot/transport.py) re-implements `process_activity` to reuse connector clients per service URL
  instead of building two msrest clients per turn; it still builds the turn context and answers
  invokes exactly as the SDK does.
- `BotAdapter._INVOKE_RESPONSE_KEY`: the turn-state key under which the SDK looks for an invoke
  response; the adapter's own `send_activities` must store it there as the stock one does.
- msrest `Model._attribute_map`, `._infer_class_models()`, `._validation`, `._subtype_map`,
  `._xml_map`: the field descriptions msrest itself serialises from; bot/wire.py compiles them
  once instead of re-reading them per field and per activity.
- `BotState._storage`, `._context_service_key` and `botbuilder.core.bot_state.CachedBotState`:
  `LeanConversationState` (bot/state.py) loads the state without the SDK's three jsonpickle
  change checks per turn, so it must fill the SDK's per-turn cache the way `BotState.load` does.
- The turn-state key `DialogStateManagerConfiguration` (its class name): every `DialogContext`
  builds a `DialogStateManager`, and the first one of each turn builds its configuration (nine
  memory scopes and five path resolvers, stateless objects) and caches it there for the turn.
  `DialogMemory` (bot/flows.py) hands every later turn the one built on the first turn; the bot
  reads and writes no dialog memory paths (`dc.state`), so nothing in it carries over.
"""

from __future__ import annotations

from typing import Any

from botbuilder.core import BotAdapter, BotState, TurnContext
from botbuilder.core.bot_state import CachedBotState
from botbuilder.dialogs.memory import DialogStateManagerConfiguration

INVOKE_RESPONSE_KEY: str = BotAdapter._INVOKE_RESPONSE_KEY


def create_turn_context(adapter: Any, *args: Any) -> TurnContext:
    """`CloudAdapterBase._create_turn_context(activity, claims, audience, connector, user token
    client, logic, connector factory)`: the turn context exactly as the stock adapter builds it."""
    context: TurnContext = adapter._create_turn_context(*args)
    return context


def process_turn_results(adapter: Any, context: TurnContext) -> Any:
    """`CloudAdapterBase._process_turn_results`: a finished turn's invoke response (or None)."""
    return adapter._process_turn_results(context)


# --- msrest model descriptions (bot/wire.py) ---------------------------------------------------


def attribute_map(cls: type) -> dict[str, dict[str, Any]] | None:
    """The msrest field descriptions of a model class (attribute -> {"key", "type"})."""
    described: dict[str, dict[str, Any]] | None = getattr(cls, "_attribute_map", None)
    return described


def needs_msrest(cls: type) -> bool:
    """True when the class has read-only fields, subtypes or XML: only msrest handles those."""
    special = getattr(cls, "_validation", None) or getattr(cls, "_subtype_map", None)
    return bool(special) or hasattr(cls, "_xml_map")


def class_models(cls: type) -> dict[str, Any]:
    """The model classes msrest resolves the class's type names against."""
    models: dict[str, Any] = cls._infer_class_models()  # type: ignore[attr-defined]
    return models


# --- BotState's per-turn cache (bot/state.py) ----------------------------------------------------


class _StorageCheckedState(CachedBotState):
    """Cached state that leaves the "did it change?" question to the storage."""

    def compute_hash(self, obj: object) -> Any:
        return None

    def is_changed(self) -> bool:
        return True


async def load_storage_checked(state: BotState, context: TurnContext, key: str) -> None:
    """Read `key` from the state's storage into the turn's cache, with no change hashing."""
    items = await state._storage.read([key])
    context.turn_state[state._context_service_key] = _StorageCheckedState(items.get(key))


# --- DialogStateManager's per-turn configuration (bot/flows.py) ----------------------------------

_DIALOG_MEMORY_KEY = DialogStateManagerConfiguration.__name__


class DialogMemory:
    """The dialog memory configuration of the first turn, lent to every later turn."""

    def __init__(self) -> None:
        self._built: DialogStateManagerConfiguration | None = None

    def lend(self, context: TurnContext) -> None:
        """Give the turn the configuration built before (call before creating a DialogContext)."""
        if self._built is not None:
            context.turn_state.setdefault(_DIALOG_MEMORY_KEY, self._built)

    def keep(self, context: TurnContext) -> None:
        """Keep the configuration the SDK built in this turn (call after creating one)."""
        if self._built is None:
            self._built = context.turn_state.get(_DIALOG_MEMORY_KEY)
