"""Phase lifecycle: assess -> commit -> deliver -> ensure -> closed, next iteration at assess.

Every move checks the current phase and raises PhaseError naming what is needed first.
Functions change the Customer in place and stamp `updated_at`; the caller saves it.
"""

from __future__ import annotations

from datetime import datetime

from engagement.errors import PhaseError
from engagement.models import (
    Agreement,
    AgreementSide,
    Assessment,
    Commitment,
    Contact,
    Customer,
    Delivery,
    Iteration,
    Person,
    Phase,
    Review,
    Touch,
    TouchKind,
)
from i18n import N_, _

MAX_TOUCHES = 500  # oldest touches beyond this are dropped; reminders need only the latest
DELIVERY_TOUCH = "workshop delivered"
REVIEW_TOUCH = "ensure review"
QUICK_CHECK_TOUCH = "quick check"
AUTOMATIC_TOUCHES = frozenset({DELIVERY_TOUCH, REVIEW_TOUCH, QUICK_CHECK_TOUCH})
# Stored as the role of a contact the statement of work named; worded when shown.
SOW_CONTACT_ROLE = N_("customer contact (statement of work)")
MAX_SET_ASIDE = 10  # assessments kept beside the one in use, per iteration

# What must happen before a phase can be entered, worded as a fact for PhaseError.needed.
_NEEDED_BEFORE = {
    Phase.COMMIT: "assess the customer",
    Phase.DELIVER: "agree the statement of work on both sides",
    Phase.ENSURE: "record at least one delivery",
    Phase.CLOSED: "complete the ensure review",
}


def contact_role_text(role: str) -> str:
    """A contact's role as shown: the one the bot stores in the turn's language, else as typed."""
    return _(SOW_CONTACT_ROLE) if role == SOW_CONTACT_ROLE else role


def new_customer(
    tenant_id: str, customer_id: str, name: str, owner: Person, now: datetime
) -> Customer:
    """A new customer with its first iteration open in assess."""
    return Customer(
        tenant_id=tenant_id,
        id=customer_id,
        name=name,
        owner=owner,
        iterations=[Iteration(number=1, started_at=now, phase_changed_at=now)],
        created_at=now,
        updated_at=now,
    )


def _move(customer: Customer, phase: Phase, now: datetime) -> None:
    customer.current.phase = phase
    customer.current.phase_changed_at = now
    customer.updated_at = now


def _require(customer: Customer, attempted: str, *allowed: Phase, needed: str) -> Iteration:
    iteration = customer.current
    if iteration.phase not in allowed:
        raise PhaseError(customer.id, iteration.phase, attempted, needed)
    return iteration


def record_assessment(
    customer: Customer, assessment: Assessment, recommendations: list[str], now: datetime
) -> bool:
    """Store the assessment on the open iteration and move it to commit.

    Re-assessing in assess or commit replaces the draft (and an unagreed commitment).
    Returns True when an earlier assessment of this iteration was replaced.
    """
    iteration = _assessable(customer)
    replaced = iteration.assessment is not None
    if iteration.assessment is not None:
        _keep_aside(iteration, iteration.assessment)
    iteration.set_aside = [a for a in iteration.set_aside if a != assessment]
    iteration.assessment = assessment
    iteration.recommendations = list(recommendations)
    iteration.commitment = None
    _move(customer, Phase.COMMIT, now)
    return replaced


def set_aside_assessment(customer: Customer, assessment: Assessment, now: datetime) -> None:
    """Keep an assessment on the open iteration without making it the basis of its level (a
    quick check beside a full assessment: only the user replaces a full assessment by it)."""
    iteration = _assessable(customer)
    _keep_aside(iteration, assessment)
    customer.updated_at = now


def _assessable(customer: Customer) -> Iteration:
    return _require(
        customer,
        "assess",
        Phase.ASSESS,
        Phase.COMMIT,
        needed="finish the current iteration (assessing is possible in assess and commit)",
    )


def _keep_aside(iteration: Iteration, assessment: Assessment) -> None:
    iteration.set_aside = [*iteration.set_aside, assessment][-MAX_SET_ASIDE:]


def log_touch(customer: Customer, touch: Touch) -> None:
    """Add a customer touch (the oldest beyond MAX_TOUCHES are dropped)."""
    customer.touches = [*customer.touches, touch][-MAX_TOUCHES:]
    customer.updated_at = max(customer.updated_at, touch.at)


def record_commitment(customer: Customer, commitment: Commitment, now: datetime) -> None:
    """Store (or replace) the statement of work; earlier agreements no longer hold."""
    iteration = _require(customer, "commit", Phase.COMMIT, needed=_NEEDED_BEFORE[Phase.COMMIT])
    if iteration.assessment is None:
        raise PhaseError(customer.id, iteration.phase, "commit", _NEEDED_BEFORE[Phase.COMMIT])
    iteration.commitment = commitment.model_copy(update={"agreements": []})
    contact = commitment.customer_contact
    if contact and all(c.name.casefold() != contact.casefold() for c in customer.contacts):
        customer.contacts = [*customer.contacts, Contact(name=contact, role=SOW_CONTACT_ROLE)]
    customer.updated_at = now


def agree(customer: Customer, side: AgreementSide, by: Person, now: datetime) -> bool:
    """Record one side's agreement; moves to deliver once both sides agreed. Returns True then."""
    iteration = _require(customer, "agree", Phase.COMMIT, needed="be in the commit phase")
    if iteration.commitment is None:
        raise PhaseError(customer.id, iteration.phase, "agree", "enter the statement of work")
    others = [a for a in iteration.commitment.agreements if a.side != side]
    iteration.commitment.agreements = [*others, Agreement(side=side, by=by, at=now)]
    customer.updated_at = now
    if {a.side for a in iteration.commitment.agreements} == set(AgreementSide):
        _move(customer, Phase.DELIVER, now)
        return True
    return False


def record_delivery(customer: Customer, delivery: Delivery, now: datetime) -> None:
    """Log a delivered workshop in the deliver phase."""
    iteration = _require(customer, "deliver", Phase.DELIVER, needed=_NEEDED_BEFORE[Phase.DELIVER])
    iteration.deliveries = [*iteration.deliveries, delivery]
    customer.updated_at = now
    # a delivery is a customer touch (seed 003: at least two a month), dated on its day
    on = min(now, datetime.combine(delivery.on, now.timetz()))
    log_touch(customer, Touch(at=on, by=delivery.by, kind=TouchKind.MEETING, note=DELIVERY_TOUCH))


def undo_latest_delivery(customer: Customer, now: datetime) -> Delivery:
    """Remove the latest recorded delivery (to correct it: undo, then record it again); only in
    the deliver phase, where nothing builds on it yet."""
    iteration = _require(
        customer, "undo a delivery", Phase.DELIVER, needed="be in the deliver phase"
    )
    if not iteration.deliveries:
        raise PhaseError(customer.id, iteration.phase, "undo a delivery", "record a delivery")
    latest = iteration.deliveries[-1]  # deliveries are appended as they are recorded
    iteration.deliveries = iteration.deliveries[:-1]
    customer.updated_at = now
    return latest


def start_ensure(customer: Customer, now: datetime) -> None:
    """Move from deliver to ensure once something was delivered."""
    iteration = _require(
        customer, "ensure", Phase.DELIVER, Phase.ENSURE, needed=_NEEDED_BEFORE[Phase.DELIVER]
    )
    if not iteration.deliveries:
        raise PhaseError(customer.id, iteration.phase, "ensure", _NEEDED_BEFORE[Phase.ENSURE])
    _move(customer, Phase.ENSURE, now)


def close_iteration(customer: Customer, review: Review, now: datetime) -> Iteration:
    """Close the iteration with its review and open the next one at assess, carrying next steps."""
    iteration = _require(customer, "close", Phase.ENSURE, needed=_NEEDED_BEFORE[Phase.ENSURE])
    iteration.review = review
    if review.success_factors is not None and iteration.commitment is not None:
        iteration.commitment.success_factors = review.success_factors  # the plan goes on
    iteration.closed_at = now
    log_touch(customer, Touch(at=now, by=review.by, kind=TouchKind.MEETING, note=REVIEW_TOUCH))
    _move(customer, Phase.CLOSED, now)
    following = Iteration(
        number=iteration.number + 1,
        started_at=now,
        phase_changed_at=now,
        carried_over=list(review.next_steps),
    )
    customer.iterations = [*customer.iterations, following]
    return following
