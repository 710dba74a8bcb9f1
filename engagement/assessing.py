"""Use case: score answers, store the assessment on the customer's open iteration, recommend."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from engagement.catalog import Catalog, Workshop
from engagement.customers import change
from engagement.errors import CardAlreadyCounted, CustomerAlreadyExists, CustomerNotFound
from engagement.lifecycle import (
    QUICK_CHECK_TOUCH,
    log_touch,
    new_customer,
    record_assessment,
    set_aside_assessment,
)
from engagement.models import (
    Assessment,
    AssessmentKind,
    Customer,
    MaturityLevel,
    Person,
    Touch,
    TouchKind,
)
from engagement.naming import clean_customer_name, customer_id_for
from engagement.ports import CustomerRepository
from engagement.recommendations import recommend
from engagement.scoring import ScoreResult, score


@dataclass(frozen=True)
class Evaluation:
    """A scored answer set with its recommendations, saved or not."""

    result: ScoreResult
    workshops: list[Workshop]
    previous_level: MaturityLevel | None = None


@dataclass(frozen=True)
class SavedAssessment:
    """What storing an assessment did."""

    customer: Customer
    assessment: Assessment
    evaluation: Evaluation
    created: bool
    replaced: bool
    set_aside: bool = False  # kept beside a full assessment, which stays the basis of the level


def evaluate(
    catalog: Catalog, answers: Mapping[str, str], previous_level: MaturityLevel | None = None
) -> Evaluation:
    """Score answers and pick workshops, without storing anything (an unsaved quick check)."""
    result = score(catalog.questionnaire, answers)
    workshops = recommend(catalog, result.level, previous_level=previous_level)
    return Evaluation(result=result, workshops=workshops, previous_level=previous_level)


async def save_assessment(
    repository: CustomerRepository,
    catalog: Catalog,
    *,
    tenant_id: str,
    customer_name: str,
    answers: Mapping[str, str],
    kind: AssessmentKind,
    by: Person,
    now: datetime,
    create_if_missing: bool,
    replace_full: bool = False,
    card: str | None = None,
) -> SavedAssessment:
    """Score `answers` and store them on the customer's open iteration (moving it to commit).

    Creates the customer first when `create_if_missing`; otherwise a missing customer raises
    CustomerNotFound. Domain errors (PhaseError, InvalidAnswer) propagate for the dialog to word.
    A quick check never replaces a full assessment of the same iteration unless `replace_full`:
    it is kept beside it (`set_aside`), and the full assessment stays the basis of the level.
    `card` names the card instance submitted: a card whose answers the customer already holds
    (in use or kept beside) raises CardAlreadyCounted, wherever it was pressed.
    """
    name = clean_customer_name(customer_name)
    customer_id = customer_id_for(name)
    created = False
    if await repository.get(tenant_id, customer_id) is None:
        if not create_if_missing:
            raise CustomerNotFound(tenant_id, customer_id)
        try:
            await repository.add(new_customer(tenant_id, customer_id, name, by, now))
            created = True
        except CustomerAlreadyExists:  # created by a concurrent turn meanwhile: assess that one
            pass

    def apply(customer: Customer) -> tuple[Assessment, Evaluation, bool, bool]:
        if card and any(
            held.card == card
            for it in customer.iterations
            for held in (*([it.assessment] if it.assessment else []), *it.set_aside)
        ):
            raise CardAlreadyCounted(customer.id, card)
        previous = customer.previous_assessment
        evaluation = evaluate(catalog, answers, previous.level if previous else None)
        assessment = Assessment(
            kind=kind,
            answers=dict(answers),
            dimension_scores=dict(evaluation.result.dimension_scores),
            level=evaluation.result.level,
            reasons=list(evaluation.result.reasons),
            by=by,
            at=now,
            card=card,
        )
        if kind is AssessmentKind.QUICK:  # a quick check is asked during a call: a touch
            log_touch(customer, Touch(at=now, by=by, kind=TouchKind.CALL, note=QUICK_CHECK_TOUCH))
        basis = customer.current.assessment
        quick_over_full = (
            kind is AssessmentKind.QUICK and basis is not None and basis.kind is AssessmentKind.FULL
        )
        if quick_over_full and not replace_full:
            set_aside_assessment(customer, assessment, now)
            return assessment, evaluation, False, True
        replaced = record_assessment(
            customer, assessment, [workshop.id for workshop in evaluation.workshops], now
        )
        return assessment, evaluation, replaced, False

    saved, (assessment, evaluation, replaced, aside) = await change(
        repository, tenant_id, customer_id, apply
    )
    return SavedAssessment(saved, assessment, evaluation, created, replaced, aside)


async def use_set_aside(
    repository: CustomerRepository,
    catalog: Catalog,
    *,
    tenant_id: str,
    customer_id: str,
    iteration: int,
    assessed_at: datetime,
    now: datetime,
    kind: AssessmentKind = AssessmentKind.QUICK,
) -> SavedAssessment | None:
    """Make an assessment kept beside the one in use the basis of the level (the one in use is
    kept beside it in turn). None when there is no such assessment (used already, or the
    iteration moved on)."""

    def apply(customer: Customer) -> tuple[Assessment, Evaluation, bool] | None:
        current = customer.current
        chosen = next(
            (a for a in current.set_aside if a.at == assessed_at and a.kind is kind), None
        )
        if current.number != iteration or chosen is None:
            return None
        previous = customer.previous_assessment
        evaluation = evaluate(catalog, chosen.answers, previous.level if previous else None)
        replaced = record_assessment(
            customer, chosen, [workshop.id for workshop in evaluation.workshops], now
        )
        return chosen, evaluation, replaced

    customer = await repository.get(tenant_id, customer_id)
    if customer is None or apply(customer.model_copy(deep=True)) is None:
        return None
    saved, outcome = await change(repository, tenant_id, customer_id, apply)
    if outcome is None:
        return None
    return SavedAssessment(saved, outcome[0], outcome[1], False, outcome[2])
