"""The Teams activity handler: dispatches messages by the routing table (`bot.commands`).

Order of precedence for a message: a card submit with a known action; `cancel` or `help` alone;
the active dialog; a command; otherwise a hint with the help card. Every turn refreshes the
conversation reference (reminders need it) and saves conversation state at the end.
"""

from __future__ import annotations

import logging
from typing import Any

from botbuilder.core import ConversationState, InvokeResponse, TurnContext
from botbuilder.core.teams import TeamsActivityHandler
from botbuilder.dialogs import DialogContext
from botbuilder.schema import AdaptiveCardInvokeResponse, ChannelAccount
from pydantic import ValidationError

from bot.commands import (
    ACTIONS,
    CARD_SUBMIT,
    COMMANDS,
    RUN_COMMAND_ACTION,
    DuringFlow,
    ParsedCommand,
    parse_command,
)
from bot.exchange import Exchange
from bot.flows import Flows, expects_free_text, flow_name
from bot.handlers import Handlers, command_help, phase_help
from bot.language import Languages
from bot.private import PrivateChats, answer_privately
from bot.proactive import remember_turn, stored_reference
from bot.reminder_turns import ReminderTurns
from bot.suggest import closest_commands, unknown_text_card, unknown_text_line
from cards import library
from dialogs.account.account import Account
from dialogs.account.brief import Briefs
from dialogs.assess.quick_check import QuickCheck
from dialogs.commit.agreement import Agreements
from dialogs.common.card_actions import RunCommandSubmit
from dialogs.common.services import DialogServices
from dialogs.common.turn import (
    card_message,
    is_shared_conversation,
    message_text,
    submit_value,
    tenant_of,
    user_of,
)
from dialogs.deliver.delivery import DeliveryAndReview
from dialogs.readiness.readiness import Readiness
from dialogs.reminders.reminder_commands import ReminderServices
from engagement.ports import ConversationReferences
from i18n import _

logger = logging.getLogger(__name__)

MAX_TEXT_LENGTH = 2000


class TeamsBot(TeamsActivityHandler):
    """The Customer Success Framework bot."""

    def __init__(
        self,
        services: DialogServices,
        conversation_state: ConversationState,
        references: ConversationReferences,
        private: PrivateChats,
        reminders: ReminderServices,
        exchange: Exchange,
        readiness: Readiness,
        briefs: Briefs,
    ) -> None:
        super().__init__()
        self._conversation_state = conversation_state
        self._references = references
        self._private = private
        self._reminder_store = reminders.reminders
        self._flows = Flows(services, conversation_state)
        self._handlers = Handlers(
            services=services,
            flows=self._flows,
            quick_check=QuickCheck(
                services, conversation_state.create_property("HandledCards"), private.send
            ),
            agreements=Agreements(services),
            delivery=DeliveryAndReview(services),
            account=Account(services),
            reminders=ReminderTurns(reminders),
            exchange=exchange,
            readiness=readiness,
            briefs=briefs,
            languages=Languages(reminders.reminders),
        )

    async def on_turn(self, turn_context: TurnContext) -> None:
        await self._remember_conversation(turn_context)
        await super().on_turn(turn_context)
        await self._conversation_state.save_changes(turn_context)

    async def on_message_activity(self, turn_context: TurnContext) -> None:
        text = message_text(turn_context)
        value = submit_value(turn_context)
        dialog_context = await self._flows.context(turn_context)
        command = parse_command(text)
        if len(text) > MAX_TEXT_LENGTH and not (command and command.command.long_text):
            await turn_context.send_activity(
                _(
                    "That message is too long for me ({length} characters; the limit is "
                    "{limit}). Please shorten it."
                ).format(length=len(text), limit=MAX_TEXT_LENGTH)
            )
            return
        if value is not None and await self._card_action(dialog_context, value):
            return
        if command and command.command.during_flow is DuringFlow.OTHER and not command.argument:
            # `cancel` and `help` on their own come before any flow (help then asks again).
            await self._run(command, turn_context)
            if dialog_context.active_dialog is not None:
                await dialog_context.reprompt_dialog()
            return
        if dialog_context.active_dialog is not None:
            owner = await self._flows.owner(turn_context)
            if is_shared_conversation(turn_context) and owner.get("id") not in (
                None,
                user_of(turn_context).id,
            ):
                await self._someone_elses_flow(dialog_context, command, owner)
            elif command is None or await expects_free_text(dialog_context):
                # A typed answer ("Catalog Systems" as a name, a goal starting with "Health")
                # belongs to the prompt, not to the command that shares its first word.
                await dialog_context.continue_dialog()
            else:
                await self._command_during_flow(dialog_context, command)
            return
        if command is not None:
            await self._run(command, turn_context)
        elif value is not None:
            await turn_context.send_activity(
                _(
                    "That card is no longer active, so nothing was changed. "
                    "Type `help` to see what I can do."
                )
            )
        elif text:
            suggestions = closest_commands(text, [c.shown_name() for c in COMMANDS])
            card = unknown_text_card(suggestions, RUN_COMMAND_ACTION)
            await turn_context.send_activity(
                card_message(card, unknown_text_line(text, suggestions))
            )
        else:
            await self._handlers.help(turn_context, "")

    async def _card_action(self, dialog_context: DialogContext, value: dict[str, Any]) -> bool:
        """Handle a card button by the table, its data parsed here once; False lets the active
        dialog have the submit (a prompt's own buttons)."""
        context = dialog_context.context
        action = value.get("action")
        route = ACTIONS.get(action) if isinstance(action, str) else None
        if route is None and action != RUN_COMMAND_ACTION:
            return False
        try:
            submit = CARD_SUBMIT.validate_python(value)
        except ValidationError:
            if route is None:  # a run_command that does not fit: not ours to answer
                return False
            await context.send_activity(_(route.model.stale))
            return True
        if route is not None:
            handler = route.handler(self._handlers)
            if route.private:  # pressed in a shared chat: the answer goes to the presser
                await answer_privately(context, handler, submit, self._private.send)
            else:
                await handler(context, submit)
            return True
        assert isinstance(submit, RunCommandSubmit)
        command = parse_command(submit.line)
        if command is None:
            return False
        if dialog_context.active_dialog is not None:
            await self._command_during_flow(dialog_context, command)
        else:
            await self._run(command, context)
        return True

    async def _someone_elses_flow(
        self,
        dialog_context: DialogContext,
        command: ParsedCommand | None,
        owner: dict[str, str],
    ) -> None:
        """In a shared chat a flow answers only the person who started it; others may still
        ask things in passing (or cancel it)."""
        context = dialog_context.context
        name = owner.get("name") or _("someone else")
        if command is not None and command.command.during_flow is DuringFlow.IN_PASSING:
            await self._run(command, context)
        elif command is not None and command.command.during_flow is DuringFlow.STARTS:
            await context.send_activity(
                _(
                    "{name}'s {flow} is still running here. Let them finish, "
                    "type `cancel` to stop it, or start yours in our personal chat."
                ).format(name=name, flow=flow_name(dialog_context))
            )
        else:
            await context.send_activity(
                _(
                    "That answer was not counted: {name} started this {flow} and answers it. "
                    "Type `cancel` to stop it."
                ).format(name=name, flow=flow_name(dialog_context))
            )

    async def _command_during_flow(
        self, dialog_context: DialogContext, command: ParsedCommand
    ) -> None:
        """A command while a flow waits: start the new flow (saying so), or answer and re-ask."""
        if command.command.during_flow is DuringFlow.STARTS:
            await dialog_context.cancel_all_dialogs()
            await dialog_context.context.send_activity(
                _("I stopped the unfinished flow; nothing of it was saved.")
            )
            await self._run(command, dialog_context.context)
        elif command.command.during_flow is DuringFlow.IN_PASSING:
            await self._run(command, dialog_context.context)
            await dialog_context.reprompt_dialog()
        else:
            await dialog_context.continue_dialog()

    async def _run(self, parsed: ParsedCommand, context: TurnContext) -> None:
        handler = parsed.command.handler(self._handlers)
        if not parsed.command.private or not is_shared_conversation(context):
            await handler(context, parsed.argument)
        elif parsed.command.during_flow is DuringFlow.STARTS:  # a flow: in the personal chat
            await self._flows.start_privately(context, handler, parsed.argument, self._private)
        else:
            await answer_privately(context, handler, parsed.argument, self._private.send)

    async def on_invoke_activity(self, turn_context: TurnContext) -> InvokeResponse:
        # Our cards use Action.Submit; an Action.Execute (`adaptiveCard/action`) can only come
        # from a card this bot does not send, so it gets a notice card in place. Other invokes
        # (task modules, message extensions, sign-in) are not offered by this app: 400, never the
        # SDK's 501. The body must be an msrest Model (a dict is serialised twice: HTTP 500).
        if turn_context.activity.name == "adaptiveCard/action":
            card = library.notice_card(
                _("This card is out of date"),
                _("Type `help` to see what I can do, or start again with `quick check`."),
            )
            return InvokeResponse(
                status=200,
                body=AdaptiveCardInvokeResponse(
                    status_code=200, type="application/vnd.microsoft.card.adaptive", value=card
                ),
            )
        return InvokeResponse(status=400)

    async def on_conversation_update_activity(self, turn_context: TurnContext) -> None:
        # Overridden: the Teams base class looks each new member up over HTTP; we need only
        # to know whether the bot itself was added.
        activity = turn_context.activity
        bot_id = activity.recipient.id if activity.recipient else None
        added: list[ChannelAccount] = activity.members_added or []
        if any(member.id == bot_id for member in added):
            await self._welcome(turn_context)

    async def on_installation_update_remove(self, turn_context: TurnContext) -> None:
        activity = turn_context.activity
        await self._references.mark_stale(tenant_of(turn_context), activity.conversation.id)

    async def _welcome(self, turn_context: TurnContext) -> None:
        if turn_context.activity.conversation.conversation_type in {"groupChat", "channel"}:
            await turn_context.send_activity(
                _(
                    "Hi, I'm the Customer Success Framework bot. @mention me with `help` to see "
                    "what I can do; quick checks and results go to you privately."
                )
            )
            return
        await turn_context.send_activity(
            card_message(library.welcome_card(phase_help(), command_help()))
        )

    async def _remember_conversation(self, turn_context: TurnContext) -> None:
        activity = turn_context.activity
        if activity.type == "installationUpdate" and activity.action in {
            "remove",
            "remove-upgrade",
        }:
            return
        await self._references.put(
            tenant_of(turn_context), activity.conversation.id, stored_reference(activity)
        )
        await remember_turn(self._reminder_store, turn_context)
