"""Builders for portfolio tests: customers made with the lifecycle functions at FixedClock times,
and an in-memory CustomerRepository."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from typing import Any

from engagement.book import ListedSummaries, PortfolioAnswer, PortfolioRequest
from engagement.clock import FixedClock
from engagement.errors import ConcurrencyConflict, CustomerAlreadyExists, CustomerNotFound
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
    FactorStatus,
    Goal,
    GoalOutcome,
    GoalOwnerSide,
    GoalStatus,
    LicenseLine,
    MaturityLevel,
    Person,
    Review,
    Satisfaction,
    SuccessFactor,
    SuccessFactors,
    Touch,
    TouchKind,
)
from engagement.naming import customer_id_for
from engagement.summary import NameListing

NOW = datetime(2026, 11, 2, 9, 30, tzinfo=UTC)
TODAY = NOW.date()
TENANT = "tenant-a"
ADA = Person(id="aad-ada", name="Ada")
BOB = Person(id="aad-bob", name="Bob")
CARL = Person(id="aad-carl", name="Carl (Contoso)")


def days_ago(days: float) -> datetime:
    """NOW minus `days`."""
    return NOW - timedelta(days=days)


def customer(
    name: str = "Contoso",
    *,
    owner: Person = ADA,
    created_days_ago: float = 1,
    tenant_id: str = TENANT,
) -> Customer:
    """A new customer in assess, created `created_days_ago` before NOW."""
    clock = FixedClock(days_ago(created_days_ago))
    return new_customer(tenant_id, customer_id_for(name), name, owner, clock.now())


def assessment(
    level: MaturityLevel = MaturityLevel.CLOUD_IS_AN_OPTION, at: datetime = NOW
) -> Assessment:
    """A quick-check assessment at `level`."""
    return Assessment(
        kind=AssessmentKind.QUICK,
        answers={"q1": "a"},
        dimension_scores={"governance": 2.0, "security": 2.5},
        level=level,
        explanation=["because"],
        by=ADA,
        at=at,
    )


def goals(*titles: str) -> list[Goal]:
    """Goals g1, g2, ... with these titles."""
    return [
        Goal(
            id=f"g{i}",
            title=title,
            kpi=f"KPI of {title}",
            owner_side=GoalOwnerSide.PARTNER,
            owner_name="Ada",
            due=date(2027, 1, 31),
        )
        for i, title in enumerate(titles, start=1)
    ]


def plan(status: FactorStatus = FactorStatus.IN_PLACE) -> SuccessFactors:
    """A success plan with every factor at `status`, owned by Carl."""
    factor = SuccessFactor(status=status, owner="Carl")
    return SuccessFactors(stakeholders=factor, scenarios=factor, awareness=factor, training=factor)


def run_iteration(
    target: Customer,
    clock: FixedClock,
    *,
    level: MaturityLevel = MaturityLevel.CLOUD_IS_AN_OPTION,
    outcomes: Sequence[GoalStatus] = (GoalStatus.ACHIEVED,),
    satisfaction: Satisfaction | None = None,
    titles: Sequence[str] = (),
    step: timedelta = timedelta(days=1),
    success_factors: SuccessFactors | None = None,
) -> None:
    """Take the open iteration through assess, commit, deliver and ensure to closed, one `step`
    of the clock per move; goal i gets outcome i; the success plan is in place unless given."""
    record_assessment(target, assessment(level, clock.now()), ["azure-governance"], clock.now())
    names = list(titles) or [f"Goal {i}" for i in range(1, len(outcomes) + 1)]
    commitment = Commitment(
        workshops=["azure-governance"],
        goals=goals(*names),
        success_factors=success_factors or plan(),
        start=clock.now().date(),
        end=clock.now().date() + timedelta(days=60),
    )
    record_commitment(target, commitment, clock.now())
    agree(target, AgreementSide.PARTNER, ADA, clock.now())
    agree(target, AgreementSide.CUSTOMER, CARL, clock.now())
    clock.set(clock.now() + step)
    delivery = Delivery(
        id="d1", workshop_id="azure-governance", on=clock.now().date(), by=ADA, at=clock.now()
    )
    record_delivery(target, delivery, clock.now())
    clock.set(clock.now() + step)
    start_ensure(target, clock.now())
    clock.set(clock.now() + step)
    review = Review(
        outcomes=[
            GoalOutcome(goal_id=f"g{i}", status=status, evidence=f"evidence {i}")
            for i, status in enumerate(outcomes, start=1)
        ],
        satisfaction=satisfaction,
        next_steps=["Next"],
        by=ADA,
        at=clock.now(),
    )
    close_iteration(target, review, clock.now())


def satisfied(overall: int = 5, value: int = 5, team: int = 5, nps: int = 10) -> Satisfaction:
    """A CSAT/NPS answer."""
    return Satisfaction(overall=overall, value=value, team=team, nps=nps, comment="")


def touch(target: Customer, days: float, kind: TouchKind = TouchKind.CALL) -> None:
    """Record a touch `days` before NOW."""
    target.touches = [*target.touches, Touch(at=days_ago(days), by=ADA, kind=kind)]


def license_line(product: str, licensed: int, active: int, as_of: date = TODAY) -> LicenseLine:
    """A license line."""
    return LicenseLine(product=product, licensed=licensed, active=active, as_of=as_of)


def healthy(name: str = "Contoso", *, owner: Person = ADA, renewal_days: int = 200) -> Customer:
    """A customer that scores green: closed iteration with full marks, touched, licenses used."""
    target = customer(name, owner=owner, created_days_ago=20)
    clock = FixedClock(days_ago(10))
    run_iteration(target, clock, satisfaction=satisfied())
    touch(target, 2)
    target.licenses = [license_line("Microsoft 365 E3", 100, 95)]
    target.renewal_date = TODAY + timedelta(days=renewal_days)
    return target


class MemoryCustomers:
    """An in-memory CustomerRepository with the store's rules (tenant scope, versions), keeping
    JSON documents as the TinyDB store does."""

    def __init__(self, customers: Sequence[Customer] = ()) -> None:
        self.records: dict[tuple[str, str], dict[str, Any]] = {}
        self.writes = 0
        for item in customers:
            self.records[(item.tenant_id, item.id)] = _document(item, 1)

    async def get(self, tenant_id: str, customer_id: str) -> Customer | None:
        found = self.records.get((tenant_id, customer_id))
        return Customer.model_validate(found) if found else None

    async def add(self, item: Customer) -> Customer:
        key = (item.tenant_id, item.id)
        if key in self.records:
            raise CustomerAlreadyExists(*key)
        self.writes += 1
        self.records[key] = _document(item, 1)
        return Customer.model_validate(self.records[key])

    async def save(self, item: Customer) -> Customer:
        key = (item.tenant_id, item.id)
        stored = self.records.get(key)
        if stored is None:
            raise CustomerNotFound(*key)
        if stored["version"] != item.version:
            raise ConcurrencyConflict(str(key), item.version, stored["version"])
        self.writes += 1
        self.records[key] = _document(item, item.version + 1)
        return Customer.model_validate(self.records[key])

    async def list(self, tenant_id: str) -> list[Customer]:
        found = [Customer.model_validate(d) for (t, _), d in self.records.items() if t == tenant_id]
        return sorted(found, key=lambda c: (c.name.casefold(), c.id))

    # CustomerSummaries, computed from the records at NOW
    async def portfolio(self, tenant_id: str, request: PortfolioRequest) -> PortfolioAnswer:
        return await ListedSummaries(self, FixedClock(NOW)).portfolio(tenant_id, request)

    async def by_name(self, tenant_id: str, *, contains: str = "", limit: int = 50) -> NameListing:
        return await ListedSummaries(self, FixedClock(NOW)).by_name(
            tenant_id, contains=contains, limit=limit
        )

    async def owned_by(self, tenant_id: str, owner_id: str) -> list[str]:
        return await ListedSummaries(self, FixedClock(NOW)).owned_by(tenant_id, owner_id)


def _document(item: Customer, version: int) -> dict[str, Any]:
    document = item.model_dump(mode="json")
    document["version"] = version
    return document
