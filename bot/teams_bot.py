"""The Teams activity handler: routes commands, card submits and membership events.

Order of precedence for a message: a card submit with a known action; `cancel`; `help`; the
active dialog; a command; otherwise a hint with the help card. Every turn refreshes the
conversation reference (reminders need it) and saves conversation state at the end.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any

from botbuilder.core import ConversationState, InvokeResponse, MessageFactory, TurnContext
from botbuilder.core.teams import TeamsActivityHandler
from botbuilder.dialogs import ComponentDialog, DialogContext, DialogSet
from botbuilder.dialogs.prompts import TextPrompt
from botbuilder.schema import Activity, ActivityTypes, AdaptiveCardInvokeResponse, ChannelAccount

from bot.adapter import DIALOG_STATE
from bot.commands import COMMANDS, DuringFlow, ParsedCommand, parse_command
from bot.exchange import Exchange
from bot.proactive import ReminderTurns
from bot.wire import to_wire
from cards import library
from cards.views import CommandHelp, PhaseHelp
from dialogs import portfolio_commands
from dialogs.account import Account
from dialogs.agreement import Agreements
from dialogs.assess_dialog import AssessDialog
from dialogs.brief import Briefs
from dialogs.commit_dialog import CommitDialog
from dialogs.commit_views import AGREE_ACTION
from dialogs.delivery import RECORD_DELIVERY_ACTION, REVIEW_ACTION, DeliveryAndReview
from dialogs.prompts import CardFormPrompt
from dialogs.quick_check import (
    NEW_QUICK_CHECK_ACTION,
    QUICK_CHECK_ACTION,
    SAVE_QUICK_CHECK_ACTION,
    PrivateSender,
    QuickCheck,
)
from dialogs.readiness import READINESS_ACTION, Readiness
from dialogs.services import DialogServices
from dialogs.turn import (
    card_message,
    is_shared_conversation,
    message_text,
    submit_value,
    tenant_of,
    user_of,
)
from dialogs.views import catalog_views
from engagement.models import MaturityLevel
from engagement.ports import ConversationReferences

logger = logging.getLogger(__name__)

PHASES = (
    PhaseHelp("assess", "Determine the customer's cloud maturity"),
    PhaseHelp("commit", "Agree the goals of the engagement: a statement of work"),
    PhaseHelp("deliver", "Deliver the workshop or engagement"),
    PhaseHelp("ensure", "Check the goals were reached and define next steps"),
)
CANCEL_WORDS = frozenset({"cancel", "stop", "quit", "exit", "abort"})
HELP_WORDS = frozenset({"help", "?", "/help", "hilfe"})
MAX_TEXT_LENGTH = 2000
CUSTOMERS_SHOWN = 50  # `customers` lists the first 50 by name
_RUN_COMMAND_ACTION = "run_command"
CommandHandler = Callable[[TurnContext, str], Awaitable[None]]
CardActionHandler = Callable[[TurnContext, dict[str, Any]], Awaitable[None]]
_CANCEL_ACTION = "cancel"


def _flow_name(dialog_context: DialogContext) -> str:
    active = dialog_context.active_dialog
    return "statement of work" if active and active.id == CommitDialog.__name__ else "assessment"


async def _expects_free_text(dialog_context: DialogContext) -> bool:
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


def _command_help() -> list[CommandHelp]:
    return [CommandHelp(usage=c.usage, description=c.description) for c in COMMANDS]


class TeamsBot(TeamsActivityHandler):
    """The Customer Success Framework bot."""

    def __init__(
        self,
        services: DialogServices,
        conversation_state: ConversationState,
        references: ConversationReferences,
        send_private: PrivateSender,
        reminders: ReminderTurns | None = None,
        readiness: Readiness | None = None,
        briefs: Briefs | None = None,
    ) -> None:
        super().__init__()
        self._services = services
        self._conversation_state = conversation_state
        self._references = references
        self._dialogs = DialogSet(conversation_state.create_property(DIALOG_STATE))
        self._flow_owner = conversation_state.create_property("FlowOwner")
        self._dialogs.add(AssessDialog(services))
        self._dialogs.add(CommitDialog(services))
        self._send_private = send_private
        self._quick_check = QuickCheck(
            services, conversation_state.create_property("HandledCards"), send_private
        )
        self._agreements = Agreements(services)
        self._delivery = DeliveryAndReview(services)
        account = Account(services)
        # Commands answered without a dialog: (turn context, argument) -> None.
        self._handlers: dict[str, CommandHandler] = {
            "help": lambda context, _: self._send_help(context),
            "quick check": self._quick_check.start,
            "sow": self._agreements.show,
            "deliver": self._delivery.deliver,
            "ensure": self._delivery.ensure,
            "status": account.status,
            "history": account.history,
            "report": account.report,
            "touch": account.touch,
            "catalog": self._send_catalog,
            "customers": lambda context, _: self._send_customers(context),
            "portfolio": self._portfolio,
            "health": self._health,
            "kpis": self._kpis,
        }
        # Self-describing card submits: (turn context, submitted value) -> None.
        self._card_actions: dict[str, CardActionHandler] = {
            QUICK_CHECK_ACTION: self._quick_check.submit,
            SAVE_QUICK_CHECK_ACTION: self._quick_check.save,
            NEW_QUICK_CHECK_ACTION: self._quick_check.start_new,
            AGREE_ACTION: self._agreements.agree,
            RECORD_DELIVERY_ACTION: self._delivery.record_delivery,
            REVIEW_ACTION: self._delivery.review,
        }
        if briefs is not None:
            self._handlers["brief"] = briefs.command
        if readiness is not None:
            self._handlers["readiness"] = readiness.command
            self._card_actions[READINESS_ACTION] = readiness.answer
        self._reminders = reminders
        if reminders is not None:
            self._handlers.update(reminders.command_handlers())
            self._card_actions.update(reminders.card_actions())

    def use_exchange(self, exchange: Exchange) -> None:
        """Offer `export` and `import` (built after the adapter, which owns the HTTP session)."""
        self._handlers["export"] = exchange.export
        self._handlers["import"] = exchange.import_

    async def on_turn(self, turn_context: TurnContext) -> None:
        await self._remember_conversation(turn_context)
        await super().on_turn(turn_context)
        await self._conversation_state.save_changes(turn_context)

    async def on_message_activity(self, turn_context: TurnContext) -> None:
        text = message_text(turn_context)
        value = submit_value(turn_context)
        dialog_context = await self._dialogs.create_context(turn_context)
        command = parse_command(text)
        importing = command is not None and command.command.name == "import"
        if len(text) > MAX_TEXT_LENGTH and not importing:
            await turn_context.send_activity(
                f"That message is too long for me ({len(text)} characters; the limit is "
                f"{MAX_TEXT_LENGTH}). Please shorten it."
            )
            return
        if value is not None and await self._handle_card_action(dialog_context, value):
            return
        lowered = text.casefold()
        if lowered in CANCEL_WORDS:
            await self._cancel(dialog_context)
            return
        if lowered in HELP_WORDS:
            await self._send_help(turn_context)
            if dialog_context.active_dialog is not None:
                await dialog_context.reprompt_dialog()
            return
        if dialog_context.active_dialog is not None:
            owner = await self._flow_owner.get(turn_context, dict)
            if is_shared_conversation(turn_context) and owner.get("id") not in (
                None,
                user_of(turn_context).id,
            ):
                await self._someone_elses_flow(dialog_context, command, owner)
            elif command is None or await _expects_free_text(dialog_context):
                # A typed answer ("Catalog Systems" as a name, a goal starting with "Health")
                # belongs to the prompt, not to the command that shares its first word.
                await dialog_context.continue_dialog()
            else:
                await self._command_during_flow(dialog_context, command)
            return
        if command is not None:
            await self._run(dialog_context, command)
        elif value is not None:
            await turn_context.send_activity(
                "That card is no longer active, so nothing was changed. "
                "Type `help` to see what I can do."
            )
        elif text:
            await turn_context.send_activity(
                f'Sorry, I don\'t know "{text[:60]}". Here is what I understand:'
            )
            await self._send_help(turn_context)
        else:
            await self._send_help(turn_context)

    async def _handle_card_action(
        self, dialog_context: DialogContext, value: dict[str, Any]
    ) -> bool:
        """Handle self-describing card actions; False lets the active dialog have the submit."""
        context = dialog_context.context
        action = value.get("action")
        handler = self._card_actions.get(action) if isinstance(action, str) else None
        if handler is not None:
            await handler(context, value)
        elif action == _CANCEL_ACTION:
            await self._cancel(dialog_context)
        elif action == _RUN_COMMAND_ACTION and isinstance(value.get("command"), str):
            line = " ".join(str(part) for part in (value["command"], value.get("argument") or ""))
            command = parse_command(line)
            if command is None:
                return False
            if dialog_context.active_dialog is not None:
                await self._command_during_flow(dialog_context, command)
            else:
                await self._run(dialog_context, command)
        else:
            return False
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
        name = owner.get("name") or "someone else"
        if command is not None and command.command.during_flow is DuringFlow.IN_PASSING:
            await self._run(dialog_context, command)
        elif command is not None and command.command.during_flow is DuringFlow.STARTS:
            await context.send_activity(
                f"{name}'s {_flow_name(dialog_context)} is still running here. Let them finish, "
                "type `cancel` to stop it, or start yours in our personal chat."
            )
        else:
            await context.send_activity(
                f"That answer was not counted: {name} started this "
                f"{_flow_name(dialog_context)} and answers it. Type `cancel` to stop it."
            )

    async def _command_during_flow(
        self, dialog_context: DialogContext, command: ParsedCommand
    ) -> None:
        """A command while a flow waits: start the new flow (saying so), or answer and re-ask."""
        if command.command.during_flow is DuringFlow.STARTS:
            await dialog_context.cancel_all_dialogs()
            await dialog_context.context.send_activity(
                "I stopped the unfinished flow; nothing of it was saved."
            )
            await self._run(dialog_context, command)
        elif command.command.during_flow is DuringFlow.IN_PASSING:
            await self._run(dialog_context, command)
            await dialog_context.reprompt_dialog()
        else:
            await dialog_context.continue_dialog()

    async def _run(self, dialog_context: DialogContext, parsed: ParsedCommand) -> None:
        context = dialog_context.context
        name, argument = parsed.command.name, parsed.argument
        if parsed.command.during_flow is DuringFlow.STARTS and name != "quick check":
            starter = user_of(context)
            await self._flow_owner.set(context, {"id": starter.id, "name": starter.name})
        if name == "assess":
            await dialog_context.begin_dialog(AssessDialog.__name__, {"customer": argument})
        elif name == "commit":
            form = argument.casefold().endswith(" form") or argument.casefold() == "form"
            customer = argument[: -len("form")].strip() if form else argument
            await dialog_context.begin_dialog(
                CommitDialog.__name__, {"customer": customer, "form": form}
            )
        elif name == "cancel":
            await self._cancel(dialog_context)
        elif parsed.command.private:
            await self._in_private(context, self._handlers[name], argument)
        else:
            await self._handlers[name](context, argument)

    async def _cancel(self, dialog_context: DialogContext) -> None:
        if dialog_context.active_dialog is None:
            await dialog_context.context.send_activity("There is nothing to cancel.")
            return
        await dialog_context.cancel_all_dialogs()
        await dialog_context.context.send_activity(
            "Cancelled. Nothing from the unfinished step was saved."
        )

    async def _send_help(self, context: TurnContext) -> None:
        await context.send_activity(card_message(library.help_card(PHASES, _command_help())))

    async def _send_catalog(self, context: TurnContext, argument: str) -> None:
        catalog = self._services.catalog
        levels: list[MaturityLevel] = list(MaturityLevel)
        if argument:
            level = catalog.find_level(argument)
            if level is None:
                names = ", ".join(f"{lvl.rank}. {lvl.label}" for lvl in MaturityLevel)
                await context.send_activity(
                    f'I don\'t know the level "{argument[:60]}". The levels are: {names}.'
                )
                return
            levels = [level]
        await context.send_activity(
            card_message(library.catalog_card(catalog_views(catalog, levels)))
        )

    def _query(self, context: TurnContext, argument: str) -> tuple[str, str, str, datetime]:
        """The arguments every portfolio command takes: what, whose, when."""
        return (argument, tenant_of(context), user_of(context).id, self._services.clock.now())

    async def _portfolio(self, context: TurnContext, argument: str) -> None:
        reply = await portfolio_commands.portfolio_command(
            *self._query(context, argument),
            self._services.summaries,
            catalog=self._services.catalog,
        )
        await self._reply(context, reply)

    async def _health(self, context: TurnContext, argument: str) -> None:
        reply = await portfolio_commands.health_command(
            *self._query(context, argument), self._services.customers, self._services.summaries
        )
        await self._reply(context, reply)

    async def _kpis(self, context: TurnContext, argument: str) -> None:
        reply = await portfolio_commands.kpis_command(
            *self._query(context, argument),
            self._services.summaries,
            catalog=self._services.catalog,
        )
        await self._reply(context, reply)

    async def _reply(self, context: TurnContext, reply: dict[str, Any] | str) -> None:
        message = card_message(reply) if isinstance(reply, dict) else MessageFactory.text(reply)
        await context.send_activity(message)

    async def _in_private(
        self, context: TurnContext, handler: CommandHandler, argument: str
    ) -> None:
        """Run a command whose answer holds account data; in a shared chat (the customer may be
        in the meeting) deliver its replies to the asker's personal chat instead."""
        if not is_shared_conversation(context):
            await handler(context, argument)
            return
        captured: list[Activity] = []
        capturing = True

        async def capture(_: TurnContext, activities: list[Activity], send: Any) -> None:
            if capturing:
                captured.extend(a for a in activities if a.type == ActivityTypes.message)
                activities.clear()  # the SDK sends what is left in the list
            await send()

        context.on_send_activities(capture)
        try:
            await handler(context, argument)
        finally:
            capturing = False
        if not captured:
            return
        if await self._send_private(context, captured):
            await context.send_activity("I've sent that to you in our private chat.")
        else:
            await context.send_activity(
                "I couldn't message you privately. Ask me in our personal chat; I keep account "
                "data out of shared chats."
            )

    async def _send_customers(self, context: TurnContext) -> None:
        listing = await self._services.summaries.by_name(tenant_of(context), limit=CUSTOMERS_SHOWN)
        if not listing.total:
            await context.send_activity(
                "No customers yet. Type `assess <name>` or `quick check <name>` to add one."
            )
            return
        lines = [
            f"- **{s.name}**: iteration {s.iteration}, {s.phase.value} phase, "
            + (s.level.label if s.level else "not assessed")
            for s in listing.summaries
        ]
        more = listing.total - len(listing.summaries)
        more_text = f"\n\n…and {more:,} more." if more > 0 else ""
        await context.send_activity(
            f"Your organisation's customers ({listing.total:,}):\n\n" + "\n".join(lines) + more_text
        )

    async def on_invoke_activity(self, turn_context: TurnContext) -> InvokeResponse:
        # Our cards use Action.Submit; an Action.Execute (`adaptiveCard/action`) can only come
        # from a card this bot does not send, so it gets a notice card in place. Other invokes
        # (task modules, message extensions, sign-in) are not offered by this app: 400, never the
        # SDK's 501. The body must be an msrest Model (a dict is serialised twice: HTTP 500).
        if turn_context.activity.name == "adaptiveCard/action":
            card = library.notice_card(
                "This card is out of date",
                "Type `help` to see what I can do, or start again with `quick check`.",
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
                "Hi, I'm the Customer Success Framework bot. @mention me with `help` to see what "
                "I can do; quick checks and results go to you privately."
            )
            return
        await turn_context.send_activity(
            card_message(library.welcome_card(PHASES, _command_help()))
        )

    async def _remember_conversation(self, turn_context: TurnContext) -> None:
        activity = turn_context.activity
        if activity.type == "installationUpdate" and activity.action in {
            "remove",
            "remove-upgrade",
        }:
            return
        reference = TurnContext.get_conversation_reference(activity)
        reference.activity_id = None  # proactive messages start new threads; keeps it unchanged
        await self._references.put(
            tenant_of(turn_context), activity.conversation.id, to_wire(reference)
        )
        if self._reminders is not None:
            await self._reminders.remember(turn_context)
