"""User-facing wording of domain errors: the domain carries facts, this module words them."""

from __future__ import annotations

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
from engagement.scoring import InvalidAnswer, NoAnswers

_NEXT_COMMAND = {
    "assess the customer": "assess {customer}",
}


def explain(error: DomainError) -> str:
    """A short, helpful sentence for an expected domain error."""
    if isinstance(error, PhaseError):
        hint = _NEXT_COMMAND.get(error.needed)
        follow = f" Type `{hint.format(customer=error.customer_id)}` to do that." if hint else ""
        return (
            f"{error.customer_id} is in the {error.current.value} phase, so I can't "
            f"{error.attempted} yet: first {error.needed}.{follow}"
        )
    if isinstance(error, CustomerNotFound):
        return (
            f"I don't know a customer called {error.customer_id} in your organisation. "
            "Type `customers` to see the list, or `assess <name>` to add one."
        )
    if isinstance(error, CardAlreadyCounted):
        return (
            f"This card was already counted for {error.customer_id}, so I did not count it "
            "again. Type `quick check` for a new one."
        )
    if isinstance(error, CustomerAlreadyExists):
        return f"A customer with the id {error.customer_id} already exists."
    if isinstance(error, InvalidCustomerName):
        return f"That customer name does not work: it is {error.reason}."
    if isinstance(error, InvalidAnswer):
        return (
            "That card's answers don't match the current questionnaire (it may be from an older "
            "version), so I did not count them. Type `quick check` for a fresh card."
        )
    if isinstance(error, NoAnswers):
        return "There were no answers to score."
    if isinstance(error, ConcurrencyConflict):
        return "Someone changed this customer at the same moment. Please try that again."
    return "That did not work: " + str(error)


def date_problem(error: DateNotUnderstood) -> str:
    """What to type instead of a date that was not understood."""
    return (
        f"I can't read {error.text!r} as a date. Try 2026-12-31, 31.12.2026, Dec 31 2026 or "
        "'in 3 weeks'."
    )
