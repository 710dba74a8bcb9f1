"""The command table: one source for routing, help, the README and the manifest's commandLists."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

SCOPES_ALL = ("personal", "team", "groupChat")


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
    scopes: tuple[str, ...] = SCOPES_ALL
    # Teams' command menu shows at most 10 commands per scope; the rest are in `help`.
    menu: bool = True
    during_flow: DuringFlow = DuringFlow.IN_PASSING
    # Answers that hold account data go to the asker privately when asked in a shared chat.
    private: bool = False


COMMANDS: tuple[Command, ...] = (
    Command(
        "help",
        "help",
        "What the bot does, the four phases and every command",
        "help",
        during_flow=DuringFlow.OTHER,
    ),
    Command(
        "quick check",
        "quick check [customer]",
        "One card with 5 questions: maturity level and workshops in a minute",
        "quick check Contoso",
        during_flow=DuringFlow.STARTS,
    ),
    Command(
        "assess",
        "assess <customer>",
        "Full maturity assessment, one question at a time, with the recommended workshops",
        "assess Contoso",
        during_flow=DuringFlow.STARTS,
    ),
    Command(
        "commit",
        "commit <customer> [form]",
        "Agree the statement of work: workshops, goals with KPIs, success factors, dates",
        "commit Contoso",
        during_flow=DuringFlow.STARTS,
    ),
    Command(
        "sow",
        "sow <customer>",
        "The statement of work as a card, and as Markdown to paste into a document",
        "sow Contoso",
        menu=False,
        private=True,
    ),
    Command(
        "deliver",
        "deliver <customer>",
        "Record a delivered workshop or engagement from the statement of work",
        "deliver Contoso",
        private=True,
    ),
    Command(
        "ensure",
        "ensure <customer>",
        "Check goals against delivery, capture CSAT/NPS and next steps; opens the next iteration",
        "ensure Contoso",
        private=True,
    ),
    Command(
        "status",
        "status <customer>",
        "Where a customer stands: phase, level trend, goals, touches, renewal, licenses, CSAT/NPS",
        "status Contoso",
        private=True,
    ),
    Command(
        "history",
        "history <customer>",
        "Every iteration as a timeline, with the maturity level per iteration",
        "history Contoso",
        menu=False,
        private=True,
    ),
    Command(
        "report",
        "report <customer>",
        "Proof of execution of the last closed iteration as Markdown",
        "report Contoso",
        menu=False,
        private=True,
    ),
    Command(
        "touch",
        "touch <customer> [call|meeting|mail|chat] <note>",
        "Log a customer touch; check-in reminders count these",
        "touch Contoso call: renewal on track",
        private=True,
    ),
    Command(
        "reminders",
        "reminders",
        "What is due and coming up for your customers in the next 30 days",
        "reminders",
        private=True,
    ),
    Command(
        "renewal",
        "renewal <customer> <date>",
        "Set a customer's renewal date; you are reminded 90, 60 and 30 days ahead",
        "renewal Contoso 2027-06-30",
        menu=False,
        private=True,
    ),
    Command(
        "licenses",
        "licenses <customer> <licensed> <active>",
        "Record licensed and active Azure users of a customer",
        "licenses Contoso 500 320",
        menu=False,
        private=True,
    ),
    Command(
        "pause reminders",
        "pause reminders <date>",
        "No reminders until that date; what comes due meanwhile arrives then",
        "pause reminders until 2026-12-31",
        menu=False,
    ),
    Command(
        "resume reminders",
        "resume reminders",
        "End a pause of your reminders now",
        "resume reminders",
        menu=False,
    ),
    Command(
        "digest",
        "digest <on|off>",
        "One reminder card a day with everything due, or one card per reminder",
        "digest on",
        menu=False,
    ),
    Command(
        "catalog",
        "catalog [level]",
        "Browse the workshop catalog, all levels or one",
        "catalog cloud is an option",
        menu=False,
    ),
    Command(
        "portfolio",
        "portfolio [mine] [renewals N] [level <level>] [page N]",
        "Your customers riskiest first: health, phase, level, renewal, last touch; KPIs and charts",
        "portfolio mine renewals 90",
        private=True,
    ),
    Command(
        "health",
        "health <customer>",
        "A customer's health score 0-100 with every factor, its weight and what to do next",
        "health Contoso",
        menu=False,
        private=True,
    ),
    Command(
        "kpis",
        "kpis [mine]",
        "Partner KPIs: CSAT this fiscal year, renewal pipeline, customers per phase and level",
        "kpis",
        menu=False,
        private=True,
    ),
    Command(
        "brief",
        "brief <customer>",
        "30-second call brief: level, phase, goals, touches, health, renewal, 3 talking points",
        "brief Contoso",
        menu=False,
        private=True,
    ),
    Command(
        "readiness",
        "readiness [new]",
        "Your organisation's customer-success readiness: 5 sections scored 1-5, level, next steps",
        "readiness",
        menu=False,
        private=True,
    ),
    Command(
        "export",
        "export",
        "Your organisation's data as a JSON file, and assessments and goals as CSV (personal chat)",
        "export",
        scopes=("personal",),
        menu=False,
    ),
    Command(
        "import",
        "import [replace]",
        "Restore an export file attached to the message: checked first, imported all or nothing",
        "import replace",
        scopes=("personal",),
        menu=False,
    ),
    Command(
        "customers",
        "customers",
        "The customers of your organisation and their phase",
        "customers",
        menu=False,
        private=True,
    ),
    Command(
        "cancel",
        "cancel",
        "Stop the current conversation flow; nothing half-done is saved",
        "cancel",
        menu=False,
        during_flow=DuringFlow.OTHER,
    ),
)

_BY_NAME = {command.name: command for command in COMMANDS}
# Longest names first so "quick check" wins over a hypothetical "quick".
_NAMES = sorted(_BY_NAME, key=len, reverse=True)


@dataclass(frozen=True)
class ParsedCommand:
    """A command and the rest of the line."""

    command: Command
    argument: str


_ALIASES = re.compile(r"^/?(quick[-_ ]?check)\b", re.IGNORECASE)


def parse_command(text: str) -> ParsedCommand | None:
    """Match the start of `text` (mention already removed) to a command, case-insensitively.

    Forgiving spellings people type also match: "/help", "quickcheck", "quick-check".
    """
    line = _ALIASES.sub("quick check", " ".join(text.split()).removeprefix("/"))
    lowered = line.lower()
    for name in _NAMES:
        if lowered == name or lowered.startswith(name + " "):
            return ParsedCommand(_BY_NAME[name], line[len(name) :].strip())
    return None
