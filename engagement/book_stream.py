"""A tenant's whole book, a few customers at a time, from any CustomerRepository.

A repository that implements `engagement.ports.CustomerStream` (the embedded store) hands out
its customers decoded one by one in slices; any other is listed once and handed out in slices.
`CustomerTexts` holds many customers (an import) as JSON text, decoded one at a time.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from typing import overload

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


class CustomerTexts(Sequence[Customer]):
    """Customers kept as their JSON text, each decoded when it is read.

    Text is something the garbage collector never scans; 10,000 customers kept as objects are
    about 300,000 objects, and each of the collector's passes over them held the event loop for
    up to a quarter of a second during an import.
    """

    def __init__(self, texts: Sequence[str | bytes] = ()) -> None:
        self._texts = tuple(texts)

    def __len__(self) -> int:
        return len(self._texts)

    @overload
    def __getitem__(self, index: int) -> Customer: ...

    @overload
    def __getitem__(self, index: slice) -> CustomerTexts: ...

    def __getitem__(self, index: int | slice) -> Customer | CustomerTexts:
        if isinstance(index, slice):
            return CustomerTexts(self._texts[index])
        return Customer.model_validate_json(self._texts[index])

    def __add__(self, other: CustomerTexts) -> CustomerTexts:
        return CustomerTexts(self._texts + other._texts)

    def __repr__(self) -> str:
        return f"CustomerTexts({len(self)} customers)"
