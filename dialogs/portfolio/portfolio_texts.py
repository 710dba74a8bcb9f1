"""How the portfolio and the KPIs read, in the turn's language: the scope line, the empty
text, each row's lines, the chart legends and the key figures.

Pure wording: domain objects (rows, KPIs, the query) in, text out; dates and numbers through
Babel (`i18n.formats`). The maturity level names and the lifecycle stage names are the
framework's own terms and stay as the seeds write them.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from cards.portfolio import BAND_LABELS, ChartSlice, KpiView, PortfolioRowView
from dialogs.common.messages import day_text, phase_name, score_text
from engagement.health_factors import Band
from engagement.kpis import Kpis
from engagement.models import MaturityLevel
from engagement.portfolio import BAND_ORDER, Page, PortfolioQuery, PortfolioRow
from i18n import _, ngettext
from i18n.formats import format_number, format_percent

RUN_COMMAND = "run_command"


def command_data(command: str, argument: str = "") -> dict[str, object]:
    """A button's submit data that runs `command argument` (the bot reads the English names)."""
    data: dict[str, object] = {"action": RUN_COMMAND, "command": command}
    if argument:
        data["argument"] = argument
    return data


def count_text(count: int) -> str:
    """`1,234` / `1.234`."""
    return format_number(count, 0)


def filtered_text(query: PortfolioQuery) -> str:
    """ "Filtered: mine, renewal within 90 days" or "All customers"."""
    if not query.filtered:
        return _("All customers")
    return _("Filtered: {filters}").format(filters=query.describe())


def scope_text(query: PortfolioQuery, page: Page, stored: int) -> str:
    """The line under the portfolio's title: the filters, how many match, a missing page."""
    scope = filtered_text(query)
    if query.filtered:
        scope += " " + _("({shown} of {stored})").format(
            shown=count_text(page.total), stored=count_text(stored)
        )
    if query.page != page.number:
        scope = _("{scope}. There is no page {wanted}; this is page {page}.").format(
            scope=scope, wanted=query.page, page=page.number
        )
    return scope


def empty_text(query: PortfolioQuery, stored: int) -> str:
    """What the portfolio says when no row is shown."""
    if not stored:
        return _("No customers yet. Type assess <name> or quick check <name> to add one.")
    return _("No customer matches {filters}. Type portfolio to see all {count}.").format(
        filters=query.describe(), count=count_text(stored)
    )


def level_name(level: MaturityLevel | None) -> str:
    """The level's name (the framework's term), or "not assessed"."""
    return level.label if level else _("not assessed")


def row_view(row: PortfolioRow) -> PortfolioRowView:
    """A portfolio row for the card: name, phase/level line, band, renewal, last touch."""
    return PortfolioRowView(
        name=row.name,
        phase_level=_("Iteration {number} · {phase} · {level}").format(
            number=row.iteration, phase=phase_name(row.phase), level=level_name(row.level)
        ),
        band=row.band.value,
        score_text="" if row.score is None else str(row.score),
        renewal=renewal_text(row.renewal_in_days, row.renewal_date),
        last_touch=touch_text(row.days_since_touch),
        health_data=command_data("health", row.customer_id),
    )


def renewal_text(days: int | None, when: date | None) -> str:
    """ "renews in 45 days (12 Mar 2027)", "renews today (…)", "renewal 3 days overdue (…)"."""
    if days is None or when is None:
        return _("no renewal date")
    if days < 0:
        return ngettext(
            "renewal {days} day overdue ({date})", "renewal {days} days overdue ({date})", -days
        ).format(days=count_text(-days), date=day_text(when))
    if days == 0:
        return _("renews today ({date})").format(date=day_text(when))
    return ngettext("renews in {days} day ({date})", "renews in {days} days ({date})", days).format(
        days=count_text(days), date=day_text(when)
    )


def touch_text(days: int | None) -> str:
    """ "touched 3 days ago", "touched today", "no touch yet"."""
    if days is None:
        return _("no touch yet")
    if days == 0:
        return _("touched today")
    return ngettext("touched {days} day ago", "touched {days} days ago", days).format(
        days=count_text(days)
    )


def level_slices(kpis: Kpis) -> list[ChartSlice]:
    """The maturity donut: one slice per level with customers (not assessed last)."""
    return [
        ChartSlice(
            level.label if level else _("Not assessed"),
            count,
            str(level.rank) if level else "none",
        )
        for level, count in kpis.by_level.items()
        if count
    ]


def band_slices(counts: Mapping[Band, int]) -> list[ChartSlice]:
    """The health pie: one slice per band with customers, riskiest first."""
    return [
        ChartSlice(_(BAND_LABELS[band.value]), counts.get(band, 0), band.value)
        for band in BAND_ORDER
        if counts.get(band, 0)
    ]


def _csat_text(kpis: Kpis) -> str:
    if kpis.csat_average is None:
        return _("no closed iteration with CSAT yet")
    return ngettext(
        "{average} of 5 from {count} closed iteration",
        "{average} of 5 from {count} closed iterations",
        kpis.csat_reviews,
    ).format(average=score_text(kpis.csat_average), count=count_text(kpis.csat_reviews))


def kpi_view(kpis: Kpis) -> KpiView:
    """The KPIs as label/value facts."""
    year = kpis.fiscal_year.short_label
    nps = f"{kpis.nps:+d}" if kpis.nps is not None else _("no scores yet")
    facts = [
        (_("Customers"), count_text(kpis.customers)),
        (_("CSAT {year}").format(year=year), _csat_text(kpis)),
        (_("NPS {year}").format(year=year), nps),
        *(
            (
                ngettext("Renewing within {days} day", "Renewing within {days} days", d).format(
                    days=count_text(d)
                ),
                count_text(n),
            )
            for d, n in kpis.renewals.items()
        ),
    ]
    if kpis.renewals_overdue:
        facts.append((_("Renewal date passed"), count_text(kpis.renewals_overdue)))
    if kpis.renewal_rate is not None:
        done = kpis.renewed + kpis.lost
        facts.append(
            (
                _("Renewal rate {year}").format(year=year),
                _("{rate} ({renewed} of {done})").format(
                    rate=format_percent(kpis.renewal_rate), renewed=kpis.renewed, done=done
                ),
            )
        )
        if kpis.lost:
            reasons = " · ".join(f"{reason} {n}" for reason, n in kpis.lost_reasons.items())
            facts.append((_("Churned {year}").format(year=year), f"{kpis.lost}: {reasons}"))
    phases = " · ".join(f"{phase_name(p)} {n}" for p, n in kpis.by_phase.items())
    facts.append((_("Phases"), phases))
    stages = " · ".join(f"{stage.value} {n}" for stage, n in kpis.by_stage.items())
    facts.append((_("Stages"), stages))
    levels = " · ".join(f"{level_name(level)} {n}" for level, n in kpis.by_level.items())
    facts.append((_("Levels"), levels))
    title = _("Key figures · {year}").format(year=kpis.fiscal_year.label)
    return KpiView(title=title, facts=facts)
