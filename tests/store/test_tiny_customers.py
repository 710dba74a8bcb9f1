"""Customer repositories, TinyDB and PostgreSQL: tenants, round trips, versions, no lost update."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest
from store_support import NOW, OWNER, Backend, make_customer

from engagement.customers import change
from engagement.errors import ConcurrencyConflict, CustomerAlreadyExists, CustomerNotFound
from engagement.models import Contact, Customer, Touch, TouchKind
from engagement.ports import CustomerRepository, CustomerStream
from store import Store, TinyCustomerRepository, open_store
from store.pg import PgCustomerRepository, PostgresStore

TENANT_A = "11111111-aaaa-4aaa-8aaa-000000000001"
TENANT_B = "22222222-bbbb-4bbb-8bbb-000000000002"


def test_implements_the_domain_port(store: Store) -> None:
    repository: CustomerRepository = store.customers
    assert isinstance(repository, TinyCustomerRepository)


def test_the_postgres_repository_implements_the_domain_port() -> None:
    repository: CustomerRepository = PostgresStore("postgresql://").customers
    assert isinstance(repository, PgCustomerRepository)


async def test_add_get_save_round_trip(backend: Backend) -> None:
    added = await backend.customers.add(make_customer(TENANT_A, "contoso", "Contoso Ltd."))
    assert added.version == 1

    loaded = await backend.customers.get(TENANT_A, "contoso")
    assert loaded == added

    assert loaded is not None
    loaded.contacts.append(Contact(name='Ada "Bobby" O\'Neil \\ </script> 🎉', role="CIO"))
    loaded.updated_at = NOW + timedelta(hours=1)
    saved = await backend.customers.save(loaded)

    assert saved.version == 2
    assert saved.updated_at == NOW + timedelta(hours=1)  # stamped by the domain, kept as given
    assert await backend.customers.get(TENANT_A, "contoso") == saved


async def test_returned_copies_are_independent(backend: Backend) -> None:
    customer = make_customer(TENANT_A, "contoso")
    added = await backend.customers.add(customer)
    added.contacts.append(Contact(name="not saved"))

    assert customer.version == 0
    assert (await backend.customers.get(TENANT_A, "contoso")) == added.model_copy(
        update={"contacts": []}
    )


async def test_get_unknown_customer_is_none(backend: Backend) -> None:
    assert await backend.customers.get(TENANT_A, "nobody") is None


async def test_add_twice_raises_already_exists(backend: Backend) -> None:
    await backend.customers.add(make_customer(TENANT_A, "contoso"))
    with pytest.raises(CustomerAlreadyExists):
        await backend.customers.add(make_customer(TENANT_A, "contoso", "Another Contoso"))
    stored = await backend.customers.get(TENANT_A, "contoso")
    assert stored is not None
    assert stored.name == "Contoso"


async def test_save_of_unknown_customer_raises_not_found(backend: Backend) -> None:
    with pytest.raises(CustomerNotFound):
        await backend.customers.save(make_customer(TENANT_A, "contoso"))


async def test_tenant_cannot_see_another_tenants_customer(backend: Backend) -> None:
    added = await backend.customers.add(make_customer(TENANT_A, "contoso", "Contoso A"))

    assert await backend.customers.get(TENANT_B, "contoso") is None
    assert await backend.customers.list(TENANT_B) == []
    with pytest.raises(CustomerNotFound):
        await backend.customers.save(added.model_copy(update={"tenant_id": TENANT_B}))


async def test_same_id_in_two_tenants_are_two_customers(backend: Backend) -> None:
    await backend.customers.add(make_customer(TENANT_A, "contoso", "Contoso A"))
    await backend.customers.add(make_customer(TENANT_B, "contoso", "Contoso B"))

    a = await backend.customers.get(TENANT_A, "contoso")
    b = await backend.customers.get(TENANT_B, "contoso")
    assert a is not None
    assert b is not None
    assert (a.name, b.name) == ("Contoso A", "Contoso B")
    assert [c.name for c in await backend.customers.list(TENANT_A)] == ["Contoso A"]


async def test_list_is_sorted_by_name_casefolded(backend: Backend) -> None:
    for customer_id, name in [("zeta", "zeta"), ("alpha", "Alpha"), ("beta", "BETA")]:
        await backend.customers.add(make_customer(TENANT_A, customer_id, name))

    names = [customer.name for customer in await backend.customers.list(TENANT_A)]

    assert names == ["Alpha", "BETA", "zeta"]


async def test_the_embedded_store_hands_out_a_tenants_customers_one_at_a_time(
    store: Store,
) -> None:
    for customer_id, name in [("zeta", "zeta"), ("alpha", "Alpha"), ("beta", "BETA")]:
        await store.customers.add(make_customer(TENANT_A, customer_id, name))
    await store.customers.add(make_customer(TENANT_B, "other", "Aardvark"))
    saved = await store.customers.get(TENANT_A, "beta")
    assert saved is not None
    saved.contacts.append(Contact(name="Saved"))
    await store.customers.save(saved)

    streamed = [customer async for customer in store.customers.each(TENANT_A)]

    assert isinstance(store.customers, CustomerStream)
    assert streamed == await store.customers.list(TENANT_A)
    assert [c.name for c in streamed] == ["Alpha", "BETA", "zeta"]
    assert await store.customers.ids(TENANT_A) == {"alpha", "beta", "zeta"}
    assert await store.customers.ids("tenant-without-customers") == set()


async def test_stale_version_raises_conflict_and_keeps_the_stored_customer(
    backend: Backend,
) -> None:
    await backend.customers.add(make_customer(TENANT_A, "contoso"))
    first = await backend.customers.get(TENANT_A, "contoso")
    second = await backend.customers.get(TENANT_A, "contoso")
    assert first is not None
    assert second is not None
    first.contacts.append(Contact(name="First"))
    second.contacts.append(Contact(name="Second"))
    await backend.customers.save(first)

    with pytest.raises(ConcurrencyConflict) as conflict:
        await backend.customers.save(second)

    assert (conflict.value.expected_version, conflict.value.actual_version) == (1, 2)
    stored = await backend.customers.get(TENANT_A, "contoso")
    assert stored is not None
    assert [contact.name for contact in stored.contacts] == ["First"]
    assert stored.version == 2


async def test_customers_survive_reopening(data_dir: Path) -> None:
    with open_store(data_dir) as first:
        await first.customers.add(make_customer(TENANT_A, "contoso"))
    with open_store(data_dir) as second:
        reopened = await second.customers.get(TENANT_A, "contoso")
    assert reopened is not None
    assert reopened.version == 1


def _touch(number: int) -> Callable[[Customer], None]:
    def append(customer: Customer) -> None:
        customer.touches.append(
            Touch(at=NOW, by=OWNER, kind=TouchKind.CALL, note=f"touch {number}")
        )
        customer.updated_at = NOW

    return append


async def test_concurrent_changes_lose_no_update(backend: Backend) -> None:
    await backend.customers.add(make_customer(TENANT_A, "contoso"))

    await asyncio.gather(
        *(change(backend.customers, TENANT_A, "contoso", _touch(n)) for n in range(20))
    )

    stored = await backend.customers.get(TENANT_A, "contoso")
    assert stored is not None
    assert sorted(touch.note for touch in stored.touches) == sorted(f"touch {n}" for n in range(20))
    assert stored.version == 21


class RivalWriterRepository:
    """A repository through which, right after the first read, a rival saves its own change.

    This is the race `change` guards against: another turn (or replica) saves between our read
    and our save.
    """

    def __init__(self, inner: CustomerRepository, rival: Callable[[Customer], None]) -> None:
        self._inner = inner
        self._rival: Callable[[Customer], None] | None = rival
        self.conflicts = 0

    async def get(self, tenant_id: str, customer_id: str) -> Customer | None:
        customer = await self._inner.get(tenant_id, customer_id)
        if self._rival is not None:
            rival, self._rival = self._rival, None
            await change(self._inner, tenant_id, customer_id, rival)
        return customer

    async def add(self, customer: Customer) -> Customer:
        return await self._inner.add(customer)

    async def save(self, customer: Customer) -> Customer:
        try:
            return await self._inner.save(customer)
        except ConcurrencyConflict:
            self.conflicts += 1
            raise

    async def list(self, tenant_id: str) -> list[Customer]:
        return await self._inner.list(tenant_id)


async def test_change_retries_after_a_conflict_and_both_changes_survive(backend: Backend) -> None:
    await backend.customers.add(make_customer(TENANT_A, "contoso"))
    racing = RivalWriterRepository(backend.customers, _touch(1))

    saved, _ = await change(racing, TENANT_A, "contoso", _touch(2))

    assert racing.conflicts == 1
    assert [touch.note for touch in saved.touches] == ["touch 1", "touch 2"]
    assert saved.version == 3
    assert await backend.customers.get(TENANT_A, "contoso") == saved
