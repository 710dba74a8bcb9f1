"""Portfolio, KPI and health cards: view data in, Adaptive Card 1.5 dicts out.

Never imports botbuilder, aiohttp, or the engagement, store, bot or dialogs packages: the dialogs
turn domain objects into the plain views below. Follows `cards.library`: view text is shown in
`TextRun`s (no Markdown), texts are clipped per field and shrunk together until the card fits
under 28 KB (`_fitted`), submit data is never shortened, and every chart has a fallback.

Bands are the strings "red", "yellow", "green" and "unknown"; anything else shows as unknown.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from cards.library import _fitted, _Limits
from cards.renderer import render_card
from i18n import N_, _, ngettext
from i18n.formats import format_number

BAND_LABELS = {
    "red": N_("Red"),
    "yellow": N_("Yellow"),
    "green": N_("Green"),
    "unknown": N_("Unknown"),
}
_TEXT_COLORS = {"red": "Attention", "yellow": "Warning", "green": "Good", "unknown": "Default"}
CHART_COLORS = {"red": "attention", "yellow": "warning", "green": "good", "unknown": "neutral"}
_LEVEL_COLORS = ("categoricalRed", "categoricalMarigold", "categoricalLightBlue", "categoricalBlue")
_NOT_ASSESSED_COLOR = "neutral"
MAX_ROWS = 20  # a page never shows more rows, whatever page size the caller asks for
MAX_SLICES = 8
MAX_FACTORS = 8
MAX_KPI_FACTS = 16
MAX_SUMMARY_LINES = 4
_GAUGE_SEGMENTS = ((40, "red", "attention"), (30, "yellow", "warning"), (30, "green", "good"))


@dataclass(frozen=True)
class PortfolioRowView:
    """One customer row, stacked so that it reads on a phone."""

    name: str
    phase_level: str  # "Iteration 2 · deliver · Cloud is a solution"
    band: str  # red / yellow / green / unknown
    score_text: str  # "42", "" when unknown
    renewal: str  # "renews in 45 days (12 Mar 2027)"
    last_touch: str  # "touched 3 days ago"
    health_data: dict[str, object] | None = None  # submit data of the row (opens its health card)


@dataclass(frozen=True)
class ChartSlice:
    """One slice of a donut or pie chart; `key` picks the colour (a band, a level rank 1-4)."""

    legend: str
    value: int
    key: str = ""


@dataclass(frozen=True)
class KpiView:
    """Key figures as label/value pairs, with a heading ("Key figures · FY2026 (…)")."""

    title: str
    facts: list[tuple[str, str]]


@dataclass(frozen=True)
class PortfolioView:
    """A page of the portfolio; charts and KPIs usually only on page 1."""

    title: str  # "Portfolio", "Partner KPIs"
    scope: str  # "All customers" / "Filtered: mine, renewal within 90 days"
    rows: list[PortfolioRowView]
    page: int
    pages: int
    total: int
    show_rows: bool = True
    empty_text: str = N_("No customers match.")  # shown through _(): a default in English
    level_chart: list[ChartSlice] = field(default_factory=list)
    band_chart: list[ChartSlice] = field(default_factory=list)
    kpis: KpiView | None = None
    next_data: dict[str, object] | None = None
    previous_data: dict[str, object] | None = None
    portfolio_data: dict[str, object] | None = None  # a "Portfolio" button (on the KPI card)


@dataclass(frozen=True)
class HealthFactorView:
    """One factor of a health score."""

    label: str
    rating: str  # a band; "unknown" when missing
    score_text: str  # "85 points" / "missing" / "not scored"
    weight_text: str  # "weight 25 · counts 29 %"
    value: str
    advice: str = ""


@dataclass(frozen=True)
class HealthView:
    """A customer's health card."""

    customer_name: str
    score: int | None
    band: str
    summary: list[str]
    factors: list[HealthFactorView]
    portfolio_data: dict[str, object] | None = None


def _band(band: str) -> str:
    return band if band in BAND_LABELS else "unknown"


def _slices(slices: Sequence[ChartSlice], lim: _Limits, colours: dict[str, str]) -> list[Any]:
    return [
        {"legend": lim.short(s.legend), "value": s.value, "color": colours.get(s.key, "neutral")}
        for s in slices[:MAX_SLICES]
    ]


def _level_colours() -> dict[str, str]:
    colours = {str(rank): color for rank, color in enumerate(_LEVEL_COLORS, start=1)}
    colours["none"] = _NOT_ASSESSED_COLOR
    return colours


def _row(row: PortfolioRowView, lim: _Limits) -> dict[str, Any]:
    band = _band(row.band)
    badge = _(BAND_LABELS[band]) + (f" {row.score_text}" if row.score_text else "")
    return {
        "name": lim.short(row.name),
        "phase_level": lim.short(row.phase_level),
        "badge": badge,
        "color": _TEXT_COLORS[band],
        "renewal": lim.short(row.renewal),
        "last_touch": lim.short(row.last_touch),
        "data": row.health_data,
    }


def _page_actions(view: PortfolioView) -> list[dict[str, Any]]:
    buttons = (
        (_("Previous page"), view.previous_data, "default"),
        (_("Next page"), view.next_data, "positive"),
        (_("Portfolio"), view.portfolio_data, "default"),
    )
    return [
        {
            "type": "Action.Submit",
            "title": title,
            "style": style,
            "associatedInputs": "none",
            "data": data,
        }
        for title, data, style in buttons
        if data is not None
    ]


def portfolio_card(view: PortfolioView) -> dict[str, Any]:
    """A page of the portfolio: KPIs and charts (each chart with a fallback), then the rows,
    "page i of n" and Previous/Next page buttons. With `show_rows` off it is the KPI card."""
    pages = max(view.pages, 1)
    page = min(max(view.page, 1), pages)

    def build(lim: _Limits) -> dict[str, Any]:
        rows = view.rows[:MAX_ROWS] if view.show_rows else []
        kpis = None
        if view.kpis is not None:
            kpis = {
                "title": lim.short(view.kpis.title),
                "facts": [
                    {"title": lim.short(label), "value": lim.short(value)}
                    for label, value in view.kpis.facts[:MAX_KPI_FACTS]
                ],
            }
        return render_card(
            "portfolio",
            title=lim.short(view.title),
            scope=lim.line(view.scope),
            kpis=kpis,
            level_chart=_slices(view.level_chart, lim, _level_colours()),
            band_chart=_slices(view.band_chart, lim, CHART_COLORS),
            show_rows=view.show_rows,
            rows=[_row(row, lim) for row in rows],
            empty_text=lim.line(_(view.empty_text)) if view.show_rows and not rows else "",
            footer=ngettext(
                "Page {page} of {pages} · {total} customer",
                "Page {page} of {pages} · {total} customers",
                view.total,
            ).format(page=page, pages=pages, total=format_number(view.total, 0))
            if view.show_rows
            else "",
            actions=_page_actions(view),
        )

    return _fitted("portfolio", build)


def health_card(view: HealthView) -> dict[str, Any]:
    """One customer's health: score with a gauge (and fallback), band, summary, each factor with
    its value or "missing", its weight and share, and what to do next."""
    band = _band(view.band)
    score = None if view.score is None else min(max(view.score, 0), 100)

    def build(lim: _Limits) -> dict[str, Any]:
        factors = [
            {
                "label": lim.short(f.label),
                "rating": lim.short(f.score_text),
                "color": _TEXT_COLORS[_band(f.rating)],
                "weight": lim.short(f.weight_text),
                "value": lim.line(f.value),
                "advice": lim.line(f.advice),
            }
            for f in view.factors[:MAX_FACTORS]
        ]
        return render_card(
            "health",
            customer_name=lim.short(view.customer_name),
            score=score,
            score_text=_("Unknown") if score is None else f"{score}",
            band_label=_(BAND_LABELS[band]),
            color=_TEXT_COLORS[band],
            gauge_segments=[
                {"size": size, "legend": _(BAND_LABELS[key]), "color": color}
                for size, key, color in _GAUGE_SEGMENTS
            ],
            gauge_fallback=_("Score {score} of 100 ({band})").format(
                score=_("unknown") if score is None else score, band=_(BAND_LABELS[band])
            ),
            summary=[lim.line(line) for line in view.summary[:MAX_SUMMARY_LINES]],
            factors=factors,
            portfolio_data=view.portfolio_data,
        )

    return _fitted("health", build)
