"""Use-case helpers over the CustomerRepository: load-or-explain, and change-with-retry."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from engagement.errors import ConcurrencyConflict, CustomerNotFound
from engagement.models import Customer
from engagement.ports import CustomerRepository

T = TypeVar("T")

# Each round of conflicting saves has a winner, so N writers racing on one customer (turns on
# several replicas) all succeed within N attempts.
MAX_ATTEMPTS = 20


async def load(repository: CustomerRepository, tenant_id: str, customer_id: str) -> Customer:
    """The customer or CustomerNotFound."""
    customer = await repository.get(tenant_id, customer_id)
    if customer is None:
        raise CustomerNotFound(tenant_id, customer_id)
    return customer


async def change(
    repository: CustomerRepository,
    tenant_id: str,
    customer_id: str,
    mutate: Callable[[Customer], T],
) -> tuple[Customer, T]:
    """Apply `mutate` to a fresh copy and save; on a version conflict re-read and re-apply.

    `mutate` must be a pure function of the customer (it may run more than once). Domain errors it
    raises propagate unchanged. After MAX_ATTEMPTS conflicts the last ConcurrencyConflict is raised.
    """
    conflict: ConcurrencyConflict | None = None
    for _ in range(MAX_ATTEMPTS):
        customer = await load(repository, tenant_id, customer_id)
        result = mutate(customer)
        try:
            return await repository.save(customer), result
        except ConcurrencyConflict as error:
            conflict = error
    assert conflict is not None
    raise conflict
