"""The dialog memory configuration is built on the first turn and lent to every later one."""

from __future__ import annotations

from botbuilder.core import ConversationState, MemoryStorage, TurnContext
from botbuilder.core.adapters import TestAdapter
from botbuilder.dialogs import DialogSet

from bot.sdk_internals import DialogMemory
from tests.support.sdk_turns import message_turn


def _turn(adapter: TestAdapter) -> TurnContext:
    return message_turn(adapter)


async def test_later_turns_reuse_the_first_turns_configuration() -> None:
    state = ConversationState(MemoryStorage())
    dialogs = DialogSet(state.create_property("DialogState"))
    adapter = TestAdapter()
    memory = DialogMemory()

    first = _turn(adapter)
    memory.lend(first)
    first_context = await dialogs.create_context(first)
    memory.keep(first)
    second = _turn(adapter)
    memory.lend(second)
    second_context = await dialogs.create_context(second)
    memory.keep(second)

    built = first_context.state.configuration
    assert built.memory_scopes  # the SDK's own scopes and resolvers, built once
    assert built.path_resolvers
    assert second_context.state.configuration is built
