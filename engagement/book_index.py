"""One tenant's customer summaries in memory, answering without a pass over the book.

A store that keeps its summaries in files (store/summaries.py) loads a tenant's summaries into
a `BookIndex` once, then `put`s every summary it writes and `remove`s every one it deletes.
The index keeps what `portfolio`, `kpis`, `customers` and `owned_by` need current as summaries
come and go:

- every summary in risk order (`portfolio.risk_order`) and in name order: the page of an
  unfiltered `portfolio` is a slice, the first `customers` too; `renewals N` selects one
  contiguous run per health band (renewal dates are sorted within a band), so its page is a
  slice too, and only its selection is tallied for the figures;
- counters for the KPIs and health bands of the whole book (phases, levels, stages, bands,
  renewal dates sorted, reviews and renewal outcomes per day, the days health was computed):
  the figures of an unfiltered page are counted from them, not from the summaries;
- subsets: for `mine`, `level` and `stage`, an index of the customers with that owner, level
  or stage, built from this one on its first use and kept current from then on, so those
  filters are answered as above from the subset (`mine` first, then `level`, then `stage`).

A second `level` or `stage` filter within a subset and a `customers` search go through a
snapshot of the summaries with `engagement.book`'s tallies, in slices that yield.
Either way the answer is what `answer_portfolio` / `list_by_name` give over the same
summaries (the contract tests compare them).

Pure; imports only the standard library and `engagement`.
"""

from __future__ import annotations

import asyncio
import bisect
import heapq
import math
from collections import Counter
from collections.abc import AsyncIterable, AsyncIterator, Callable, Iterable, Sequence
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any, TypeVar

from engagement.book import NameTally, PortfolioAnswer, PortfolioRequest, PortfolioTally
from engagement.health_factors import Band
from engagement.kpis import PIPELINE_DAYS, Kpis, KpiTally, fiscal_year, net_promoter_score
from engagement.models import LifecycleStage, MaturityLevel, Phase
from engagement.portfolio import BAND_ORDER, Page, PortfolioQuery, risk_order, risk_rank, row_of
from engagement.slices import sliced
from engagement.summary import CustomerSummary, NameListing

CHUNK = 500  # summaries tallied between two checks of the slice's time
_LOAD_RUN = 1_000  # summaries sorted at once while loading (about 2 ms: within a slice)

Subset = tuple[str, object]  # ("owner", id), ("level", level or None), ("stage", stage or None)

K = TypeVar("K")
_by_name = CustomerSummary.name_order


def _bump(counter: Counter[K], key: K, by: int) -> None:
    counter[key] += by
    if not counter[key]:
        del counter[key]


def _utc_day(moment: datetime) -> int:
    return moment.astimezone(UTC).date().toordinal()


class BookIndex:
    """A tenant's summaries, indexed (see the module docstring). Build it with `load`."""

    def __init__(self) -> None:
        self._by_id: dict[str, CustomerSummary] = {}
        self._risk: list[CustomerSummary] = []  # sorted by risk_order
        self._names: list[CustomerSummary] = []  # sorted by name_order
        self._phases: Counter[Phase] = Counter()
        self._levels: Counter[MaturityLevel | None] = Counter()
        self._stages: Counter[LifecycleStage | None] = Counter()
        self._bands: Counter[Band] = Counter()
        self._renewals: list[int] = []  # renewal dates as ordinals, sorted
        self._reviews: Counter[tuple[int, float, int]] = Counter()  # (UTC day, csat, nps)
        self._outcomes: Counter[tuple[int, bool, str]] = Counter()  # (UTC day, renewed, why)
        self._as_of: Counter[int] = Counter()  # UTC day health was computed on
        self._subsets: dict[Subset, BookIndex] = {}  # built on first use, see `subset`
        self._subset_loads: dict[Subset, asyncio.Task[BookIndex]] = {}
        self._queued: dict[Subset, list[tuple[str, CustomerSummary | None]]] = {}

    @classmethod
    async def load(cls, groups: AsyncIterable[Sequence[CustomerSummary]]) -> BookIndex:
        """An index of the summaries in `groups` (each customer in one group at most): each
        group is counted as it comes, and sorted in runs of about _LOAD_RUN summaries (thousands
        of groups of a few summaries each, merged with a key, cost more than the load itself),
        then the runs are merged in slices."""
        index = cls()
        by_risk: list[list[CustomerSummary]] = []
        by_name: list[list[CustomerSummary]] = []
        renewals: list[list[int]] = []
        run: list[CustomerSummary] = []

        def sort_run() -> None:
            by_risk.append(sorted(run, key=risk_order))
            by_name.append(sorted(run, key=_by_name))
            renewals.append(sorted(index._renewals))
            index._renewals = []
            run.clear()

        async for group in groups:
            for summary in group:
                index._by_id[summary.customer_id] = summary
                index._count(summary, 1, loading=True)
            run.extend(group)
            if len(run) >= _LOAD_RUN:
                sort_run()
        sort_run()
        index._renewals = [day async for day in sliced(heapq.merge(*renewals))]
        index._risk = [s async for s in sliced(heapq.merge(*by_risk, key=risk_order))]
        index._names = [s async for s in sliced(heapq.merge(*by_name, key=_by_name))]
        return index

    def __len__(self) -> int:
        return len(self._by_id)

    # ---------------------------------------------------------------- changes

    def put(self, summary: CustomerSummary) -> None:
        """Add or replace the customer's summary (never by an older version)."""
        old = self._by_id.get(summary.customer_id)
        if old is not None:
            if old.version > summary.version:
                return
            self._drop(old)
            self._to_subsets(old, None)
        self._by_id[summary.customer_id] = summary
        self._count(summary, 1)
        bisect.insort(self._risk, summary, key=risk_order)
        bisect.insort(self._names, summary, key=_by_name)
        self._to_subsets(summary, summary)

    def remove(self, customer_id: str) -> None:
        """Forget the customer's summary (no customer file any more)."""
        old = self._by_id.pop(customer_id, None)
        if old is not None:
            self._drop(old)
            self._to_subsets(old, None)

    def apply(self, changes: Iterable[tuple[str, CustomerSummary | None]]) -> None:
        """Apply changes queued while this index was loaded: a summary put, or None: removed."""
        for customer_id, summary in changes:
            if summary is None:
                self.remove(customer_id)
            else:
                self.put(summary)

    def _to_subsets(self, member: CustomerSummary, summary: CustomerSummary | None) -> None:
        """Pass a change on to the subsets `member` is in: `summary` put, or None: removed
        (queued while a subset is built)."""
        if not self._subsets and not self._queued:
            return
        for key in _subsets_of(member):
            subset, queued = self._subsets.get(key), self._queued.get(key)
            if queued is not None:
                queued.append((member.customer_id, summary))
            elif subset is not None and summary is None:
                subset.remove(member.customer_id)
            elif subset is not None and summary is not None:
                subset.put(summary)

    def _drop(self, old: CustomerSummary) -> None:
        self._count(old, -1)
        _remove_sorted(self._risk, old, risk_order)
        _remove_sorted(self._names, old, _by_name)

    def _count(self, summary: CustomerSummary, by: int, *, loading: bool = False) -> None:
        _bump(self._phases, summary.phase, by)
        _bump(self._levels, summary.level, by)
        _bump(self._stages, summary.stage, by)
        _bump(self._bands, summary.band, by)
        _bump(self._as_of, _utc_day(summary.as_of), by)
        if summary.renewal_date is not None:
            day = summary.renewal_date.toordinal()
            if by < 0:
                del self._renewals[bisect.bisect_left(self._renewals, day)]
            elif loading:
                self._renewals.append(day)  # sorted once loaded
            else:
                bisect.insort(self._renewals, day)
        for review in summary.reviews:
            _bump(self._reviews, (_utc_day(review.closed_at), review.csat, review.nps), by)
        for outcome in summary.renewal_outcomes:
            _bump(self._outcomes, (_utc_day(outcome.at), outcome.renewed, outcome.reason), by)

    # ---------------------------------------------------------------- answers

    async def portfolio(self, request: PortfolioRequest) -> PortfolioAnswer:
        """What `engagement.book.answer_portfolio` answers over the summaries."""
        if request.page_size < 1:
            raise ValueError(f"page size must be at least 1, got {request.page_size}")
        query = request.query
        key, rest = _narrowest(query, request.user_id)
        book = await self.subset(key) if key else self
        if rest.level is not None or rest.stage is not None:
            tally = PortfolioTally(request)
            await _tally(list(book._risk), tally.add_all)
            answer = tally.answer()
        elif rest.renewals_within is not None:
            answer = await book._renewing(request, rest.renewals_within)
        else:
            answer = book._whole(request)
        today = request.now.date().toordinal()
        stale = sum(n for day, n in self._as_of.items() if day < today)
        return replace(answer, stored=len(self), stale=stale)

    def _whole(self, request: PortfolioRequest) -> PortfolioAnswer:
        """Every summary: the page is a slice, the figures come from the counters."""
        figures = request.figures
        return PortfolioAnswer(
            page=_page(self._risk, request),
            stored=len(self),
            kpis=self._kpis(request) if figures else None,
            bands={band: self._bands[band] for band in BAND_ORDER} if figures else None,
        )

    async def _renewing(self, request: PortfolioRequest, within: int) -> PortfolioAnswer:
        """The summaries renewing within `within` days (or overdue): one run per band."""
        last, ordered = request.now.date().toordinal() + within, self._risk
        runs = [
            ordered[
                bisect.bisect_left(ordered, (rank, -1), key=risk_rank) : bisect.bisect_right(
                    ordered, (rank, last), key=risk_rank
                )
            ]
            for rank in range(len(BAND_ORDER))
        ]
        chosen = [summary for run in runs for summary in run]
        kpis = None
        if request.figures:
            tally = KpiTally(request.now, fiscal_start_month=request.fiscal_start_month)

            def add_all(part: list[CustomerSummary]) -> None:
                for summary in part:
                    tally.add(summary)

            await _tally(chosen, add_all)
            kpis = tally.result()
        return PortfolioAnswer(
            page=_page(chosen, request),
            stored=len(self),
            kpis=kpis,
            bands=dict(zip(BAND_ORDER, map(len, runs), strict=True)) if request.figures else None,
        )

    async def subset(self, key: Subset) -> BookIndex:
        """The index of the summaries whose field `key[0]` is `key[1]` (`owner`, `level`,
        `stage`), built from this one on first use and kept current from then on."""
        subset = self._subsets.get(key)
        if subset is not None:
            return subset
        task = self._subset_loads.get(key)
        if task is None:
            task = asyncio.get_running_loop().create_task(self._load_subset(key))
            self._subset_loads[key] = task
        return await asyncio.shield(task)

    async def _members(self, key: Subset) -> AsyncIterator[list[CustomerSummary]]:
        async for part in _chunks(list(self._by_id.values())):
            yield [summary for summary in part if key in _subsets_of(summary)]

    async def _load_subset(self, key: Subset) -> BookIndex:
        self._queued[key] = []
        try:
            subset = await BookIndex.load(self._members(key))
            subset.apply(self._queued[key])  # no await from here on
            self._subsets[key] = subset
            return subset
        finally:
            self._queued.pop(key, None)
            self._subset_loads.pop(key, None)

    def close(self) -> None:
        """Stop building subsets."""
        for task in self._subset_loads.values():
            task.cancel()

    def _kpis(self, request: PortfolioRequest) -> Kpis:
        """`KpiTally`'s result over every summary, from the counters."""
        today = request.now.date()
        year = fiscal_year(today, request.fiscal_start_month)
        first, end = year.start.toordinal(), year.end.toordinal()
        csats: list[float] = []
        npss: list[int] = []
        for (day, csat, nps), n in self._reviews.items():
            if first <= day < end:
                csats += [csat] * n
                npss += [nps] * n
        renewed = 0
        lost: Counter[str] = Counter()
        for (day, won, reason), n in self._outcomes.items():
            if first <= day < end:
                if won:
                    renewed += n
                else:
                    lost[reason] += n
        dates, day = self._renewals, today.toordinal()
        overdue = bisect.bisect_left(dates, day)
        return Kpis(
            fiscal_year=year,
            customers=len(self._by_id),
            csat_average=sum(csats) / len(csats) if csats else None,
            csat_reviews=len(csats),
            nps=net_promoter_score(npss),
            renewals={d: bisect.bisect_right(dates, day + d) - overdue for d in PIPELINE_DAYS},
            renewals_overdue=overdue,
            by_phase={phase: self._phases[phase] for phase in Phase if phase != Phase.CLOSED},
            by_level={level: self._levels[level] for level in [*MaturityLevel, None]},
            renewed=renewed,
            lost=lost.total(),
            lost_reasons=dict(lost.most_common()),
            by_stage={stage: self._stages[stage] for stage in LifecycleStage},
        )

    async def by_name(self, contains: str = "", limit: int = 50) -> NameListing:
        """What `engagement.book.list_by_name` answers over the summaries."""
        if not contains:
            return NameListing(tuple(self._names[: max(limit, 0)]), len(self._names))
        tally = NameTally(contains, limit)
        await _tally(list(self._names), tally.add_all)
        return tally.answer()

    async def owned_by(self, owner_id: str) -> list[str]:
        """The ids of the customers `owner_id` owns, sorted."""
        ids = list((await self.subset(("owner", owner_id)))._by_id)
        runs = [sorted(ids[start : start + CHUNK]) for start in range(0, len(ids), CHUNK)]
        return [customer_id async for customer_id in sliced(heapq.merge(*runs))]


def _page(ordered: Sequence[CustomerSummary], request: PortfolioRequest) -> Page:
    """The page of `ordered` the request asks for (clamped), as rows."""
    size, selected = request.page_size, len(ordered)
    count = max(1, math.ceil(selected / size))
    number = min(max(request.query.page, 1), count)
    start = (number - 1) * size
    rows = tuple(row_of(s, request.now) for s in ordered[start : start + size])
    return Page(rows, number, count, selected)


async def _chunks(summaries: list[CustomerSummary]) -> AsyncIterator[list[CustomerSummary]]:
    """The summaries CHUNK at a time, yielding between slices."""
    parts = (summaries[start : start + CHUNK] for start in range(0, len(summaries), CHUNK))
    async for part in sliced(parts):
        yield part


async def _tally(
    summaries: list[CustomerSummary], add_all: Callable[[list[CustomerSummary]], object]
) -> None:
    """Feed `add_all` the summaries CHUNK at a time, yielding between slices."""
    async for part in _chunks(summaries):
        add_all(part)


def _remove_sorted(
    ordered: list[CustomerSummary],
    summary: CustomerSummary,
    key: Callable[[CustomerSummary], Any],
) -> None:
    at = bisect.bisect_left(ordered, key(summary), key=key)
    if at < len(ordered) and ordered[at] is summary:
        del ordered[at]
    else:  # not where its key says: changed since it was put (summaries are values)
        ordered.remove(summary)


def _subsets_of(summary: CustomerSummary) -> tuple[Subset, Subset, Subset]:
    return (("owner", summary.owner_id), ("level", summary.level), ("stage", summary.stage))


def _narrowest(query: PortfolioQuery, user_id: str) -> tuple[Subset | None, PortfolioQuery]:
    """The subset to answer `query` from (owner, else level, else stage), and the filters
    left to apply within it."""
    if query.mine:
        return ("owner", user_id), replace(query, mine=False)
    if query.level is not None:
        return ("level", query.level), replace(query, level=None)
    if query.stage is not None:
        return ("stage", query.stage), replace(query, stage=None)
    return None, query
