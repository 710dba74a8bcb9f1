"""A waterfall resumes where it stopped after ConversationState is rebuilt over a new store."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from botbuilder.core import ConversationState, MessageFactory, TurnContext
from botbuilder.core.adapters import TestAdapter
from botbuilder.dialogs import (
    DialogSet,
    DialogTurnResult,
    DialogTurnStatus,
    TextPrompt,
    WaterfallDialog,
    WaterfallStepContext,
)
from botbuilder.dialogs.prompts import PromptOptions

from bot.state import SdkStorage
from store import Store, open_store

_NAME = "name"  # step.values key: JSON primitives only


async def ask_name_step(step: WaterfallStepContext) -> DialogTurnResult:
    """Asks for the customer's name."""
    return await step.prompt(
        TextPrompt.__name__, PromptOptions(prompt=MessageFactory.text("Which customer?"))
    )


async def ask_contact_step(step: WaterfallStepContext) -> DialogTurnResult:
    """Keeps the name and asks for the contact."""
    step.values[_NAME] = step.result
    return await step.prompt(
        TextPrompt.__name__, PromptOptions(prompt=MessageFactory.text("Who is the contact?"))
    )


async def confirm_step(step: WaterfallStepContext) -> DialogTurnResult:
    """Confirms both answers and ends."""
    await step.context.send_activity(f"{step.values[_NAME]}: {step.result}")
    return await step.end_dialog()


class Bot:
    """Runs the waterfall over ConversationState in the current store, which tests can swap."""

    def __init__(self, store: Store) -> None:
        self.use(store)

    def use(self, store: Store) -> None:
        """Rebuild ConversationState and the dialogs over `store`, as a restarted bot would."""
        self.state = ConversationState(SdkStorage(store.state_storage))
        self.dialogs = DialogSet(self.state.create_property("DialogState"))
        self.dialogs.add(TextPrompt(TextPrompt.__name__))
        self.dialogs.add(
            WaterfallDialog("onboard", [ask_name_step, ask_contact_step, confirm_step])
        )

    async def on_turn(self, context: TurnContext) -> None:
        """Continue the active dialog or start one, then save the state."""
        dialog_context = await self.dialogs.create_context(context)
        result = await dialog_context.continue_dialog()
        if result.status == DialogTurnStatus.Empty:
            await dialog_context.begin_dialog("onboard")
        await self.state.save_changes(context)


@pytest.fixture
def stores(data_dir: Path) -> Iterator[list[Store]]:
    """Every store a test opens, all closed afterwards."""
    opened: list[Store] = []
    try:
        yield opened
    finally:
        for store in opened:
            store.close()


def _reopen(data_dir: Path, stores: list[Store]) -> Store:
    if stores:
        stores[-1].close()
    stores.append(open_store(data_dir))
    return stores[-1]


async def test_waterfall_resumes_at_the_second_step_after_a_restart(
    data_dir: Path, stores: list[Store]
) -> None:
    bot = Bot(_reopen(data_dir, stores))
    adapter = TestAdapter(bot.on_turn)

    flow = await adapter.send("onboard")
    flow = await flow.assert_reply("Which customer?")

    bot.use(_reopen(data_dir, stores))
    flow = await flow.send("Contoso")
    flow = await flow.assert_reply("Who is the contact?")

    bot.use(_reopen(data_dir, stores))
    flow = await flow.send("Ada")
    await flow.assert_reply("Contoso: Ada")
