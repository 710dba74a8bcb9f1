"""Answers over a tenant's whole book of customer summaries, in one streaming pass.

A store feeds `PortfolioTally` or `NameTally` the summaries in any order and in as many slices
as it likes (yielding to other turns in between); memory is bounded by the page asked for, not
by the book: the tally keeps the best `page x size` summaries, counters and the KPI tally.
`answer_portfolio` and `list_by_name` do it for summaries already in memory (tests, and a
backend that streams rows from a query).

Pure; imports only the standard library and `engagement`.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, time
from typing import Protocol

from engagement.clock import Clock
from engagement.health_factors import DEFAULT_POLICY, Band, HealthPolicy
from engagement.kpis import MICROSOFT_FISCAL_START, Kpis, KpiTally
from engagement.models import Customer
from engagement.portfolio import (
    BAND_ORDER,
    PAGE_SIZE,
    Page,
    PortfolioQuery,
    matches,
    risk_order,
    risk_rank,
    row_of,
)
from engagement.summary import CustomerSummary, NameListing, summarize


class CustomerLister(Protocol):
    """Anything that lists a tenant's customers (a `CustomerRepository`)."""

    async def list(self, tenant_id: str) -> list[Customer]: ...


@dataclass(frozen=True)
class PortfolioRequest:
    """What `portfolio` and `kpis` ask of the book.

    Attributes:
        query: The filters and the page wanted.
        user_id: Who asks (for `mine`).
        now: The moment the answer is for (aware).
        page_size: Rows per page.
        figures: Also count the KPIs and health bands of the whole selection.
        fiscal_start_month: First month of the fiscal year (for CSAT and NPS).
    """

    query: PortfolioQuery
    user_id: str
    now: datetime
    page_size: int = PAGE_SIZE
    figures: bool = True
    fiscal_start_month: int = MICROSOFT_FISCAL_START


@dataclass(frozen=True)
class PortfolioAnswer:
    """One page of the selection in risk order, and what page 1 shows about the selection.

    Attributes:
        page: The rows of the page (clamped to 1..count), its number, the page count and how
            many customers the filters selected.
        stored: How many customers the tenant has in all.
        kpis: The KPIs of the selection (when figures were asked for).
        bands: Customers of the selection per health band, every band (when figures were asked).
        stale: How many summaries had health from an earlier day (a store recomputes them).
    """

    page: Page
    stored: int
    kpis: Kpis | None
    bands: dict[Band, int] | None
    stale: int = 0


class PortfolioTally:
    """Answers a `PortfolioRequest` from summaries added in any order, in any slices."""

    def __init__(self, request: PortfolioRequest) -> None:
        if request.page_size < 1:
            raise ValueError(f"page size must be at least 1, got {request.page_size}")
        self._request = request
        self._today = request.now.date()
        self._keep = max(request.query.page, 1) * request.page_size
        self._best: list[CustomerSummary] = []
        self._pending: list[CustomerSummary] = []
        self._bar: tuple[int, int] | None = None  # band rank and renewal of the last kept one
        self._day_start = datetime.combine(self._today, time(), UTC)
        self._stored = 0
        self._selected = 0
        self._stale = 0
        self._bands = dict.fromkeys(BAND_ORDER, 0)
        self._kpis = (
            KpiTally(request.now, fiscal_start_month=request.fiscal_start_month)
            if request.figures
            else None
        )

    def add_all(self, summaries: Iterable[CustomerSummary]) -> None:
        """Count every summary of `summaries` (one slice of the book)."""
        query, user_id, today = self._request.query, self._request.user_id, self._today
        day_start = self._day_start  # stale: health computed before today (UTC), as `stale_on`
        filtered = query.mine or query.renewals_within is not None or query.stage or query.level
        kpis, bands, pending, bar = self._kpis, self._bands, self._pending, self._bar
        for summary in summaries:
            self._stored += 1
            if summary.as_of < day_start:
                self._stale += 1
            if filtered and not matches(summary, query, user_id, today):
                continue
            self._selected += 1
            if kpis is not None:
                kpis.add(summary)
                bands[summary.band] += 1
            if bar is not None and risk_rank(summary) > bar:
                continue  # the pages asked for are full, and this one comes after their last
            pending.append(summary)
        if len(pending) >= self._keep:
            self._merge()

    def _merge(self) -> None:
        self._best = heapq.nsmallest(self._keep, [*self._best, *self._pending], key=risk_order)
        self._pending = []
        if len(self._best) == self._keep:
            self._bar = risk_rank(self._best[-1])

    def answer(self) -> PortfolioAnswer:
        """The answer for everything added."""
        self._merge()
        size = self._request.page_size
        count = max(1, math.ceil(self._selected / size))
        number = min(max(self._request.query.page, 1), count)
        start = (number - 1) * size
        rows = tuple(row_of(s, self._request.now) for s in self._best[start : start + size])
        return PortfolioAnswer(
            page=Page(rows, number, count, self._selected),
            stored=self._stored,
            kpis=self._kpis.result() if self._kpis is not None else None,
            bands=dict(self._bands) if self._kpis is not None else None,
            stale=self._stale,
        )


class NameTally:
    """The first `limit` summaries by name whose name contains `contains` (case-insensitively)."""

    def __init__(self, contains: str = "", limit: int = 50) -> None:
        self._wanted = contains.casefold()
        self._limit = max(limit, 0)
        self._best: list[CustomerSummary] = []
        self._total = 0

    def add_all(self, summaries: Iterable[CustomerSummary]) -> None:
        """Count every summary of `summaries` (one slice of the book)."""
        chosen = [s for s in summaries if self._wanted in s.name.casefold()]
        self._total += len(chosen)
        self._best = heapq.nsmallest(
            self._limit, [*self._best, *chosen], key=CustomerSummary.name_order
        )

    def answer(self) -> NameListing:
        """The first matches by name and how many matched."""
        return NameListing(tuple(self._best), self._total)


def answer_portfolio(
    summaries: Iterable[CustomerSummary], request: PortfolioRequest
) -> PortfolioAnswer:
    """The answer to `request` over `summaries` (all in one go)."""
    tally = PortfolioTally(request)
    tally.add_all(summaries)
    return tally.answer()


def list_by_name(
    summaries: Iterable[CustomerSummary], contains: str = "", limit: int = 50
) -> NameListing:
    """The first `limit` summaries by name containing `contains`, and how many contain it."""
    tally = NameTally(contains, limit)
    tally.add_all(summaries)
    return tally.answer()


class ListedSummaries:
    """`CustomerSummaries` computed from a repository's `list` on every call: O(book) per call.

    For tests and for a backend without a stored summary; the stores keep summaries instead.

    Args:
        customers: Anything with `list(tenant_id)`.
        clock: Anything with `now()` (the moment health is computed for).
        policy: The health policy.
    """

    def __init__(
        self, customers: CustomerLister, clock: Clock, policy: HealthPolicy = DEFAULT_POLICY
    ) -> None:
        self._customers = customers
        self._clock = clock
        self._policy = policy

    async def _summaries(self, tenant_id: str) -> list[CustomerSummary]:
        now = self._clock.now()
        return [summarize(c, now, self._policy) for c in await self._customers.list(tenant_id)]

    async def portfolio(self, tenant_id: str, request: PortfolioRequest) -> PortfolioAnswer:
        """See `engagement.ports.CustomerSummaries.portfolio`."""
        return answer_portfolio(await self._summaries(tenant_id), request)

    async def by_name(self, tenant_id: str, *, contains: str = "", limit: int = 50) -> NameListing:
        """See `engagement.ports.CustomerSummaries.by_name`."""
        return list_by_name(await self._summaries(tenant_id), contains, limit)

    async def owned_by(self, tenant_id: str, owner_id: str) -> list[str]:
        """See `engagement.ports.CustomerSummaries.owned_by`."""
        return sorted(c.id for c in await self._customers.list(tenant_id) if c.owner.id == owner_id)
