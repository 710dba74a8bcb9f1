"""Partner KPIs: CSAT over the fiscal year, the renewal pipeline, customers per phase and level.

Pure; imports only the standard library and `engagement`. `now` is passed in.

- CSAT follows the seed: "a partner's CSAT score is derived from an average across all projects
  completed in the current Fiscal Year". A project is an iteration closed (its `closed_at`, in
  UTC) within the fiscal year, with satisfaction in its review; its CSAT is the mean of the
  overall, value and team ratings (1-5). NPS is the classic % promoters minus % detractors of the
  same reviews.
- The fiscal year starts on the 1st of `start_month` (default 7, July: Microsoft's fiscal year)
  and is named after the calendar year it ends in (July 2025 - June 2026 is FY2026).
- The renewal pipeline counts renewal dates from today up to 90 and up to 180 days ahead; dates
  that have passed are counted separately as overdue.
- Renewal rate and churn (seed 002: "min. % of renewals across customers served", "tracking of
  reason codes for non-renewal") count the outcomes recorded within the fiscal year: renewed of
  all recorded, and the lost ones by reason code.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Protocol

from engagement.health_factors import NPS_PASSIVE, NPS_PROMOTER
from engagement.models import Customer, LifecycleStage, MaturityLevel, Phase
from engagement.summary import RenewalFact, ReviewScore, summarize
from i18n import _
from i18n.formats import format_date

MICROSOFT_FISCAL_START = 7
PIPELINE_DAYS = (90, 180)


@dataclass(frozen=True)
class FiscalYear:
    """A fiscal year: first day, the day after the last, and its name (the year it ends in)."""

    start: date
    end: date  # exclusive
    name: int

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.start <= day < self.end

    @property
    def short_label(self) -> str:
        """ "FY2026" / "GJ2026"."""
        return _("FY{year}").format(year=self.name)

    @property
    def label(self) -> str:
        """The fiscal year with its months: "FY2026 (Jul 2025 - Jun 2026)"; German uses "GJ"."""
        last = date.fromordinal(self.end.toordinal() - 1)
        # TRANSLATORS: a Babel (CLDR) date pattern: MMM month abbreviated, yyyy year.
        month = _("MMM yyyy")
        return _("{name} ({first} - {last})").format(
            name=self.short_label,
            first=format_date(self.start, month),
            last=format_date(last, month),
        )


def fiscal_year(day: date, start_month: int = MICROSOFT_FISCAL_START) -> FiscalYear:
    """The fiscal year that contains `day`.

    Raises:
        ValueError: `start_month` is not 1..12.
    """
    if not 1 <= start_month <= 12:
        raise ValueError(f"fiscal year start month must be 1..12, got {start_month}")
    year = day.year if day.month >= start_month else day.year - 1
    start = date(year, start_month, 1)
    end = date(year + 1, start_month, 1)
    return FiscalYear(start, end, year if start_month == 1 else year + 1)


@dataclass(frozen=True)
class Kpis:
    """The partner's key figures at one moment."""

    fiscal_year: FiscalYear
    customers: int
    csat_average: float | None  # None when no iteration with satisfaction closed this FY
    csat_reviews: int
    nps: int | None  # -100..100
    renewals: dict[int, int]  # days ahead -> customers renewing within them (from today)
    renewals_overdue: int
    by_phase: dict[Phase, int]  # every open phase, in lifecycle order, zeros included
    by_level: dict[MaturityLevel | None, int]  # every level least mature first, None last
    renewed: int = 0  # renewals recorded as renewed this fiscal year
    lost: int = 0  # ... and as lost
    lost_reasons: dict[str, int] = field(default_factory=dict)  # reason code -> lost, most first
    by_stage: dict[LifecycleStage, int] = field(default_factory=dict)  # every stage, in order

    @property
    def renewal_rate(self) -> float | None:
        """Renewed of all renewal outcomes recorded this fiscal year; None without any."""
        total = self.renewed + self.lost
        return self.renewed / total if total else None


class KpiFacts(Protocol):
    """What the KPIs read of one customer (a `CustomerSummary` has it)."""

    @property
    def phase(self) -> Phase: ...
    @property
    def level(self) -> MaturityLevel | None: ...
    @property
    def renewal_date(self) -> date | None: ...
    @property
    def reviews(self) -> tuple[ReviewScore, ...]: ...
    @property
    def renewal_outcomes(self) -> tuple[RenewalFact, ...]: ...
    @property
    def stage(self) -> LifecycleStage | None: ...


class KpiTally:
    """The KPIs of customers added one at a time (memory: a few counters, not the customers).

    Args:
        now: The moment the KPIs are for (aware).
        fiscal_start_month: First month of the fiscal year.
        pipeline_days: The renewal pipeline's horizons, in days from today.
    """

    def __init__(
        self,
        now: datetime,
        *,
        fiscal_start_month: int = MICROSOFT_FISCAL_START,
        pipeline_days: tuple[int, ...] = PIPELINE_DAYS,
    ) -> None:
        self._today = now.date()
        self._year = fiscal_year(self._today, fiscal_start_month)
        self._pipeline_days = pipeline_days
        self._customers = 0
        self._csats: list[float] = []
        self._npss: list[int] = []
        self._renewals = dict.fromkeys(pipeline_days, 0)
        self._overdue = 0
        self._phases: Counter[Phase] = Counter()
        self._renewed = 0
        self._stages: Counter[LifecycleStage | None] = Counter()
        self._lost: Counter[str] = Counter()
        self._levels: Counter[MaturityLevel | None] = Counter()

    def add(self, facts: KpiFacts) -> None:
        """Count one customer."""
        self._customers += 1
        for review in facts.reviews:
            if review.closed_at.astimezone(UTC).date() in self._year:
                self._csats.append(review.csat)
                self._npss.append(review.nps)
        if facts.renewal_date is not None:
            days = (facts.renewal_date - self._today).days
            if days < 0:
                self._overdue += 1
            for limit in self._pipeline_days:
                if days <= limit:
                    self._renewals[limit] += days >= 0
        self._phases[facts.phase] += 1
        self._levels[facts.level] += 1
        self._stages[facts.stage] += 1
        for outcome in facts.renewal_outcomes:
            if outcome.at.astimezone(UTC).date() in self._year:
                if outcome.renewed:
                    self._renewed += 1
                else:
                    self._lost[outcome.reason] += 1

    def result(self) -> Kpis:
        """The KPIs of every customer added so far."""
        csats = self._csats
        return Kpis(
            fiscal_year=self._year,
            customers=self._customers,
            csat_average=sum(csats) / len(csats) if csats else None,
            csat_reviews=len(csats),
            nps=net_promoter_score(self._npss),
            renewals=dict(self._renewals),
            renewals_overdue=self._overdue,
            by_phase={phase: self._phases[phase] for phase in Phase if phase != Phase.CLOSED},
            by_level={level: self._levels[level] for level in [*MaturityLevel, None]},
            renewed=self._renewed,
            lost=self._lost.total(),
            lost_reasons=dict(self._lost.most_common()),
            by_stage={stage: self._stages[stage] for stage in LifecycleStage},
        )


def partner_kpis(
    customers: Iterable[Customer],
    now: datetime,
    *,
    fiscal_start_month: int = MICROSOFT_FISCAL_START,
    pipeline_days: tuple[int, ...] = PIPELINE_DAYS,
) -> Kpis:
    """The KPIs over `customers` at `now` (aware), from their summaries."""
    tally = KpiTally(now, fiscal_start_month=fiscal_start_month, pipeline_days=pipeline_days)
    for customer in customers:
        tally.add(summarize(customer, now))
    return tally.result()


def net_promoter_score(scores: Iterable[int]) -> int | None:
    """% promoters (9-10) minus % detractors (0-6), rounded; None without scores."""
    values = list(scores)
    if not values:
        return None
    promoters = sum(score >= NPS_PROMOTER for score in values)
    detractors = sum(score < NPS_PASSIVE for score in values)
    return round(100 * (promoters - detractors) / len(values))
