"""The phase lifecycle: legal moves advance, illegal ones raise PhaseError naming what is needed."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from engagement.errors import PhaseError
from engagement.lifecycle import (
    agree,
    close_iteration,
    new_customer,
    record_assessment,
    record_commitment,
    record_delivery,
    start_ensure,
)
from engagement.models import (
    AgreementSide,
    Assessment,
    AssessmentKind,
    Commitment,
    Customer,
    Delivery,
    Goal,
    GoalOutcome,
    GoalOwnerSide,
    GoalStatus,
    MaturityLevel,
    Person,
    Phase,
    Review,
)

NOW = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
ADA = Person(id="aad-ada", name="Ada")
CARL = Person(id="aad-carl", name="Carl (Contoso)")


def _customer() -> Customer:
    return new_customer("tenant-a", "contoso", "Contoso", ADA, NOW)


def _assessment(level: MaturityLevel = MaturityLevel.CLOUD_IS_AN_OPTION) -> Assessment:
    return Assessment(
        kind=AssessmentKind.QUICK, answers={}, dimension_scores={}, level=level, by=ADA, at=NOW
    )


def _commitment() -> Commitment:
    goal = Goal(
        id="g1",
        title="Landing zone",
        kpi="Landing zone deployed",
        owner_side=GoalOwnerSide.PARTNER,
        due=date(2027, 1, 31),
    )
    return Commitment(
        workshops=["azure-governance"],
        goals=[goal],
        start=date(2026, 12, 1),
        end=date(2027, 1, 31),
    )


def _delivery() -> Delivery:
    return Delivery(id="d1", workshop_id="azure-governance", on=date(2026, 12, 3), by=ADA, at=NOW)


def _review() -> Review:
    return Review(
        outcomes=[GoalOutcome(goal_id="g1", status=GoalStatus.ACHIEVED)],
        next_steps=["Optimise cost"],
        by=ADA,
        at=NOW,
    )


def test_a_new_customer_starts_in_assess_of_iteration_one() -> None:
    customer = _customer()
    assert (customer.current.number, customer.current.phase) == (1, Phase.ASSESS)


def test_the_full_cycle_opens_the_next_iteration_with_next_steps() -> None:
    customer = _customer()
    assert record_assessment(customer, _assessment(), ["azure-governance"], NOW) is False
    assert customer.current.phase is Phase.COMMIT
    record_commitment(customer, _commitment(), NOW)
    assert agree(customer, AgreementSide.PARTNER, ADA, NOW) is False
    assert customer.current.phase is Phase.COMMIT
    assert agree(customer, AgreementSide.CUSTOMER, CARL, NOW + timedelta(hours=1)) is True
    assert customer.current.phase is Phase.DELIVER
    record_delivery(customer, _delivery(), NOW)
    start_ensure(customer, NOW)
    following = close_iteration(customer, _review(), NOW)
    assert customer.iterations[0].phase is Phase.CLOSED
    assert (following.number, following.phase, following.carried_over) == (
        2,
        Phase.ASSESS,
        ["Optimise cost"],
    )
    record_assessment(customer, _assessment(MaturityLevel.CLOUD_IS_A_SOLUTION), [], NOW)
    assert customer.previous_assessment is not None
    assert customer.previous_assessment.level is MaturityLevel.CLOUD_IS_AN_OPTION


def test_re_assessing_in_commit_replaces_the_draft_and_drops_the_commitment() -> None:
    customer = _customer()
    record_assessment(customer, _assessment(), [], NOW)
    record_commitment(customer, _commitment(), NOW)
    assert record_assessment(customer, _assessment(MaturityLevel.CLOUD_AFFINE), [], NOW) is True
    assert customer.current.commitment is None
    assert customer.current.assessment is not None
    assert customer.current.assessment.level is MaturityLevel.CLOUD_AFFINE


@pytest.mark.parametrize(
    ("move", "attempted", "needed"),
    [
        (lambda c: record_commitment(c, _commitment(), NOW), "commit", "assess the customer"),
        (lambda c: record_delivery(c, _delivery(), NOW), "deliver", "agree the statement"),
        (lambda c: start_ensure(c, NOW), "ensure", "agree the statement"),
        (lambda c: close_iteration(c, _review(), NOW), "close", "record at least one delivery"),
    ],
)
def test_illegal_moves_from_assess_name_the_phase_and_what_is_needed(
    move: object, attempted: str, needed: str
) -> None:
    customer = _customer()
    with pytest.raises(PhaseError) as raised:
        move(customer)  # type: ignore[operator]
    assert raised.value.current is Phase.ASSESS
    assert raised.value.attempted == attempted
    assert needed in raised.value.needed
    assert customer.current.phase is Phase.ASSESS


def test_ensure_needs_a_delivery() -> None:
    customer = _customer()
    record_assessment(customer, _assessment(), [], NOW)
    record_commitment(customer, _commitment(), NOW)
    agree(customer, AgreementSide.PARTNER, ADA, NOW)
    agree(customer, AgreementSide.CUSTOMER, CARL, NOW)
    with pytest.raises(PhaseError, match="record at least one delivery"):
        start_ensure(customer, NOW)


def test_changing_the_commitment_withdraws_earlier_agreements() -> None:
    customer = _customer()
    record_assessment(customer, _assessment(), [], NOW)
    record_commitment(customer, _commitment(), NOW)
    agree(customer, AgreementSide.PARTNER, ADA, NOW)
    record_commitment(customer, _commitment(), NOW)
    assert customer.current.commitment is not None
    assert customer.current.commitment.agreements == []


def test_assessing_is_refused_in_deliver() -> None:
    customer = _customer()
    record_assessment(customer, _assessment(), [], NOW)
    record_commitment(customer, _commitment(), NOW)
    agree(customer, AgreementSide.PARTNER, ADA, NOW)
    agree(customer, AgreementSide.CUSTOMER, CARL, NOW)
    with pytest.raises(PhaseError) as raised:
        record_assessment(customer, _assessment(), [], NOW)
    assert raised.value.current is Phase.DELIVER
