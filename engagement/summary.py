"""The per-customer summary: what every all-customers view needs, computed by the domain's rules.

`portfolio`, `customers`, `kpis` and `portfolio renewals N` look at every customer of a tenant.
Reading every customer file for them costs O(book) per command (44 s at 100,000 customers), so a
store keeps one small `CustomerSummary` per customer, current on every save, and answers those
commands from the summaries alone (`engagement.ports.CustomerSummaries`).

A summary is computed by `summarize`, which calls the same functions the detail views use
(`assess_health`, `last_touch_at`, `license_utilisation`, `latest_assessment`), never a copy of
them. Health depends on time (days since the last touch, days to the renewal, days in the
phase), so a summary records `as_of`, the moment its health was computed; a store recomputes
summaries from an earlier day (`stale_on`).

Pure; imports only the standard library and `engagement`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from engagement.health import assess_health
from engagement.health_factors import DEFAULT_POLICY, Band, HealthPolicy, csat_of, last_touch_at
from engagement.licenses import license_utilisation
from engagement.models import Assessment, Customer, LifecycleStage, MaturityLevel, Phase
from engagement.renewals import reason_code
from engagement.stages import stage_of


@dataclass(frozen=True, slots=True)
class ReviewScore:
    """The satisfaction of one closed iteration, for CSAT and NPS over a fiscal year."""

    closed_at: datetime
    csat: float  # 1-5, the mean of overall, value and team
    nps: int  # 0-10


@dataclass(frozen=True, slots=True)
class RenewalFact:
    """How one renewal ended, for the renewal rate and churn over a fiscal year."""

    at: datetime  # when the outcome was recorded
    renewed: bool
    reason: str  # the reason code of a lost renewal (`engagement.renewals.reason_code`), else ""


@dataclass(slots=True)
class CustomerSummary:
    """One customer as the all-customers views see it.

    Not frozen: a portfolio builds one per customer of the book, and a frozen dataclass's
    `__init__` (one `object.__setattr__` per field) made that a third slower. Treat it as a value.

    Attributes:
        tenant_id, customer_id: whose summary this is.
        version: the customer's stored version this summary was computed from.
        name, owner_id, owner_name: as on the customer.
        iteration, phase: the open (or last) iteration's number and phase.
        level: the latest assessed maturity level, None when never assessed.
        score, band: health at `as_of` (`assess_health`); score None when unknown.
        renewal_date, last_touch: as on the customer (None when missing).
        license_utilisation: active / licensed users (0.0-1.0), None without license lines.
        reviews: CSAT and NPS of every closed iteration that recorded satisfaction.
        as_of: when the health was computed (aware UTC).
        renewal_outcomes: how the customer's past renewals ended (renewed, or lost and why).
        stage: the lifecycle stage at `as_of`, set or derived (`engagement.stages.stage_of`).
    """

    tenant_id: str
    customer_id: str
    version: int
    name: str
    owner_id: str
    owner_name: str
    iteration: int
    phase: Phase
    level: MaturityLevel | None
    score: int | None
    band: Band
    renewal_date: date | None
    last_touch: datetime | None
    license_utilisation: float | None
    reviews: tuple[ReviewScore, ...]
    as_of: datetime
    renewal_outcomes: tuple[RenewalFact, ...] = ()
    stage: LifecycleStage | None = None

    def stale_on(self, today: date) -> bool:
        """True when the health was computed on an earlier day (UTC) than `today`."""
        return self.as_of.astimezone(UTC).date() < today

    def name_order(self) -> tuple[str, str]:
        """Sort key of the `customers` list: name case-insensitively, then id."""
        return (self.name.casefold(), self.customer_id)


def latest_assessment(customer: Customer) -> Assessment | None:
    """The most recent assessment of any iteration (the open one first)."""
    for iteration in reversed(customer.iterations):
        if iteration.assessment is not None:
            return iteration.assessment
    return None


def review_scores(customer: Customer) -> tuple[ReviewScore, ...]:
    """CSAT and NPS of every closed iteration whose review recorded satisfaction."""
    scores = []
    for iteration in customer.iterations:
        review, closed = iteration.review, iteration.closed_at
        if closed is None or review is None or review.satisfaction is None:
            continue
        scores.append(ReviewScore(closed, csat_of(review.satisfaction), review.satisfaction.nps))
    return tuple(scores)


def summarize(
    customer: Customer, now: datetime, policy: HealthPolicy = DEFAULT_POLICY
) -> CustomerSummary:
    """The summary of `customer` (as stored: its `version` is the stored one) at `now`."""
    health = assess_health(customer, now, policy)
    assessment = latest_assessment(customer)
    return CustomerSummary(
        tenant_id=customer.tenant_id,
        customer_id=customer.id,
        version=customer.version,
        name=customer.name,
        owner_id=customer.owner.id,
        owner_name=customer.owner.name,
        iteration=customer.current.number,
        phase=customer.current.phase,
        level=assessment.level if assessment else None,
        score=health.score,
        band=health.band,
        renewal_date=customer.renewal_date,
        last_touch=last_touch_at(customer),
        license_utilisation=license_utilisation(customer),
        reviews=review_scores(customer),
        as_of=now,
        renewal_outcomes=tuple(
            RenewalFact(o.at, o.renewed, "" if o.renewed else reason_code(o.reason))
            for o in customer.renewals
        ),
        stage=stage_of(customer, now)[0],
    )


@dataclass(frozen=True)
class NameListing:
    """The first customers by name (`customers`, finding a customer by part of its name)."""

    summaries: tuple[CustomerSummary, ...]
    total: int  # how many matched, of which `summaries` are the first
