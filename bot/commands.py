"""The routing table: every command and every card button, each one entry with its handler.

One source for routing, help, the README and the manifest's commandLists. A handler is always
`(turn context, payload) -> None`: the text after the command for a command, the parsed submit
for a card button. Entries name their handler through the bot's `Handlers` (built once per bot),
so this module stays importable without building anything (the manifest build reads it).
Adding a command or a button is one entry here, one handler and its card.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from botbuilder.core import TurnContext

from dialogs.common import card_actions as submits

if TYPE_CHECKING:
    from bot.handlers import Handlers

SCOPES_ALL = ("personal", "team", "groupChat")
P = TypeVar("P")
Handler = Callable[[TurnContext, P], Awaitable[None]]


class DuringFlow(StrEnum):
    """What a command does while a flow (assess, commit) waits for an answer."""

    STARTS = "starts"  # replaces the waiting flow (it starts one of its own)
    IN_PASSING = "in passing"  # answered, then the flow asks its question again
    OTHER = "other"  # handled by the bot itself (help, cancel)


@dataclass(frozen=True)
class Command:
    """A text command the bot understands."""

    name: str  # canonical, lower case, may contain a space ("quick check")
    usage: str  # shown in help: "assess <customer>"
    description: str  # one line, <= 128 characters (Teams commandLists limit)
    example: str  # a full example line the bot understands
    handler: Callable[[Handlers], Handler[str]]  # gets the text after the command
    aliases: tuple[str, ...] = ()  # other spellings people type, matched like the name
    scopes: tuple[str, ...] = SCOPES_ALL
    # Teams' command menu shows at most 10 commands per scope; the rest are in `help`.
    menu: bool = True
    during_flow: DuringFlow = DuringFlow.IN_PASSING
    # Answers that hold account data go to the asker privately when asked in a shared chat; a
    # flow (`during_flow` STARTS) asked there runs in the asker's personal chat.
    private: bool = False
    # Takes a longer message than any other (an import's pasted JSON).
    long_text: bool = False


COMMANDS: tuple[Command, ...] = (
    Command(
        "help",
        "help",
        "What the bot does, the four phases and every command",
        "help",
        handler=lambda h: h.help,
        aliases=("?", "hilfe"),
        during_flow=DuringFlow.OTHER,
    ),
    Command(
        "quick check",
        "quick check [customer]",
        "One card with 5 questions: maturity level and workshops in a minute",
        "quick check Contoso",
        handler=lambda h: h.quick_check.start,
        aliases=("quickcheck", "quick-check", "quick_check", "schnellcheck"),
        during_flow=DuringFlow.STARTS,
    ),
    Command(
        "assess",
        "assess <customer>",
        "Full maturity assessment, one question at a time, with the recommended workshops",
        "assess Contoso",
        handler=lambda h: h.flows.assess,
        aliases=("bewerten",),
        during_flow=DuringFlow.STARTS,
        private=True,
    ),
    Command(
        "commit",
        "commit <customer> [form]",
        "Agree the statement of work: workshops, goals with KPIs, success factors, dates",
        "commit Contoso",
        handler=lambda h: h.flows.commit,
        aliases=("vereinbaren",),
        during_flow=DuringFlow.STARTS,
        private=True,
    ),
    Command(
        "sow",
        "sow <customer>",
        "The statement of work as a card, and as Markdown to paste into a document",
        "sow Contoso",
        handler=lambda h: h.agreements.show,
        menu=False,
        private=True,
    ),
    Command(
        "deliver",
        "deliver <customer>",
        "Record a delivered workshop or engagement from the statement of work",
        "deliver Contoso",
        handler=lambda h: h.delivery.deliver,
        aliases=("liefern",),
        private=True,
    ),
    Command(
        "ensure",
        "ensure <customer>",
        "Check goals against delivery, capture CSAT/NPS and next steps; opens the next iteration",
        "ensure Contoso",
        handler=lambda h: h.delivery.ensure,
        aliases=("sicherstellen",),
        private=True,
    ),
    Command(
        "status",
        "status <customer>",
        "Where a customer stands: phase, level trend, goals, touches, renewal, licenses, CSAT/NPS",
        "status Contoso",
        handler=lambda h: h.account.status,
        private=True,
    ),
    Command(
        "stage",
        "stage <customer> [land|onboard|adopt|expand|renew|auto] [agent|csm]",
        "Lifecycle stage (set or derived) with its KPIs; set it, or your role: sales agent or CSM",
        "stage Contoso adopt",
        handler=lambda h: h.account.stage,
        menu=False,
        private=True,
    ),
    Command(
        "history",
        "history <customer>",
        "Every iteration as a timeline, with the maturity level per iteration",
        "history Contoso",
        handler=lambda h: h.account.history,
        menu=False,
        private=True,
    ),
    Command(
        "report",
        "report <customer>",
        "Proof of execution of the last closed iteration as Markdown",
        "report Contoso",
        handler=lambda h: h.account.report,
        menu=False,
        private=True,
    ),
    Command(
        "touch",
        "touch <customer> [call|meeting|mail|chat] <note>",
        "Log a customer touch; check-in reminders count these",
        "touch Contoso call: renewal on track",
        handler=lambda h: h.account.touch,
        aliases=("kontakt",),
        private=True,
    ),
    Command(
        "reminders",
        "reminders",
        "What is due and coming up for your customers in the next 30 days",
        "reminders",
        handler=lambda h: h.reminders.reminders,
        aliases=("erinnerungen",),
        private=True,
    ),
    Command(
        "renewal",
        "renewal <customer> <date>|done|lost <reason>",
        "Renewal date (checkpoints 15 and 6 months, reminders 90/60/30 days ahead) or its outcome",
        "renewal Contoso 2027-06-30",
        handler=lambda h: h.reminders.renewal,
        menu=False,
        private=True,
    ),
    Command(
        "licenses",
        "licenses <customer> <licensed> <active> [product]",
        "Record licensed and active users of one product (Azure by default) of a customer",
        "licenses Contoso 500 320",
        handler=lambda h: h.reminders.licenses,
        menu=False,
        private=True,
    ),
    Command(
        "pause reminders",
        "pause reminders <date>",
        "No reminders until that date; what comes due meanwhile arrives then",
        "pause reminders until 2026-12-31",
        handler=lambda h: h.reminders.pause,
        menu=False,
    ),
    Command(
        "resume reminders",
        "resume reminders",
        "End a pause of your reminders now",
        "resume reminders",
        handler=lambda h: h.reminders.resume,
        menu=False,
    ),
    Command(
        "digest",
        "digest <on|off>",
        "One reminder card a day with everything due, or one card per reminder",
        "digest on",
        handler=lambda h: h.reminders.digest,
        menu=False,
    ),
    Command(
        "catalog",
        "catalog [level]",
        "Browse the workshop catalog, all levels or one",
        "catalog cloud is an option",
        handler=lambda h: h.catalog,
        menu=False,
    ),
    Command(
        "portfolio",
        "portfolio [mine] [renewals N] [level <level>] [stage <stage>] [page N]",
        "Your customers riskiest first: health, phase, level, renewal, last touch; KPIs and charts",
        "portfolio mine renewals 90",
        handler=lambda h: h.portfolio,
        private=True,
    ),
    Command(
        "health",
        "health <customer>",
        "A customer's health score 0-100 with every factor, its weight and what to do next",
        "health Contoso",
        handler=lambda h: h.health,
        menu=False,
        private=True,
    ),
    Command(
        "kpis",
        "kpis [mine]",
        "Partner KPIs: CSAT this fiscal year, renewal pipeline, customers per phase and level",
        "kpis",
        handler=lambda h: h.kpis,
        menu=False,
        private=True,
    ),
    Command(
        "touches",
        "touches <customer>",
        "The customer's logged touches, newest first",
        "touches Contoso",
        handler=lambda h: h.account.touches,
        menu=False,
        private=True,
    ),
    Command(
        "undo",
        "undo <delivery|touch> <customer>",
        "Remove the latest recorded delivery or touch, to record it again corrected",
        "undo touch Contoso",
        handler=lambda h: h.account.undo,
        menu=False,
    ),
    Command(
        "brief",
        "brief <customer>",
        "30-second call brief: level, phase, goals, touches, health, renewal, 3 talking points",
        "brief Contoso",
        handler=lambda h: h.briefs.command,
        menu=False,
        private=True,
    ),
    Command(
        "readiness",
        "readiness [new]",
        "Your organisation's customer-success readiness: 5 sections scored 1-5, level, next steps",
        "readiness",
        handler=lambda h: h.readiness.command,
        menu=False,
        private=True,
    ),
    Command(
        "export",
        "export",
        "Your organisation's data as a JSON file, and assessments and goals as CSV (personal chat)",
        "export",
        handler=lambda h: h.exchange.export,
        scopes=("personal",),
        menu=False,
    ),
    Command(
        "import",
        "import [replace]",
        "Restore an export file attached to the message: checked first, imported all or nothing",
        "import replace",
        handler=lambda h: h.exchange.import_,
        long_text=True,
        scopes=("personal",),
        menu=False,
    ),
    Command(
        "customers",
        "customers",
        "The customers of your organisation and their phase",
        "customers",
        handler=lambda h: h.customers,
        menu=False,
        private=True,
    ),
    Command(
        "language",
        "language <de|en|auto>",
        "Answer in German or English; auto follows your Teams language (the default)",
        "language de",
        handler=lambda h: h.languages.command,
        aliases=("sprache",),
        menu=False,
    ),
    Command(
        "cancel",
        "cancel",
        "Stop the current conversation flow; nothing half-done is saved",
        "cancel",
        handler=lambda h: h.flows.cancel,
        aliases=("stop", "quit", "exit", "abort", "abbrechen"),
        menu=False,
        during_flow=DuringFlow.OTHER,
    ),
)


@dataclass(frozen=True)
class CardAction(Generic[P]):
    """A card button: the model its data is parsed into at the edge (`dialogs.common.
    card_actions`; the model names the `action`) and its handler, which receives that model."""

    model: type[submits.Submit]
    handler: Callable[[Handlers], Handler[P]]
    # Pressed in a shared chat, its answer goes to the presser privately.
    private: bool = True

    @property
    def action(self) -> str:
        return self.model.action_name()


# Buttons that type a command (`run_command`: the command and its argument) are routed as that
# command; the buttons of a waiting prompt (`choose`, `back`, `form`) belong to its flow.
RUN_COMMAND_ACTION = submits.RunCommandSubmit.action_name()
CARD_ACTIONS: tuple[CardAction[Any], ...] = (
    CardAction(submits.QuickCheckSubmit, lambda h: h.quick_check.submit),
    CardAction(submits.SaveQuickCheckSubmit, lambda h: h.quick_check.save),
    # sends its card privately itself
    CardAction(submits.NewQuickCheckSubmit, lambda h: h.quick_check.start_new, private=False),
    CardAction(submits.UseAssessmentSubmit, lambda h: h.quick_check.use),
    CardAction(submits.AgreeSubmit, lambda h: h.agreements.agree),
    CardAction(submits.RecordDeliverySubmit, lambda h: h.delivery.record_delivery),
    CardAction(submits.ReviewSubmit, lambda h: h.delivery.review),
    CardAction(submits.EnsureAnywaySubmit, lambda h: h.delivery.ensure_anyway),
    CardAction(submits.ReadinessSubmit, lambda h: h.readiness.answer),
    CardAction(submits.LogTouchSubmit, lambda h: h.reminders.card_action),
    CardAction(submits.SnoozeSubmit, lambda h: h.reminders.card_action),
    CardAction(submits.DoneSubmit, lambda h: h.reminders.card_action),
    CardAction(submits.CancelSubmit, lambda h: h.flows.cancel_button, private=False),
)
ACTIONS = {entry.action: entry for entry in CARD_ACTIONS}
# Every button's data, one discriminated union on `action`: the table's models and run_command.
CARD_SUBMIT = submits.submit_union(
    [*(entry.model for entry in CARD_ACTIONS), submits.RunCommandSubmit]
)

_BY_NAME = {name: command for command in COMMANDS for name in (command.name, *command.aliases)}
# Longest names first so "quick check" wins over a hypothetical "quick".
_NAMES = sorted(_BY_NAME, key=len, reverse=True)


@dataclass(frozen=True)
class ParsedCommand:
    """A command and the rest of the line."""

    command: Command
    argument: str


def parse_command(text: str) -> ParsedCommand | None:
    """Match the start of `text` (mention already removed) to a command or an alias,
    case-insensitively; a leading slash is ignored ("/help")."""
    line = " ".join(text.split()).removeprefix("/")
    lowered = line.lower()
    for name in _NAMES:
        if lowered == name or lowered.startswith(name + " "):
            return ParsedCommand(_BY_NAME[name], line[len(name) :].strip())
    return None
