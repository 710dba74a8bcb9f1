"""Words and numbers the domain's texts share, in the turn's language (issue 18): days, dates,
decimals, phases, touch kinds and the notes the bot logs itself.

The record stores codes (`Phase.ASSESS`, `TouchKind.CALL`, the automatic touch notes); these
functions word them when shown. English output is what it always was (`02 Nov 2026`, `4.7`).
"""

from __future__ import annotations

from datetime import date, datetime

from engagement.models import Phase, TouchKind
from i18n import N_, _, ngettext
from i18n.formats import format_date, format_fixed, format_number, format_percent

_PHASES = {  # the phases by the names of their commands (German: bewerten, vereinbaren, ...)
    Phase.ASSESS: N_("assess"),
    Phase.COMMIT: N_("commit"),
    Phase.DELIVER: N_("deliver"),
    Phase.ENSURE: N_("ensure"),
    Phase.CLOSED: N_("closed"),
}
_TOUCH_KINDS = {
    TouchKind.CALL: N_("call"),
    TouchKind.MEETING: N_("meeting"),
    TouchKind.MAIL: N_("mail"),
    TouchKind.CHAT: N_("chat"),
    TouchKind.OTHER: N_("other"),
}
# The notes of the touches the bot logs itself (engagement/lifecycle.py stores them as written).
_AUTOMATIC_NOTES = {
    "workshop delivered": N_("workshop delivered"),
    "ensure review": N_("ensure review"),
    "quick check": N_("quick check"),
}


def day_text(day: date | datetime) -> str:
    """`02 Nov 2026` / `02. Nov. 2026`."""
    # TRANSLATORS: a Babel (CLDR) date pattern: dd day, MMM month abbreviated, yyyy year.
    return format_date(day, _("dd MMM yyyy"))


def days_text(count: int) -> str:
    """`1 day`, `14 days`, `1,200 days` / `1 Tag`, `14 Tage`, `1.200 Tage`."""
    return ngettext("{n} day", "{n} days", abs(count)).format(n=format_number(count, 0))


def count_text(count: int) -> str:
    """A whole number grouped in the turn's language: `1,234` / `1.234`."""
    return format_number(count, 0)


def decimal_text(value: float, decimals: int = 1) -> str:
    """A number with exactly `decimals` decimals: `4.7`, `5.0` / `4,7`, `5,0`."""
    return format_fixed(value, decimals)


def percent_text(ratio: float) -> str:
    """`75%` / `75 %` for 0.75."""
    return format_percent(ratio)


def phase_word(phase: Phase) -> str:
    """The phase by its command's name: `assess` / `bewerten`."""
    return _(_PHASES[phase])


def touch_kind_word(kind: TouchKind) -> str:
    """`call` / `Anruf`."""
    return _(_TOUCH_KINDS[kind])


def touch_note_text(note: str) -> str:
    """A touch's note as shown: the bot's own notes in the turn's language, the user's as typed."""
    return _(_AUTOMATIC_NOTES[note]) if note in _AUTOMATIC_NOTES else note
