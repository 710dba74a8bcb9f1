"""The portfolio: one row per customer with its health, sorted by risk, filtered and paged. Pure.

Imports only the standard library and `engagement`.

Order: red first, then yellow, unknown, green (unknown before green: a customer nobody knows
anything about needs a look before a healthy one); within a band the soonest renewal first
(customers without a renewal date last), then the name.

Filters (all optional, combined with AND): `mine` (the user owns the customer), `renewals N`
(the renewal date is at most N days away; overdue renewals are included, they need action
most), `level <level>` (the latest assessed maturity level). `page N` picks a page.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from engagement.health_factors import DEFAULT_POLICY, Band, HealthPolicy
from engagement.models import Customer, LifecycleStage, MaturityLevel, Phase
from engagement.summary import CustomerSummary, latest_assessment, summarize
from i18n import N_, _, ngettext
from i18n.formats import format_number

__all__ = ["latest_assessment"]  # re-exported: it was defined here

PAGE_SIZE = 10
DEFAULT_RENEWAL_DAYS = 90
MAX_RENEWAL_DAYS = 3_660
BAND_ORDER = (Band.RED, Band.YELLOW, Band.UNKNOWN, Band.GREEN)
BAND_RANK = {band: rank for rank, band in enumerate(BAND_ORDER)}
FILTER_USAGE = N_(  # Markdown code spans, shown as _(FILTER_USAGE)
    "`mine`, `renewals <days>`, `level <level>`, `stage <stage>`, `page <n>`"
)

_NO_RENEWAL = 10**9  # sorts customers without a renewal date after every dated one
LevelFinder = Callable[[str], MaturityLevel | None]


@dataclass(frozen=True)
class PortfolioRow:
    """One customer as the portfolio shows it."""

    customer_id: str
    name: str
    owner_id: str
    owner_name: str
    iteration: int
    phase: Phase
    level: MaturityLevel | None
    score: int | None  # health score 0-100, None when unknown
    band: Band
    renewal_date: date | None
    renewal_in_days: int | None  # negative when the date has passed
    last_touch: datetime | None
    days_since_touch: int | None
    stage: LifecycleStage | None = None


@dataclass(frozen=True)
class PortfolioQuery:
    """Filters and the page wanted; the default shows everything, page 1."""

    mine: bool = False
    renewals_within: int | None = None
    level: MaturityLevel | None = None
    page: int = 1
    stage: LifecycleStage | None = None

    @property
    def filtered(self) -> bool:
        """True when any filter is set."""
        return (
            self.mine
            or self.renewals_within is not None
            or self.level is not None
            or self.stage is not None
        )

    def filter_text(self) -> str:
        """The filters as a command argument that `parse_query` reads back (no page)."""
        parts = []
        if self.mine:
            parts.append("mine")
        if self.renewals_within is not None:
            parts.append(f"renewals {self.renewals_within}")
        if self.level is not None:
            parts.append(f"level {self.level.rank}")
        if self.stage is not None:
            parts.append(f"stage {self.stage.value}")
        return " ".join(parts)

    def describe(self) -> str:
        """The filters for people, in the turn's language: "mine, renewal within 90 days,
        level Cloud is an option"."""
        parts = []
        if self.mine:
            parts.append(_("mine"))
        if self.renewals_within is not None:
            days = self.renewals_within
            parts.append(
                ngettext("renewal within {days} day", "renewal within {days} days", days).format(
                    days=format_number(days, 0)
                )
            )
        if self.level is not None:
            parts.append(_("level {level}").format(level=self.level.label))
        if self.stage is not None:
            parts.append(_("stage {stage}").format(stage=self.stage.value))
        return ", ".join(parts)


class QueryNotUnderstood(ValueError):
    """A portfolio argument that is not a known filter; the message says what is valid.

    What the user typed is quoted where the message says `{said}`; `worded` lets a Markdown
    reply escape it (the rest of the message is Markdown already).
    """

    def __init__(self, message: str, said: str = "") -> None:
        self.message = message
        self.said = said
        super().__init__(self.worded(str))

    def worded(self, quote: Callable[[str], str]) -> str:
        # TRANSLATORS: what the user typed, in quotation marks
        return self.message.replace("{said}", _('"{text}"').format(text=quote(self.said)))


@dataclass(frozen=True)
class Page:
    """One page of rows: `number` of `count` pages (1-based), `total` rows in all pages."""

    rows: tuple[PortfolioRow, ...]
    number: int
    count: int
    total: int

    @property
    def has_next(self) -> bool:
        """True when a later page exists."""
        return self.number < self.count

    @property
    def has_previous(self) -> bool:
        """True when an earlier page exists."""
        return self.number > 1


def row_of(summary: CustomerSummary, now: datetime) -> PortfolioRow:
    """The row of a summarised customer at `now` (days are counted from `now`)."""
    renewal, touched = summary.renewal_date, summary.last_touch
    return PortfolioRow(
        customer_id=summary.customer_id,
        name=summary.name,
        owner_id=summary.owner_id,
        owner_name=summary.owner_name,
        iteration=summary.iteration,
        phase=summary.phase,
        level=summary.level,
        score=summary.score,
        band=summary.band,
        renewal_date=renewal,
        renewal_in_days=(renewal - now.date()).days if renewal else None,
        last_touch=touched,
        days_since_touch=max((now - touched).days, 0) if touched else None,
        stage=summary.stage,
    )


def portfolio_row(
    customer: Customer, now: datetime, policy: HealthPolicy = DEFAULT_POLICY
) -> PortfolioRow:
    """The row of one customer at `now`."""
    return row_of(summarize(customer, now, policy), now)


def risk_order(row: PortfolioRow | CustomerSummary) -> tuple[int, int, str, str]:
    """Sort key: band (red first), renewal soonest (none last), name, id.

    Ordering by renewal date is ordering by days to the renewal, so the key needs no `now`
    (a SQL backend orders by band rank, renewal date nulls last, lower(name), id).
    """
    return (*risk_rank(row), row.name.casefold(), row.customer_id)


def risk_rank(row: PortfolioRow | CustomerSummary) -> tuple[int, int]:
    """The first, cheap part of `risk_order`: band rank and renewal (none last)."""
    renewal = row.renewal_date.toordinal() if row.renewal_date is not None else _NO_RENEWAL
    return (BAND_RANK[row.band], renewal)


def portfolio_rows(
    customers: Iterable[Customer], now: datetime, policy: HealthPolicy = DEFAULT_POLICY
) -> list[PortfolioRow]:
    """Every customer's row, riskiest first."""
    return sorted((portfolio_row(c, now, policy) for c in customers), key=risk_order)


def matches(
    row: PortfolioRow | CustomerSummary, query: PortfolioQuery, user_id: str, today: date
) -> bool:
    """True when the row (or summary) passes every filter of the query on `today`."""
    if query.mine and row.owner_id != user_id:
        return False
    if query.renewals_within is not None and (
        row.renewal_date is None or (row.renewal_date - today).days > query.renewals_within
    ):
        return False
    if query.stage is not None and row.stage != query.stage:
        return False
    return query.level is None or row.level == query.level


def select(
    rows: Iterable[PortfolioRow], query: PortfolioQuery, user_id: str, today: date
) -> list[PortfolioRow]:
    """The rows that pass the query's filters, order kept."""
    return [row for row in rows if matches(row, query, user_id, today)]


def paginate(rows: Sequence[PortfolioRow], number: int, size: int = PAGE_SIZE) -> Page:
    """Page `number` (clamped to 1..count) of `size` rows; no rows give page 1 of 1."""
    if size < 1:
        raise ValueError(f"page size must be at least 1, got {size}")
    count = max(1, math.ceil(len(rows) / size))
    number = min(max(number, 1), count)
    start = (number - 1) * size
    return Page(tuple(rows[start : start + size]), number, count, len(rows))


# ---------------------------------------------------------------- parsing the argument

# Each filter's words in English and German (typed by anyone).
_MINE = {"mine", "my", "meine", "mein", "meins"}
_ALL = {"all", "alle"}
_RENEWALS = {"renewal", "renewals", "renewing", "verlängerung", "verlängerungen"}
_DAYS = {"day", "days", "tag", "tage", "tagen"}
_LEVEL = {"level", "reifegrad"}
_STAGE = {"stage", "lebenszyklus"}
_PAGE = {"page", "seite"}
_KEYWORDS = _MINE | _ALL | _RENEWALS | _LEVEL | _STAGE | _PAGE
_STAGES = {stage.value: stage for stage in LifecycleStage}
_SEPARATORS = re.compile(r"[,;]+")
_PAGE_RANGE = N_("page needs a number from 0 to {highest}, not {said}.")
_RENEWALS_RANGE = N_("renewals needs a number from 0 to {highest}, not {said}.")


def level_by_label(text: str) -> MaturityLevel | None:
    """A level from its rank ("2"), id, or label, or an unambiguous part of the label."""
    key = " ".join(text.casefold().replace("_", " ").replace("-", " ").split())
    key = key.removeprefix("level ").strip()
    if not key:
        return None
    for level in MaturityLevel:
        if key in {str(level.rank), level.value.replace("_", " "), level.label.casefold()}:
            return level
    hits = [level for level in MaturityLevel if key in level.label.casefold()]
    return hits[0] if len(hits) == 1 else None


def parse_query(argument: str, find_level: LevelFinder = level_by_label) -> PortfolioQuery:
    """Read `[mine] [renewals N] [level <level>] [page N]`, in any order, case-insensitively.

    Forgiving: "my" for mine, "renewal"/"renewing" for renewals, "renewals" without a number
    (90 days), "renewals 60 days", commas between filters, "all" (no filter), and a bare number
    at the end as the page ("mine 3").

    Raises:
        QueryNotUnderstood: an unknown word, a bad number, or an unknown level; the message
            names it and lists the valid filters.
    """
    words = _SEPARATORS.sub(" ", argument).split()
    mine = False
    renewals: int | None = None
    level: MaturityLevel | None = None
    page = 1
    stage: LifecycleStage | None = None
    i = 0
    while i < len(words):
        word = words[i].casefold()
        nxt = words[i + 1] if i + 1 < len(words) else None
        if word in _MINE:
            mine = True
        elif word in _ALL:
            pass
        elif word in _RENEWALS:
            renewals = DEFAULT_RENEWAL_DAYS
            if nxt is not None and nxt.casefold().removesuffix("d").isdigit():
                renewals = _number(
                    nxt.casefold().removesuffix("d"), _RENEWALS_RANGE, MAX_RENEWAL_DAYS
                )
                i += 1
                if i + 1 < len(words) and words[i + 1].casefold() in _DAYS:
                    i += 1
        elif word in _LEVEL:
            taken = []
            while i + 1 < len(words) and words[i + 1].casefold() not in _KEYWORDS:
                taken.append(words[i + 1])
                i += 1
            if not taken:
                raise QueryNotUnderstood(
                    _("level needs a level name or number. {valid}").format(valid=_valid())
                )
            level = find_level(" ".join(taken))
            if level is None:
                raise QueryNotUnderstood(
                    _("I don't know the level {said}. {levels}").format(
                        said="{said}", levels=_levels()
                    ),
                    " ".join(taken)[:60],
                )
        elif word in _STAGE:
            if nxt is None or nxt.casefold() not in _STAGES:
                raise QueryNotUnderstood(
                    _("stage needs one of: {stages}. {valid}").format(
                        stages=", ".join(_STAGES), valid=_valid()
                    )
                )
            stage = _STAGES[nxt.casefold()]
            i += 1
        elif word in _PAGE:
            if nxt is None:
                raise QueryNotUnderstood(_("page needs a number. {valid}").format(valid=_valid()))
            page = _number(nxt, _PAGE_RANGE, 10**6)
            i += 1
        elif word.isdigit() and i == len(words) - 1:
            page = _number(word, _PAGE_RANGE, 10**6)
        else:
            raise QueryNotUnderstood(
                _("I don't know the filter {said}. {valid}").format(said="{said}", valid=_valid()),
                words[i][:40],
            )
        i += 1
    return PortfolioQuery(mine=mine, renewals_within=renewals, level=level, page=page, stage=stage)


def _number(text: str, message: str, highest: int) -> int:
    if not text.isdigit() or not 0 <= int(text) <= highest:
        raise QueryNotUnderstood(
            _(message).format(highest=format_number(highest, 0), said="{said}"), text[:20]
        )
    return int(text)


def _levels() -> str:
    names = ", ".join(f"{level.rank}. {level.label}" for level in MaturityLevel)
    return _("The levels are: {names}.").format(names=names)


def _valid() -> str:
    return _("Valid filters: {filters} (e.g. `portfolio mine renewals 90 page 2`).").format(
        filters=_(FILTER_USAGE)
    )
