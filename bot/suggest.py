"""The answer to text that is no command: one short line, the closest commands, a Help button."""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from typing import Any

from cards.forms import Button, FormView, form_card
from cards.text import escape_markdown
from i18n import _

MAX_SUGGESTIONS = 2
_HELP = {"help", "hilfe"}  # the Help button is always there
_CUTOFF = 0.6
_QUOTED = 60


def closest_commands(text: str, names: Sequence[str]) -> list[str]:
    """Commands close to a mistyped one, with what followed it: "stauts Fabrikam" gives
    ["status Fabrikam"]. Names may have two words ("quick check"); nothing close gives []."""
    words = text.split()
    found: list[str] = []
    for count in (2, 1):
        if len(words) < count:
            continue
        typed = " ".join(words[:count]).lower()
        # Same first letter (people rarely mistype it; "what" is not "health"); the Help button
        # is always there, so `help` is never suggested.
        candidates = [
            n for n in names if len(n.split()) == count and n[0] == typed[0] and n not in _HELP
        ]
        rest = " ".join(words[count:])
        for name in difflib.get_close_matches(typed, candidates, MAX_SUGGESTIONS, _CUTOFF):
            suggestion = f"{name} {rest}".strip()
            if suggestion not in found:
                found.append(suggestion)
    return found[:MAX_SUGGESTIONS]


def unknown_text_line(text: str, suggestions: Sequence[str]) -> str:
    """One line: what was not understood, and the closest commands if any."""
    shown = " ".join(text.split())
    if len(shown) > _QUOTED:
        shown = shown[: _QUOTED - 1] + "…"
    quoted = escape_markdown(shown)
    if not suggestions:
        return _('Sorry, I don\'t know "{text}". Type `help` for what I can do.').format(
            text=quoted
        )
    spans = [f"`{s.replace('`', '')}`" for s in suggestions]  # user text in a code span
    if len(spans) == 1:
        return _('Sorry, I don\'t know "{text}". Did you mean {command}?').format(
            text=quoted, command=spans[0]
        )
    return _('Sorry, I don\'t know "{text}". Did you mean {first} or {second}?').format(
        text=quoted, first=spans[0], second=spans[1]
    )


def unknown_text_card(suggestions: Sequence[str], run_command: str) -> dict[str, Any]:
    """A card of buttons: each suggestion runs as typed, and Help."""
    buttons = [
        Button(s, {"action": run_command, "command": s, "argument": ""}, validate=False)
        for s in suggestions
    ]
    help_data: dict[str, object] = {"action": run_command, "command": "help", "argument": ""}
    buttons.append(Button(_("Help"), help_data, validate=False, positive=not suggestions))
    title = (
        _("Tap to run it, or see every command")
        if suggestions
        else _("Every command, with examples")
    )
    return form_card(FormView(title=title, fields=[], buttons=buttons))
