"""User-facing wording of domain errors: the domain carries facts, this module words them in the
turn's language."""

from __future__ import annotations

from datetime import date, datetime

from engagement.dates import DateNotUnderstood
from engagement.errors import (
    CardAlreadyCounted,
    ConcurrencyConflict,
    CustomerAlreadyExists,
    CustomerNotFound,
    DomainError,
    InvalidCustomerName,
    PhaseError,
)
from engagement.models import Phase
from engagement.scoring import InvalidAnswer, NoAnswers
from i18n import N_, _
from i18n.formats import format_date, format_fixed

_NEXT_COMMAND = {
    "assess the customer": N_("assess {customer}"),
}
# The phases by the names of their commands (German: bewerten, vereinbaren, liefern, ...).
_PHASES = {
    Phase.ASSESS: N_("assess"),
    Phase.COMMIT: N_("commit"),
    Phase.DELIVER: N_("deliver"),
    Phase.ENSURE: N_("ensure"),
    Phase.CLOSED: N_("closed"),
}
# What the domain says was attempted or is needed first (engagement/lifecycle.py), worded here.
_STEPS = {
    step: step
    for step in (
        N_("commit"),
        N_("agree"),
        N_("deliver"),
        N_("ensure"),
        N_("close"),
        N_("undo a delivery"),
        N_("record a delivery"),
        N_("assess the customer"),
        N_("assess"),
        N_("be in the commit phase"),
        N_("be in the deliver phase"),
        N_("finish the current iteration (assessing is possible in assess and commit)"),
        N_("enter the statement of work"),
        N_("agree the statement of work on both sides"),
        N_("record at least one delivery"),
        N_("complete the ensure review"),
    )
}
_NAME_PROBLEMS = {
    "empty": N_("empty"),
    "needs at least one letter or digit": N_("needs at least one letter or digit"),
}


def phase_name(phase: Phase) -> str:
    """The phase's name in the turn's language (`assess` / `bewerten`)."""
    return _(_PHASES[phase])


def _step(text: str) -> str:
    return _(_STEPS[text]) if text in _STEPS else text


def name_problem(error: InvalidCustomerName) -> str:
    """Why a customer name does not work ("empty", "longer than 100 characters")."""
    if error.reason in _NAME_PROBLEMS:
        return _(_NAME_PROBLEMS[error.reason])
    if error.reason.startswith("longer than "):
        return _("longer than {limit} characters").format(
            limit=error.reason.removeprefix("longer than ").split()[0]
        )
    return error.reason


def explain(error: DomainError) -> str:
    """A short, helpful sentence for an expected domain error."""
    if isinstance(error, PhaseError):
        hint = _NEXT_COMMAND.get(error.needed)
        follow = (
            _(" Type `{command}` to do that.").format(
                command=_(hint).format(customer=error.customer_id)
            )
            if hint
            else ""
        )
        return (
            _(
                "{customer} is in the {phase} phase, so I can't {attempted} yet: first {needed}."
            ).format(
                customer=error.customer_id,
                phase=phase_name(error.current),
                attempted=_step(error.attempted),
                needed=_step(error.needed),
            )
            + follow
        )
    if isinstance(error, CustomerNotFound):
        return _(
            "I don't know a customer called {customer} in your organisation. "
            "Type `customers` to see the list, or `assess <name>` to add one."
        ).format(customer=error.customer_id)
    if isinstance(error, CardAlreadyCounted):
        return _(
            "This card was already counted for {customer}, so I did not count it "
            "again. Type `quick check` for a new one."
        ).format(customer=error.customer_id)
    if isinstance(error, CustomerAlreadyExists):
        return _("A customer with the id {customer} already exists.").format(
            customer=error.customer_id
        )
    if isinstance(error, InvalidCustomerName):
        return _("That customer name does not work: it is {reason}.").format(
            reason=name_problem(error)
        )
    if isinstance(error, InvalidAnswer):
        return _(
            "That card's answers don't match the current questionnaire (it may be from an older "
            "version), so I did not count them. Type `quick check` for a fresh card."
        )
    if isinstance(error, NoAnswers):
        return _("There were no answers to score.")
    if isinstance(error, ConcurrencyConflict):
        return _("Someone changed this customer at the same moment. Please try that again.")
    return _("That did not work: {error}").format(error=error)


def date_problem(error: DateNotUnderstood) -> str:
    """What to type instead of a date that was not understood."""
    return _(
        "I can't read {text} as a date. Try 2026-12-31, 31.12.2026, Dec 31 2026 or 'in 3 weeks'."
    ).format(text=repr(error.text))


def day_text(day: date | datetime) -> str:
    """`04 Dec 2026` / `04. Dez. 2026`."""
    # TRANSLATORS: a Babel (CLDR) date pattern: dd day, MMM month abbreviated, yyyy year.
    return format_date(day, _("dd MMM yyyy"))


def weekday_text(day: date) -> str:
    """`Mon 2 Nov 2026` / `Mo., 2. Nov. 2026`."""
    # TRANSLATORS: a Babel (CLDR) date pattern: EEE weekday abbreviated, d day, MMM month.
    return format_date(day, _("EEE d MMM yyyy"))


def score_text(value: float) -> str:
    """A score with two decimals: `2.50` / `2,50`."""
    return format_fixed(value)
