"""The conversation flows (waterfalls) a command starts: assess and commit, and cancelling them.

The bot keeps one dialog stack per conversation. In a shared chat a flow belongs to whoever
started it (`owner`): others may ask things in passing, but their answers are not counted.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from botbuilder.core import ConversationState, TurnContext
from botbuilder.dialogs import ComponentDialog, DialogContext, DialogSet
from botbuilder.dialogs.prompts import TextPrompt

from bot.adapter import DIALOG_STATE
from bot.private import NOT_PRIVATELY, STARTED_PRIVATELY, PrivateChats
from bot.sdk_internals import DialogMemory
from dialogs.assess.assess_dialog import AssessDialog
from dialogs.commit.commit_dialog import CommitDialog
from dialogs.common.card_actions import CancelSubmit
from dialogs.common.prompts import CardFormPrompt
from dialogs.common.services import DialogServices
from dialogs.common.turn import user_of
from i18n import _

FORM_WORDS = frozenset({"form", "formular"})


def commit_arguments(argument: str) -> tuple[str, bool]:
    """The customer, and whether the one-card form was asked for (`commit Contoso form`,
    `vereinbaren Contoso formular`)."""
    words = argument.split()
    form = bool(words) and words[-1].casefold() in FORM_WORDS
    return (" ".join(words[:-1]) if form else argument), form


class Flows:
    """Starts, inspects and cancels the conversation's flow."""

    def __init__(self, services: DialogServices, conversation_state: ConversationState) -> None:
        self._dialogs = DialogSet(conversation_state.create_property(DIALOG_STATE))
        self._dialogs.add(AssessDialog(services))
        self._dialogs.add(CommitDialog(services))
        self._owner = conversation_state.create_property("FlowOwner")
        self._state = conversation_state
        self._memory = DialogMemory()  # built once, not in every turn (bot/sdk_internals.py)

    async def context(self, turn_context: TurnContext) -> DialogContext:
        """The conversation's dialog stack for this turn (one state object however often asked)."""
        self._memory.lend(turn_context)
        dialog_context = await self._dialogs.create_context(turn_context)
        self._memory.keep(turn_context)
        return dialog_context

    async def assess(self, context: TurnContext, argument: str) -> None:
        """`assess <customer>`: the full assessment."""
        await self._begin(context, AssessDialog.__name__, {"customer": argument})

    async def commit(self, context: TurnContext, argument: str) -> None:
        """`commit <customer> [form]`: the statement of work, step by step or on one form."""
        customer, form = commit_arguments(argument)
        await self._begin(context, CommitDialog.__name__, {"customer": customer, "form": form})

    async def cancel(self, context: TurnContext, argument: str) -> None:
        """`cancel`: stop the flow; nothing half-done is saved."""
        dialog_context = await self.context(context)
        if dialog_context.active_dialog is None:
            await context.send_activity(_("There is nothing to cancel."))
            return
        await dialog_context.cancel_all_dialogs()
        await context.send_activity(_("Cancelled. Nothing from the unfinished step was saved."))

    async def cancel_button(self, context: TurnContext, value: CancelSubmit) -> None:
        """A card's Cancel button: the same as typing `cancel`."""
        await self.cancel(context, "")

    async def owner(self, context: TurnContext) -> dict[str, str]:
        """Who started the waiting flow: `{"id", "name"}`, empty when not known."""
        owner: dict[str, str] = await self._owner.get(context, dict)
        return owner

    async def start_privately(
        self,
        context: TurnContext,
        start: Callable[[TurnContext, str], Awaitable[None]],
        argument: str,
        private: PrivateChats,
    ) -> None:
        """Run `start` (a flow's command) in the asker's personal chat, whose dialog stack it
        gets; the shared chat where it was asked sees one short line."""

        async def begin(private_context: TurnContext) -> None:
            dialog_context = await self.context(private_context)
            if dialog_context.active_dialog is not None:
                await dialog_context.cancel_all_dialogs()
                await private_context.send_activity(
                    _("I stopped the unfinished flow; nothing of it was saved.")
                )
            await start(private_context, argument)
            await self._state.save_changes(private_context)

        started = await private.run(context, begin)
        await context.send_activity(_(STARTED_PRIVATELY) if started else _(NOT_PRIVATELY))

    async def _begin(self, context: TurnContext, dialog_id: str, options: dict[str, Any]) -> None:
        starter = user_of(context)
        await self._owner.set(context, {"id": starter.id, "name": starter.name})
        dialog_context = await self.context(context)
        await dialog_context.begin_dialog(dialog_id, options)


def flow_name(dialog_context: DialogContext) -> str:
    """What the waiting flow is called in replies."""
    active = dialog_context.active_dialog
    if active and active.id == CommitDialog.__name__:
        return _("statement of work")
    return _("assessment")


async def expects_free_text(dialog_context: DialogContext) -> bool:
    """True when the innermost waiting prompt takes any text (a name, a typed goal or date)."""
    instance = dialog_context.active_dialog
    if instance is None:
        return False
    dialog = await dialog_context.find_dialog(instance.id)
    while isinstance(dialog, ComponentDialog):
        stack = instance.state[ComponentDialog.persisted_dialog_state].dialog_stack
        if not stack:
            return False
        instance = stack[0]
        dialog = await dialog.find_dialog(instance.id)
    return isinstance(dialog, TextPrompt | CardFormPrompt)
