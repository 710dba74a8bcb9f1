"""The dialog memory configuration is built on the first turn and lent to every later one."""

from __future__ import annotations

from botbuilder.core import ConversationState, MemoryStorage, TurnContext
from botbuilder.core.adapters import TestAdapter
from botbuilder.dialogs import DialogSet
from botbuilder.schema import Activity, ActivityTypes, ChannelAccount, ConversationAccount

from bot.sdk_internals import DialogMemory


def _turn(adapter: TestAdapter) -> TurnContext:
    activity = Activity(
        type=ActivityTypes.message,
        text="hi",
        channel_id="test",
        conversation=ConversationAccount(id="c1"),
        from_property=ChannelAccount(id="u1"),
        recipient=ChannelAccount(id="bot"),
    )
    return TurnContext(adapter, activity)


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
