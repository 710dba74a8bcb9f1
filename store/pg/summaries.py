"""PgCustomerSummaries: `customers` and finding a customer by name as one indexed query."""

from __future__ import annotations

from psycopg_pool import AsyncConnectionPool

from engagement.book import ListedSummaries, PortfolioAnswer, PortfolioRequest
from engagement.clock import Clock
from engagement.health import DEFAULT_POLICY, HealthPolicy
from engagement.models import Customer
from engagement.ports import CustomerRepository
from engagement.summary import NameListing, summarize

# Codepoint order (COLLATE "C"), as Python sorts the casefolded names.
_PAGE = """
SELECT doc FROM customers
WHERE tenant_id = %s AND strpos(name_key, %s) > 0
ORDER BY name_key COLLATE "C", id COLLATE "C"
LIMIT %s
"""
_COUNT = "SELECT count(*) FROM customers WHERE tenant_id = %s AND strpos(name_key, %s) > 0"


class PgCustomerSummaries:
    """Implements `engagement.ports.CustomerSummaries` for the PostgreSQL store.

    `by_name` reads only the page it shows (plus a count) and summarises those customers;
    `portfolio` still summarises every customer of the tenant in the process
    (`engagement.book.ListedSummaries`): a stored summary table is not built yet.

    Args:
        pool: The database's connection pool.
        customers: The repository `portfolio` lists.
        clock: Anything with `now()`.
        policy: The health policy.
    """

    def __init__(
        self,
        pool: AsyncConnectionPool,
        customers: CustomerRepository,
        clock: Clock,
        policy: HealthPolicy = DEFAULT_POLICY,
    ) -> None:
        self._pool = pool
        self._clock = clock
        self._policy = policy
        self._listed = ListedSummaries(customers, clock, policy)

    async def portfolio(self, tenant_id: str, request: PortfolioRequest) -> PortfolioAnswer:
        """See `engagement.ports.CustomerSummaries.portfolio` (O(book), see the class)."""
        return await self._listed.portfolio(tenant_id, request)

    async def by_name(self, tenant_id: str, *, contains: str = "", limit: int = 50) -> NameListing:
        """The first `limit` customers by name containing `contains`, and how many do."""
        wanted = contains.casefold()
        async with self._pool.connection() as connection:
            cursor = await connection.execute(_PAGE, [tenant_id, wanted, max(limit, 0)])
            rows = await cursor.fetchall()
            counted = await (await connection.execute(_COUNT, [tenant_id, wanted])).fetchone()
        now = self._clock.now()
        summaries = tuple(
            summarize(Customer.model_validate(row[0]), now, self._policy) for row in rows
        )
        return NameListing(summaries, int(counted[0]) if counted else 0)
