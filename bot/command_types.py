"""The shapes of the routing table (`bot.commands`): a command and a parsed line.

Kept apart from the table itself so the table stays one readable list.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, TypeVar

from botbuilder.core import TurnContext

from i18n import GERMAN, current_language

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
    usage: str  # shown in help: "assess <customer>" (translated: starts with the German name)
    description: str  # one line, <= 128 characters (Teams commandLists limit); translated
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
    # The German name ("schnellcheck") and other German spellings; every user may type any name.
    german: str = ""
    german_aliases: tuple[str, ...] = ()

    def names(self) -> tuple[str, ...]:
        """Every name that runs this command, in both languages."""
        names = (self.name, self.german, *self.aliases, *self.german_aliases)
        return tuple(dict.fromkeys(name for name in names if name))

    def shown_name(self) -> str:
        """The name in the turn's language (German users see the German one)."""
        return self.german if current_language() == GERMAN and self.german else self.name


@dataclass(frozen=True)
class ParsedCommand:
    """A command and the rest of the line."""

    command: Command
    argument: str
