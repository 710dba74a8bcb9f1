"""The routing table: every command and every card button, each one entry with its handler.

One source for routing, help, the README and the manifest's commandLists, in both languages:
each command has its German name and aliases beside the English ones (anyone may type either);
its usage and description are gettext messages (the German usage starts with the German name).
The entries' shapes are in `bot.command_types`, the card buttons in `bot.card_routes`. A handler
is always `(turn context, payload) -> None`: the text after the command for a command, the
parsed submit for a card button. Entries name their handler through the bot's `Handlers` (built
once per bot), so this module stays importable without building anything (the manifest build
reads it). Adding a command or a button is one entry here, one handler and its card.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.card_routes import ACTIONS as ACTIONS  # re-exported: the table's buttons
from bot.card_routes import CARD_ACTIONS as CARD_ACTIONS
from bot.card_routes import CARD_SUBMIT as CARD_SUBMIT
from bot.card_routes import RUN_COMMAND_ACTION as RUN_COMMAND_ACTION
from bot.command_types import SCOPES_ALL as SCOPES_ALL  # re-exported, like the three below
from bot.command_types import Command as Command
from bot.command_types import DuringFlow as DuringFlow
from bot.command_types import ParsedCommand as ParsedCommand
from i18n import N_

if TYPE_CHECKING:
    pass

COMMANDS: tuple[Command, ...] = (
    Command(
        "help",
        N_("help"),
        N_("What the bot does, the four phases and every command"),
        "help",
        handler=lambda h: h.help,
        aliases=("?",),
        during_flow=DuringFlow.OTHER,
        german="hilfe",
    ),
    Command(
        "quick check",
        N_("quick check [customer]"),
        N_("One card with 5 questions: maturity level and workshops in a minute"),
        "quick check Contoso",
        handler=lambda h: h.quick_check.start,
        aliases=("quickcheck", "quick-check", "quick_check"),
        during_flow=DuringFlow.STARTS,
        german="schnellcheck",
        german_aliases=("schnell-check", "schnell check"),
    ),
    Command(
        "assess",
        N_("assess <customer>"),
        N_("Full maturity assessment, one question at a time, with the recommended workshops"),
        "assess Contoso",
        handler=lambda h: h.flows.assess,
        during_flow=DuringFlow.STARTS,
        private=True,
        german="bewerten",
        german_aliases=("bewertung",),
    ),
    Command(
        "commit",
        N_("commit <customer> [form]"),
        N_("Agree the statement of work: workshops, goals with KPIs, success factors, dates"),
        "commit Contoso",
        handler=lambda h: h.flows.commit,
        during_flow=DuringFlow.STARTS,
        private=True,
        german="vereinbaren",
        german_aliases=("vereinbarung",),
    ),
    Command(
        "sow",
        N_("sow <customer>"),
        N_("The statement of work as a card, and as Markdown to paste into a document"),
        "sow Contoso",
        handler=lambda h: h.agreements.show,
        menu=False,
        private=True,
        german="leistungsbeschreibung",
        german_aliases=("lb",),
    ),
    Command(
        "deliver",
        N_("deliver <customer>"),
        N_("Record a delivered workshop or engagement from the statement of work"),
        "deliver Contoso",
        handler=lambda h: h.delivery.deliver,
        private=True,
        german="liefern",
        german_aliases=("lieferung",),
    ),
    Command(
        "ensure",
        N_("ensure <customer>"),
        N_(
            "Check goals against delivery, capture CSAT/NPS and next steps; opens the next "
            "iteration"
        ),
        "ensure Contoso",
        handler=lambda h: h.delivery.ensure,
        private=True,
        german="sicherstellen",
    ),
    Command(
        "status",
        N_("status <customer>"),
        N_(
            "Where a customer stands: phase, level trend, goals, touches, renewal, licenses, "
            "CSAT/NPS"
        ),
        "status Contoso",
        handler=lambda h: h.account.status,
        private=True,
        german="status",
    ),
    Command(
        "stage",
        N_("stage <customer> [land|onboard|adopt|expand|renew|auto] [agent|csm]"),
        N_(
            "Lifecycle stage (set or derived) with its KPIs; set it, or your role: sales agent or "
            "CSM"
        ),
        "stage Contoso adopt",
        handler=lambda h: h.account.stage,
        menu=False,
        private=True,
        german="lebenszyklus",
        german_aliases=("stufe",),
    ),
    Command(
        "plan",
        N_("plan <customer>"),
        N_(
            "Success plan: stakeholders, scenarios, awareness, training, each with status, "
            "owner, gap"
        ),
        "plan Contoso",
        handler=lambda h: h.account.plan,
        aliases=("success plan",),
        menu=False,
        private=True,
        german="erfolgsplan",
    ),
    Command(
        "history",
        N_("history <customer>"),
        N_("Every iteration as a timeline, with the maturity level per iteration"),
        "history Contoso",
        handler=lambda h: h.account.history,
        menu=False,
        private=True,
        german="verlauf",
    ),
    Command(
        "report",
        N_("report <customer>"),
        N_("Proof of execution of the last closed iteration as Markdown"),
        "report Contoso",
        handler=lambda h: h.account.report,
        menu=False,
        private=True,
        german="bericht",
    ),
    Command(
        "touch",
        N_("touch <customer> [call|meeting|mail|chat] <note>"),
        N_("Log a customer touch; check-in reminders count these"),
        "touch Contoso call: renewal on track",
        handler=lambda h: h.account.touch,
        private=True,
        german="kontakt",
    ),
    Command(
        "reminders",
        N_("reminders"),
        N_("What is due and coming up for your customers in the next 30 days"),
        "reminders",
        handler=lambda h: h.reminders.reminders,
        private=True,
        german="erinnerungen",
    ),
    Command(
        "renewal",
        N_("renewal <customer> <date>|done|lost <reason>"),
        N_(
            "Renewal date (checkpoints 15 and 6 months, reminders 90/60/30 days ahead) or its "
            "outcome"
        ),
        "renewal Contoso 2027-06-30",
        handler=lambda h: h.reminders.renewal,
        menu=False,
        private=True,
        german="verlängerung",
        german_aliases=("verlaengerung",),
    ),
    Command(
        "licenses",
        N_("licenses <customer> <licensed> <active> [product]"),
        N_("Record licensed and active users of one product (Azure by default) of a customer"),
        "licenses Contoso 500 320",
        handler=lambda h: h.reminders.licenses,
        menu=False,
        private=True,
        german="lizenzen",
    ),
    Command(
        "pause reminders",
        N_("pause reminders <date>"),
        N_("No reminders until that date; what comes due meanwhile arrives then"),
        "pause reminders until 2026-12-31",
        handler=lambda h: h.reminders.pause,
        menu=False,
        german="erinnerungen pausieren",
    ),
    Command(
        "resume reminders",
        N_("resume reminders"),
        N_("End a pause of your reminders now"),
        "resume reminders",
        handler=lambda h: h.reminders.resume,
        menu=False,
        german="erinnerungen fortsetzen",
    ),
    Command(
        "digest",
        N_("digest <on|off>"),
        N_("One reminder card a day with everything due, or one card per reminder"),
        "digest on",
        handler=lambda h: h.reminders.digest,
        menu=False,
        german="tagesübersicht",
        german_aliases=("tagesuebersicht",),
    ),
    Command(
        "catalog",
        N_("catalog [level]"),
        N_("Browse the workshop catalog, all levels or one"),
        "catalog cloud is an option",
        handler=lambda h: h.catalog,
        menu=False,
        german="katalog",
    ),
    Command(
        "portfolio",
        N_("portfolio [mine] [renewals N] [level <level>] [stage <stage>] [page N]"),
        N_(
            "Your customers riskiest first: health, phase, level, renewal, last touch; KPIs and "
            "charts"
        ),
        "portfolio mine renewals 90",
        handler=lambda h: h.portfolio,
        private=True,
        german="portfolio",
    ),
    Command(
        "health",
        N_("health <customer>"),
        N_("A customer's health score 0-100 with every factor, its weight and what to do next"),
        "health Contoso",
        handler=lambda h: h.health,
        menu=False,
        private=True,
        german="gesundheit",
    ),
    Command(
        "kpis",
        N_("kpis [mine]"),
        N_("Partner KPIs: CSAT this fiscal year, renewal pipeline, customers per phase and level"),
        "kpis",
        handler=lambda h: h.kpis,
        menu=False,
        private=True,
        german="kennzahlen",
    ),
    Command(
        "touches",
        N_("touches <customer>"),
        N_("The customer's logged touches, newest first"),
        "touches Contoso",
        handler=lambda h: h.account.touches,
        menu=False,
        private=True,
        german="kontakte",
    ),
    Command(
        "undo",
        N_("undo <delivery|touch> <customer>"),
        N_("Remove the latest recorded delivery or touch, to record it again corrected"),
        "undo touch Contoso",
        handler=lambda h: h.account.undo,
        menu=False,
        german="rückgängig",
        german_aliases=("rueckgaengig",),
    ),
    Command(
        "brief",
        N_("brief <customer>"),
        N_("30-second call brief: level, phase, goals, touches, health, renewal, 3 talking points"),
        "brief Contoso",
        handler=lambda h: h.briefs.command,
        menu=False,
        private=True,
        german="briefing",
        german_aliases=("kurzinfo",),
    ),
    Command(
        "readiness",
        N_("readiness [new]"),
        N_(
            "Your organisation's customer-success readiness: 5 sections scored 1-5, level, next "
            "steps"
        ),
        "readiness",
        handler=lambda h: h.readiness.command,
        menu=False,
        private=True,
        german="bereitschaft",
    ),
    Command(
        "export",
        N_("export"),
        N_(
            "Your organisation's data as a JSON file, and assessments and goals as CSV (personal "
            "chat)"
        ),
        "export",
        handler=lambda h: h.exchange.export,
        scopes=("personal",),
        menu=False,
        german="exportieren",
    ),
    Command(
        "import",
        N_("import [replace]"),
        N_(
            "Restore an export file attached to the message: checked first, imported all or nothing"
        ),
        "import replace",
        handler=lambda h: h.exchange.import_,
        long_text=True,
        scopes=("personal",),
        menu=False,
        german="importieren",
    ),
    Command(
        "customers",
        N_("customers"),
        N_("The customers of your organisation and their phase"),
        "customers",
        handler=lambda h: h.customers,
        menu=False,
        private=True,
        german="kunden",
    ),
    Command(
        "language",
        N_("language <de|en|auto>"),
        N_("Answer in German or English; auto follows your Teams language (the default)"),
        "language de",
        handler=lambda h: h.languages.command,
        menu=False,
        german="sprache",
    ),
    Command(
        "cancel",
        N_("cancel"),
        N_("Stop the current conversation flow; nothing half-done is saved"),
        "cancel",
        handler=lambda h: h.flows.cancel,
        aliases=("stop", "quit", "exit", "abort"),
        menu=False,
        during_flow=DuringFlow.OTHER,
        german="abbrechen",
    ),
)


_BY_NAME = {name: command for command in COMMANDS for name in command.names()}
# The names by their first word (a line can only start with a name that starts with its first
# word), longest first so "quick check" wins over a hypothetical "quick".
_BY_FIRST_WORD: dict[str, list[str]] = {}
for _name in sorted(_BY_NAME, key=len, reverse=True):
    _BY_FIRST_WORD.setdefault(_name.split(" ", 1)[0], []).append(_name)


def parse_command(text: str) -> ParsedCommand | None:
    """Match the start of `text` (mention already removed) to a command or an alias,
    case-insensitively; a leading slash is ignored ("/help")."""
    line = " ".join(text.split()).removeprefix("/")
    lowered = line.lower()
    for name in _BY_FIRST_WORD.get(lowered.split(" ", 1)[0], ()):
        if lowered == name or lowered.startswith(name + " "):
            return ParsedCommand(_BY_NAME[name], line[len(name) :].strip())
    return None
