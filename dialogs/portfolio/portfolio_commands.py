"""`portfolio`, `health` and `kpis`: one async function per command.

Each takes the text after the command, the tenant and user, `now` and the customer repository,
and returns an Adaptive Card dict or reply text. No botbuilder:
the bot routes to these functions and sends what they return. Domain objects become card views
here; the rules live in `engagement.health`, `.portfolio` and `.kpis`. `export` and `import`
are in dialogs/portfolio/exchange_commands.py.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Any

from cards.portfolio import (
    MAX_ROWS,
    HealthFactorView,
    HealthView,
    PortfolioView,
    health_card,
    portfolio_card,
)
from cards.text import escape_markdown
from dialogs.common.customer_names import did_you_mean, suggestions
from dialogs.common.messages import name_problem
from dialogs.portfolio.portfolio_texts import (
    band_slices,
    command_data,
    count_text,
    empty_text,
    filtered_text,
    kpi_view,
    level_slices,
    row_view,
    scope_text,
)
from engagement.book import PortfolioRequest
from engagement.catalog import Catalog
from engagement.errors import InvalidCustomerName
from engagement.health import Health, assess_health
from engagement.health_factors import DEFAULT_POLICY, HealthPolicy
from engagement.kpis import MICROSOFT_FISCAL_START
from engagement.models import Customer
from engagement.naming import clean_customer_name, customer_id_for
from engagement.portfolio import PAGE_SIZE, QueryNotUnderstood, level_by_label, parse_query
from engagement.ports import CustomerRepository, CustomerSummaries
from i18n import N_, _, ngettext

Reply = dict[str, Any] | str
MAX_CANDIDATES = 5
MAX_LOOKED_AT = 50  # names containing the text, looked at for an exact match
HEALTH = N_("health")  # the command's name, in suggestions ("gesundheit" in German)


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
        title=_("Portfolio"),
        scope=scope_text(query, page, answer.stored),
        rows=[row_view(row) for row in page.rows],
        page=page.number,
        pages=page.count,
        total=page.total,
        empty_text=empty_text(query, answer.stored),
        level_chart=level_slices(kpis) if kpis else [],
        band_chart=band_slices(answer.bands or {}),
        kpis=kpi_view(kpis) if kpis else None,
        next_data=command_data("portfolio", f"{filters} page {page.number + 1}".strip())
        if page.has_next
        else None,
        previous_data=command_data("portfolio", f"{filters} page {page.number - 1}".strip())
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
        title=_("Partner KPIs"),
        scope=filtered_text(query),
        rows=[],
        page=1,
        pages=1,
        total=kpis.customers,
        show_rows=False,
        level_chart=level_slices(kpis),
        band_chart=band_slices(answer.bands or {}),
        kpis=kpi_view(kpis),
        portfolio_data=command_data("portfolio", query.filter_text()),
    )
    return portfolio_card(view)


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
        return _("Which customer? Type `health <customer>`, e.g. `health Contoso`.")
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
        return _("That does not work as a customer name: {problem}.").format(
            problem=name_problem(error)
        )
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
        if more > 0:
            names = _("{names} and {count} more").format(names=names, count=count_text(more))
        return _('Several customers match "{name}": {names}. Which one?').format(
            name=escape_markdown(name[:60]), names=names
        )
    close = await suggestions(customers, tenant_id, name)
    return _(
        'I don\'t know a customer called "{name}" in your organisation.{suggestions} '
        "Type `portfolio` to see your customers."
    ).format(name=escape_markdown(name[:60]), suggestions=did_you_mean(close, _(HEALTH)))


def health_view(customer: Customer, health: Health) -> HealthView:
    """The health card's data."""
    factors = []
    for factor in health.factors:
        if factor.score is not None:
            points = round(factor.score * 100)
            score_text = ngettext("{points} point", "{points} points", points).format(points=points)
            weight = _("weight {weight} · counts {share}").format(
                weight=factor.weight, share=f"{round(factor.share * 100)} %"
            )
        else:
            score_text = _("missing") if factor.missing else _("not counted")
            weight = _("weight {weight} · not counted").format(weight=factor.weight)
        factors.append(
            HealthFactorView(
                label=factor.label,
                rating=factor.rating.value,
                score_text=score_text,
                weight_text=weight,
                value=factor.measured,  # without "missing: " (the score text says it)
                advice=factor.advice,
            )
        )
    return HealthView(
        customer_name=customer.name,
        score=health.score,
        band=health.band.value,
        summary=list(health.summary),
        factors=factors,
        portfolio_data=command_data("portfolio"),
    )
