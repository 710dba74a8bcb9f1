"""A tenant's whole book, a few customers at a time, from any CustomerRepository.

A repository that implements `engagement.ports.CustomerStream` (the embedded store) hands out
its customers decoded one by one in slices; any other is listed once and handed out in slices.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

from engagement.models import Customer
from engagement.ports import CustomerRepository, CustomerStream
from engagement.slices import sliced


async def each_customer(customers: CustomerRepository, tenant_id: str) -> AsyncIterator[Customer]:
    """Every customer of the tenant, ordered by name, yielding to other turns in between."""
    if isinstance(customers, CustomerStream):
        async for customer in customers.each(tenant_id):
            yield customer
        return
    async for customer in sliced(await customers.list(tenant_id)):
        yield customer


async def customer_ids(customers: CustomerRepository, tenant_id: str) -> set[str]:
    """The ids of the tenant's customers."""
    if isinstance(customers, CustomerStream):
        return await customers.ids(tenant_id)
    return {customer.id for customer in await customers.list(tenant_id)}
