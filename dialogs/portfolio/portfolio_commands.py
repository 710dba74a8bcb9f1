"""`portfolio`, `health` and `kpis`: one async function per command.

Each takes the text after the command, the tenant and user, `now` and the customer repository,
and returns an Adaptive Card dict or reply text. No botbuilder:
the bot routes to these functions and sends what they return. Domain objects become card views
here; the rules live in `engagement.health`, `.portfolio` and `.kpis`. `export` and `import`
are in dialogs/portfolio/exchange_commands.py.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import datetime
from typing import Any

from cards.portfolio import (
    BAND_LABELS,
    MAX_ROWS,
    ChartSlice,
    HealthFactorView,
    HealthView,
    KpiView,
    PortfolioRowView,
    PortfolioView,
    health_card,
    portfolio_card,
)
from cards.text import escape_markdown
from dialogs.common.customer_names import did_you_mean, suggestions
from engagement.book import PortfolioRequest
from engagement.catalog import Catalog
from engagement.errors import InvalidCustomerName
from engagement.health import Health, assess_health
from engagement.health_factors import DEFAULT_POLICY, Band, HealthPolicy
from engagement.kpis import MICROSOFT_FISCAL_START, Kpis
from engagement.models import Customer
from engagement.naming import clean_customer_name, customer_id_for
from engagement.portfolio import (
    BAND_ORDER,
    PAGE_SIZE,
    Page,
    PortfolioQuery,
    PortfolioRow,
    QueryNotUnderstood,
    level_by_label,
    parse_query,
)
from engagement.ports import CustomerRepository, CustomerSummaries
from i18n import _

Reply = dict[str, Any] | str
RUN_COMMAND = "run_command"
MAX_CANDIDATES = 5
MAX_LOOKED_AT = 50  # names containing the text, looked at for an exact match


def _command(command: str, argument: str = "") -> dict[str, object]:
    data: dict[str, object] = {"action": RUN_COMMAND, "command": command}
    if argument:
        data["argument"] = argument
    return data


# ---------------------------------------------------------------- portfolio and kpis


async def portfolio_command(
    argument: str,
    tenant_id: str,
    user_id: str,
    now: datetime,
    summaries: CustomerSummaries,
    *,
    catalog: Catalog | None = None,
    page_size: int = PAGE_SIZE,
    fiscal_start_month: int = MICROSOFT_FISCAL_START,
) -> Reply:
    """`portfolio [mine|renewals N|level <level>] [page N]`: a page of customers, riskiest first.

    Page 1 also shows the KPIs and the maturity and health charts of the selected customers.
    An unknown filter gives a message listing the valid ones. Reads the customer summaries only.
    """
    try:
        query = parse_query(argument, catalog.find_level if catalog else level_by_label)
    except QueryNotUnderstood as error:
        return error.worded(escape_markdown)
    size = min(page_size, MAX_ROWS)  # the card shows MAX_ROWS at most
    request = PortfolioRequest(
        query, user_id, now, size, figures=True, fiscal_start_month=fiscal_start_month
    )
    answer = await summaries.portfolio(tenant_id, request)
    if answer.page.number != 1:
        answer = replace(answer, kpis=None, bands=None)
    page, kpis = answer.page, answer.kpis if answer.page.total else None
    filters = query.filter_text()
    view = PortfolioView(
        title="Portfolio",
        scope=_scope(query, page, answer.stored),
        rows=[row_view(row) for row in page.rows],
        page=page.number,
        pages=page.count,
        total=page.total,
        empty_text=_empty_text(query, answer.stored),
        level_chart=_level_slices(kpis) if kpis else [],
        band_chart=_band_slices(answer.bands or {}),
        kpis=kpi_view(kpis) if kpis else None,
        next_data=_command("portfolio", f"{filters} page {page.number + 1}".strip())
        if page.has_next
        else None,
        previous_data=_command("portfolio", f"{filters} page {page.number - 1}".strip())
        if page.has_previous
        else None,
    )
    return portfolio_card(view)


async def kpis_command(
    argument: str,
    tenant_id: str,
    user_id: str,
    now: datetime,
    summaries: CustomerSummaries,
    *,
    catalog: Catalog | None = None,
    fiscal_start_month: int = MICROSOFT_FISCAL_START,
) -> Reply:
    """`kpis [mine|renewals N|level <level>]`: CSAT and NPS this fiscal year, renewal pipeline,
    customers per phase and level, with the maturity donut and the health pie."""
    try:
        query = parse_query(argument, catalog.find_level if catalog else level_by_label)
    except QueryNotUnderstood as error:
        return error.worded(escape_markdown)
    request = PortfolioRequest(
        replace(query, page=1), user_id, now, 1, fiscal_start_month=fiscal_start_month
    )
    answer = await summaries.portfolio(tenant_id, request)
    kpis = answer.kpis
    assert kpis is not None  # figures were asked for
    view = PortfolioView(
        title="Partner KPIs",
        scope=f"Filtered: {query.describe()}" if query.filtered else "All customers",
        rows=[],
        page=1,
        pages=1,
        total=kpis.customers,
        show_rows=False,
        level_chart=_level_slices(kpis),
        band_chart=_band_slices(answer.bands or {}),
        kpis=kpi_view(kpis),
        portfolio_data=_command("portfolio", query.filter_text()),
    )
    return portfolio_card(view)


def _scope(query: PortfolioQuery, page: Page, stored: int) -> str:
    scope = f"Filtered: {query.describe()}" if query.filtered else "All customers"
    if query.filtered:
        scope += f" ({page.total:,} of {stored:,})"
    if query.page != page.number:
        scope += f". There is no page {query.page}; this is page {page.number}."
    return scope


def _empty_text(query: PortfolioQuery, stored: int) -> str:
    if not stored:
        return "No customers yet. Type assess <name> or quick check <name> to add one."
    return f"No customer matches {query.describe()}. Type portfolio to see all {stored:,}."


def row_view(row: PortfolioRow) -> PortfolioRowView:
    """A portfolio row for the card: name, phase/level line, band, renewal, last touch."""
    level = row.level.label if row.level else "not assessed"
    return PortfolioRowView(
        name=row.name,
        phase_level=f"Iteration {row.iteration} · {row.phase.value} · {level}",
        band=row.band.value,
        score_text="" if row.score is None else str(row.score),
        renewal=_renewal_text(row),
        last_touch=_touch_text(row.days_since_touch),
        health_data=_command("health", row.customer_id),
    )


def _renewal_text(row: PortfolioRow) -> str:
    days, when = row.renewal_in_days, row.renewal_date
    if days is None or when is None:
        return "no renewal date"
    if days < 0:
        return f"renewal {_days(-days)} overdue ({when:%d %b %Y})"
    if days == 0:
        return f"renews today ({when:%d %b %Y})"
    return f"renews in {_days(days)} ({when:%d %b %Y})"


def _touch_text(days: int | None) -> str:
    if days is None:
        return "no touch yet"
    return "touched today" if days == 0 else f"touched {_days(days)} ago"


def _days(count: int) -> str:
    return f"{count:,} day" + ("" if count == 1 else "s")


def _level_slices(kpis: Kpis) -> list[ChartSlice]:
    return [
        ChartSlice(
            level.label if level else "Not assessed", count, str(level.rank) if level else "none"
        )
        for level, count in kpis.by_level.items()
        if count
    ]


def _band_slices(counts: Mapping[Band, int]) -> list[ChartSlice]:
    return [
        ChartSlice(_(BAND_LABELS[band.value]), counts.get(band, 0), band.value)
        for band in BAND_ORDER
        if counts.get(band, 0)
    ]


def kpi_view(kpis: Kpis) -> KpiView:
    """The KPIs as label/value facts."""
    year = f"FY{kpis.fiscal_year.name}"
    csat = (
        f"{kpis.csat_average:.2f} of 5 from {kpis.csat_reviews} closed iteration"
        + ("" if kpis.csat_reviews == 1 else "s")
        if kpis.csat_average is not None
        else "no closed iteration with CSAT yet"
    )
    nps = f"{kpis.nps:+d}" if kpis.nps is not None else "no scores yet"
    facts = [
        ("Customers", f"{kpis.customers:,}"),
        (f"CSAT {year}", csat),
        (f"NPS {year}", nps),
        *((f"Renewing within {d} days", f"{n:,}") for d, n in kpis.renewals.items()),
    ]
    if kpis.renewals_overdue:
        facts.append(("Renewal date passed", f"{kpis.renewals_overdue:,}"))
    if kpis.renewal_rate is not None:
        done = kpis.renewed + kpis.lost
        facts.append(
            (f"Renewal rate {year}", f"{kpis.renewal_rate:.0%} ({kpis.renewed} of {done})")
        )
        if kpis.lost:
            reasons = " · ".join(f"{reason} {n}" for reason, n in kpis.lost_reasons.items())
            facts.append((f"Churned {year}", f"{kpis.lost}: {reasons}"))
    facts.append(("Phases", " · ".join(f"{p.value} {n}" for p, n in kpis.by_phase.items())))
    facts.append(("Stages", " · ".join(f"{st.value} {n}" for st, n in kpis.by_stage.items())))
    facts.append(
        (
            "Levels",
            " · ".join(
                f"{level.label if level else 'not assessed'} {n}"
                for level, n in kpis.by_level.items()
            ),
        )
    )
    return KpiView(title=f"Key figures · {kpis.fiscal_year.label}", facts=facts)


# ---------------------------------------------------------------- health


async def health_command(
    argument: str,
    tenant_id: str,
    user_id: str,
    now: datetime,
    customers: CustomerRepository,
    summaries: CustomerSummaries,
    *,
    policy: HealthPolicy = DEFAULT_POLICY,
) -> Reply:
    """`health <customer>`: the customer's health card, or a message saying who is meant."""
    if not argument.strip():
        return "Which customer? Type `health <customer>`, e.g. `health Contoso`."
    found = await find_customer(argument, tenant_id, customers, summaries)
    if isinstance(found, str):
        return found
    return health_card(health_view(found, assess_health(found, now, policy)))


async def find_customer(
    argument: str, tenant_id: str, customers: CustomerRepository, summaries: CustomerSummaries
) -> Customer | str:
    """The customer named (by name or id, exactly, else one name containing the text), or a
    message: unknown, ambiguous (with candidates), or an unusable name."""
    try:
        name = clean_customer_name(argument)
        customer = await customers.get(tenant_id, customer_id_for(name))
    except InvalidCustomerName as error:
        return f"That does not work as a customer name: {error.reason}."
    if customer is not None:
        return customer
    wanted = name.casefold()
    listing = await summaries.by_name(tenant_id, contains=name, limit=MAX_LOOKED_AT)
    candidates = listing.summaries
    exact = [c for c in candidates if c.name.casefold() == wanted]
    if len(exact) == 1 or listing.total == 1:
        found = await customers.get(tenant_id, (exact or candidates)[0].customer_id)
        if found is not None:
            return found
    if candidates:
        names = ", ".join(escape_markdown(c.name) for c in candidates[:MAX_CANDIDATES])
        more = listing.total - MAX_CANDIDATES
        more_text = f" and {more:,} more" if more > 0 else ""
        return (
            f'Several customers match "{escape_markdown(name[:60])}": {names}{more_text}. '
            "Which one?"
        )
    close = await suggestions(customers, tenant_id, name)
    return (
        f'I don\'t know a customer called "{escape_markdown(name[:60])}" in your organisation.'
        f"{did_you_mean(close, 'health')} Type `portfolio` to see your customers."
    )


def health_view(customer: Customer, health: Health) -> HealthView:
    """The health card's data."""
    factors = []
    for factor in health.factors:
        if factor.score is not None:
            score_text = f"{round(factor.score * 100)} points"
            weight = f"weight {factor.weight} · counts {round(factor.share * 100)} %"
        else:
            score_text = "missing" if factor.missing else "not counted"
            weight = f"weight {factor.weight} · not counted"
        factors.append(
            HealthFactorView(
                label=factor.label,
                rating=factor.rating.value,
                score_text=score_text,
                weight_text=weight,
                value=factor.value.removeprefix("missing: "),
                advice=factor.advice,
            )
        )
    return HealthView(
        customer_name=customer.name,
        score=health.score,
        band=health.band.value,
        summary=list(health.summary),
        factors=factors,
        portfolio_data=_command("portfolio"),
    )
