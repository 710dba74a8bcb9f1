"""Checks that must hold on the very copy being saved (change() may re-read a newer customer)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from dialogs.commit import agreement
from dialogs.commit.commit_views import revision
from dialogs.common.card_actions import AgreeSubmit
from dialogs.deliver import delivery
from engagement.lifecycle import agree, new_customer, record_assessment, record_commitment
from engagement.models import (
    AgreementSide,
    Assessment,
    AssessmentKind,
    Commitment,
    Customer,
    Delivery,
    Goal,
    GoalOwnerSide,
    MaturityLevel,
    Person,
)

NOW = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
ADA = Person(id="ada", name="Ada")


def _committed() -> Customer:
    customer = new_customer("t", "contoso", "Contoso", ADA, NOW)
    assessment = Assessment(
        kind=AssessmentKind.QUICK,
        answers={},
        dimension_scores={},
        level=MaturityLevel.CLOUD_AFFINE,
        by=ADA,
        at=NOW,
    )
    record_assessment(customer, assessment, [], NOW)
    goal = Goal(id="g1", title="t", kpi="k", owner_side=GoalOwnerSide.PARTNER, due=date(2027, 1, 1))
    record_commitment(
        customer,
        Commitment(workshops=["w"], goals=[goal], start=date(2026, 12, 1), end=date(2027, 1, 1)),
        NOW,
    )
    return customer


def test_an_agreement_on_a_statement_that_changed_meanwhile_is_refused() -> None:
    customer = _committed()
    assert customer.current.commitment is not None
    card = AgreeSubmit(
        action="agree_sow",
        customer=customer.id,
        iteration=1,
        revision=revision(customer.current.commitment),
    )
    changed = customer.current.commitment.model_copy(update={"customer_contact": "someone else"})
    record_commitment(customer, changed, NOW)
    with pytest.raises(agreement._Outdated):
        agreement._agree(card, AgreementSide.PARTNER, ADA, NOW, customer)


def test_a_delivery_card_is_recorded_once_even_when_applied_twice() -> None:
    customer = _committed()
    agree(customer, AgreementSide.PARTNER, ADA, NOW)
    agree(customer, AgreementSide.CUSTOMER, ADA, NOW)
    record = Delivery(id="card-1", workshop_id="w", on=date(2026, 11, 2), by=ADA, at=NOW)
    delivery._record_once(record, NOW, customer)
    with pytest.raises(delivery._AlreadyRecorded):
        delivery._record_once(record, NOW, customer)
    assert len(customer.current.deliveries) == 1
