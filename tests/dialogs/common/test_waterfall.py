"""Waterfall: the SDK's WaterfallDialog, naming each run without uuid1's system calls."""

from __future__ import annotations

import uuid

import pytest
from botbuilder.core import ConversationState, MemoryStorage
from botbuilder.dialogs import DialogSet, DialogTurnResult, DialogTurnStatus, WaterfallStepContext

from dialogs.common.waterfall import Waterfall
from tests.support.sdk_turns import message_turn


async def test_a_run_gets_a_uuid4_id_and_its_steps_run_in_order(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def no_uuid1() -> uuid.UUID:
        raise AssertionError("uuid1 asks the uuidd socket on every call")

    monkeypatch.setattr(uuid, "uuid1", no_uuid1)
    seen: list[object] = []

    async def first(step: WaterfallStepContext) -> DialogTurnResult:
        seen.append(step.options)
        return await step.next("from the first step")

    async def second(step: WaterfallStepContext) -> DialogTurnResult:
        seen.append(step.result)
        instance_state = step.active_dialog.state if step.active_dialog else {}
        seen.append(instance_state[Waterfall.PersistedInstanceId])
        return await step.end_dialog("done")

    state = ConversationState(MemoryStorage())
    dialogs = DialogSet(state.create_property("DialogState"))
    dialogs.add(Waterfall("steps", [first, second]))
    dialog_context = await dialogs.create_context(message_turn())

    result = await dialog_context.begin_dialog("steps", {"customer": "Contoso"})

    assert result.status == DialogTurnStatus.Complete
    assert result.result == "done"
    assert seen[:2] == [{"customer": "Contoso"}, "from the first step"]
    assert uuid.UUID(str(seen[2])).version == 4
