"""Use case: score answers, store the assessment on the customer's open iteration, recommend."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from engagement.catalog import Catalog, Workshop
from engagement.customers import change
from engagement.errors import CustomerAlreadyExists, CustomerNotFound
from engagement.lifecycle import new_customer, record_assessment
from engagement.models import Assessment, AssessmentKind, Customer, MaturityLevel, Person
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
) -> SavedAssessment:
    """Score `answers` and store them on the customer's open iteration (moving it to commit).

    Creates the customer first when `create_if_missing`; otherwise a missing customer raises
    CustomerNotFound. Domain errors (PhaseError, InvalidAnswer) propagate for the dialog to word.
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

    def apply(customer: Customer) -> tuple[Assessment, Evaluation, bool]:
        previous = customer.previous_assessment
        evaluation = evaluate(catalog, answers, previous.level if previous else None)
        assessment = Assessment(
            kind=kind,
            answers=dict(answers),
            dimension_scores=dict(evaluation.result.dimension_scores),
            level=evaluation.result.level,
            explanation=list(evaluation.result.explanation),
            by=by,
            at=now,
        )
        replaced = record_assessment(
            customer, assessment, [workshop.id for workshop in evaluation.workshops], now
        )
        return assessment, evaluation, replaced

    saved, (assessment, evaluation, replaced) = await change(
        repository, tenant_id, customer_id, apply
    )
    return SavedAssessment(saved, assessment, evaluation, created, replaced)
