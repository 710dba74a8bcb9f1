"""Finding customers by part of their name: the PostgreSQL query answers as the domain's tally."""

from __future__ import annotations

from store_support import NOW, Backend, make_customer

from engagement.book import ListedSummaries
from engagement.clock import FixedClock
from engagement.ports import CustomerSummaries

TENANT = "tenant-names"
NAMES = ["Contoso", "contoso Labs", "Ärzte Contoso", "Fabrikam", "CONTOSO Zeta", "Zürich AG"]


def _summaries(backend: Backend) -> CustomerSummaries:
    return backend.summaries


async def test_by_name_pages_and_counts_as_the_domain_does(backend: Backend) -> None:
    for number, name in enumerate(NAMES):
        await backend.customers.add(make_customer(TENANT, f"c{number}", name))
    await backend.customers.add(make_customer("other-tenant", "c9", "Contoso Elsewhere"))
    expected = ListedSummaries(backend.customers, FixedClock(NOW))

    for contains, limit in [("", 50), ("contoso", 2), ("CONTOSO", 50), ("zü", 5), ("none", 5)]:
        found = await _summaries(backend).by_name(TENANT, contains=contains, limit=limit)
        wanted = await expected.by_name(TENANT, contains=contains, limit=limit)
        assert [s.customer_id for s in found.summaries] == [s.customer_id for s in wanted.summaries]
        assert found.total == wanted.total
