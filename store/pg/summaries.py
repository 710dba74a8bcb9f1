"""PgCustomerSummaries: `portfolio`, `kpis`, `customers` and finding a customer by name as SQL.

Every customer write also writes its row of `customer_summaries` in the same transaction
(store/pg/summary_rows.py), so these commands read summary rows through indexes and never a
customer document:

- `portfolio` page: `ORDER BY band_rank, renewal_date, name_key, customer_id LIMIT/OFFSET`
  over the filters (`engagement.portfolio.matches` as SQL), served by `customer_summaries_risk`
  (or `_owner` for `mine`); counts and KPIs are aggregates over the same selection
  (store/pg/kpi_queries.py).
- `customers` / by name: `customer_summaries_name`, names in codepoint order (COLLATE "C").
- Summaries whose health is from an earlier day are counted as `stale`, used meanwhile, and
  recomputed in the background from the customer documents, in batches claimed with
  `FOR UPDATE OF customers SKIP LOCKED` (replicas share the work; a concurrent save waits for
  the batch and then writes its newer summary). Summaries missing after the migration that
  added them are built at start-up the same way.
"""

from __future__ import annotations

import asyncio
import logging
import math
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from psycopg_pool import AsyncConnectionPool

from engagement.book import PortfolioAnswer, PortfolioRequest
from engagement.clock import Clock
from engagement.health_factors import DEFAULT_POLICY, HealthPolicy
from engagement.models import Customer
from engagement.portfolio import Page, PortfolioQuery, row_of
from engagement.summary import NameListing
from store.pg.kpi_queries import count_figures
from store.pg.summary_rows import COLUMNS, summary_of, write_summaries

logger = logging.getLogger(__name__)

REFRESH_BATCH = 500
_RISK_ORDER = "band_rank, renewal_date, name_key, customer_id"
_BY_NAME = f"""
SELECT {COLUMNS} FROM customer_summaries
WHERE tenant_id = %(tenant)s{{contains}}
ORDER BY name_key, customer_id LIMIT %(limit)s
"""
_REFRESH = """
SELECT c.doc FROM customers c
LEFT JOIN customer_summaries s ON s.tenant_id = c.tenant_id AND s.customer_id = c.id COLLATE "C"
WHERE {tenant} (s.customer_id IS NULL OR s.as_of < %(before)s)
LIMIT %(batch)s
FOR UPDATE OF c SKIP LOCKED
"""


def selection(query: PortfolioQuery, user_id: str, today: date) -> tuple[str, dict[str, Any]]:
    """`engagement.portfolio.matches` as a WHERE clause over `customer_summaries` (without the
    tenant) and its named parameters."""
    clauses: list[str] = []
    parameters: dict[str, Any] = {}
    if query.mine:
        clauses.append("owner_id = %(user)s")
        parameters["user"] = user_id
    if query.renewals_within is not None:
        clauses.append("renewal_date <= %(renews_by)s")
        parameters["renews_by"] = today + timedelta(days=query.renewals_within)
    if query.stage is not None:
        clauses.append("stage = %(stage)s")
        parameters["stage"] = query.stage.value
    if query.level is not None:
        clauses.append("level = %(level)s")
        parameters["level"] = query.level.value
    return " AND ".join(clauses) or "true", parameters


def start_of(day: date) -> datetime:
    """Midnight UTC of `day`: summaries computed before it are stale on `day`."""
    return datetime.combine(day, time(0), UTC)


class PgCustomerSummaries:
    """Implements `engagement.ports.CustomerSummaries` for the PostgreSQL store (see the module).

    Args:
        pool: The database's connection pool.
        clock: The moment summaries are recomputed for.
        policy: The health policy.
    """

    def __init__(
        self, pool: AsyncConnectionPool, clock: Clock, policy: HealthPolicy = DEFAULT_POLICY
    ) -> None:
        self._pool = pool
        self._clock = clock
        self._policy = policy
        self._refreshing: dict[str, asyncio.Task[int]] = {}

    async def portfolio(self, tenant_id: str, request: PortfolioRequest) -> PortfolioAnswer:
        """See `engagement.ports.CustomerSummaries.portfolio`."""
        if request.page_size < 1:
            raise ValueError(f"page size must be at least 1, got {request.page_size}")
        today = request.now.date()
        where, parameters = selection(request.query, request.user_id, today)
        parameters |= {"tenant": tenant_id, "stale_before": start_of(today)}
        tenant = "tenant_id = %(tenant)s"
        size = request.page_size
        async with self._pool.connection() as connection:
            figures = None
            counted: tuple[Any, ...] | None
            if request.figures:
                counted, kpis, bands = await count_figures(
                    connection, tenant, where, parameters, request.now, request.fiscal_start_month
                )
                figures = (kpis, bands)
            else:
                totals = f"""
                    SELECT count(*), count(*) FILTER (WHERE as_of < %(stale_before)s),
                           count(*) FILTER (WHERE {where})
                    FROM customer_summaries WHERE {tenant}"""
                counted = await (await connection.execute(totals, parameters)).fetchone()
            stored, stale, selected = counted if counted else (0, 0, 0)
            count = max(1, math.ceil(selected / size))
            number = min(max(request.query.page, 1), count)
            page_sql = f"""
                SELECT {COLUMNS} FROM customer_summaries WHERE {tenant} AND {where}
                ORDER BY {_RISK_ORDER} LIMIT %(size)s OFFSET %(skip)s"""
            cursor = await connection.execute(
                page_sql, parameters | {"size": size, "skip": (number - 1) * size}
            )
            rows = await cursor.fetchall()
        if stale:
            self.refresh_later(tenant_id)
        return PortfolioAnswer(
            page=Page(
                tuple(row_of(summary_of(row), request.now) for row in rows),
                number,
                count,
                selected,
            ),
            stored=stored,
            kpis=figures[0] if figures else None,
            bands=figures[1] if figures else None,
            stale=stale,
        )

    async def by_name(self, tenant_id: str, *, contains: str = "", limit: int = 50) -> NameListing:
        """The first `limit` customers by name containing `contains`, and how many do."""
        wanted = contains.casefold()
        clause = " AND strpos(name_key, %(wanted)s) > 0" if wanted else ""
        parameters = {"tenant": tenant_id, "wanted": wanted, "limit": max(limit, 0)}
        async with self._pool.connection() as connection:
            cursor = await connection.execute(_BY_NAME.format(contains=clause), parameters)
            rows = await cursor.fetchall()
            counted = await (
                await connection.execute(
                    f"SELECT count(*) FROM customer_summaries WHERE tenant_id = %(tenant)s{clause}",
                    parameters,
                )
            ).fetchone()
        total = int(counted[0]) if counted else 0
        return NameListing(tuple(summary_of(row) for row in rows), total)

    async def owned_by(self, tenant_id: str, owner_id: str) -> list[str]:
        """See `engagement.ports.CustomerSummaries.owned_by` (`customer_summaries_owner`)."""
        async with self._pool.connection() as connection:
            cursor = await connection.execute(
                "SELECT customer_id FROM customer_summaries"
                " WHERE tenant_id = %(tenant)s AND owner_id = %(owner)s ORDER BY customer_id",
                {"tenant": tenant_id, "owner": owner_id},
            )
            return [str(row[0]) for row in await cursor.fetchall()]

    # ---------------------------------------------------------------- recomputing

    def refresh_later(self, tenant_id: str) -> asyncio.Task[int]:
        """Recompute the tenant's stale summaries in the background (one task per tenant)."""
        task = self._refreshing.get(tenant_id)
        if task is None or task.done():
            today = self._clock.now().date()
            task = asyncio.get_running_loop().create_task(self.refresh(tenant_id, start_of(today)))
            self._refreshing[tenant_id] = task
        return task

    async def refresh(self, tenant_id: str | None, before: datetime) -> int:
        """Compute the summary of every customer (of `tenant_id`, or of all tenants for None)
        whose summary is missing or was computed before `before`; returns how many."""
        before = min(before, self._clock.now())  # what is written now is never picked again
        tenant = "c.tenant_id = %(tenant)s AND" if tenant_id is not None else ""
        query = _REFRESH.format(tenant=tenant)
        parameters = {"tenant": tenant_id, "before": before, "batch": REFRESH_BATCH}
        done = 0
        while True:
            async with self._pool.connection() as connection, connection.transaction():
                rows = await (await connection.execute(query, parameters)).fetchall()
                customers = [Customer.model_validate(row[0]) for row in rows]
                await write_summaries(connection, customers, self._clock.now(), self._policy)
            done += len(customers)
            if len(customers) < REFRESH_BATCH:
                break
        if done:
            logger.info("recomputed %d customer summaries (tenant %s)", done, tenant_id or "all")
        return done

    async def close(self) -> None:
        """Stop the background recomputations."""
        tasks = list(self._refreshing.values())
        self._refreshing.clear()
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
