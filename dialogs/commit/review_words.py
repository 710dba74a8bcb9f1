"""What a user types at the statement of work's review: the parts' names and the words for
confirm, edit and skip, in English and German (for everyone), and the review's instructions."""

from __future__ import annotations

from i18n import N_

PARTS = (
    ("workshops", N_("Workshops")),
    ("goals", N_("Goals")),
    ("factors", N_("Success factors")),
    ("period", N_("Dates and contact")),
)
# The parts' German names, for `bearbeiten ziele` typed by anyone (titles match by their start).
_PART_WORDS = {
    "workshops": ("workshops",),
    "goals": ("ziele",),
    "factors": ("erfolgsfaktoren", "faktoren"),
    "period": ("termine und kontakt", "daten", "kontakt"),
}
CONFIRM_WORDS = frozenset({"confirm", "yes", "bestätigen", "bestaetigen", "ja"})
EDIT_WORDS = ("edit", "bearbeiten", "ändern", "aendern")
SKIP_WORDS = frozenset({"skip", "überspringen", "ueberspringen"})
REVIEW_INTRO = N_(
    "Here is the draft. Confirm it, or edit one part. Or type confirm, edit and a part (edit "
    "workshops, edit goals, edit success factors, edit dates), or cancel."
)
REVIEW_PROBLEM = N_(
    "Press Confirm, or pick a part and press Edit. Or type confirm, edit and a part (edit "
    "workshops, edit goals, edit success factors, edit dates), or cancel."
)


def part_named(typed: str) -> str | None:
    """The part of the statement of work a typed name or number means ("goals", "2", "dates")."""
    words = typed.casefold().split()
    if not words:
        return None
    text = " ".join(words)
    for number, (part, title) in enumerate(PARTS, start=1):
        names = (title.casefold(), *_PART_WORDS[part])
        if text in (str(number), part) or any(name.startswith(text) for name in names):
            return part
    return None
