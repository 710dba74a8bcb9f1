"""All-or-nothing imports on both backends; TinyDB's across files, crashing at its commit point."""

from __future__ import annotations

from pathlib import Path

import pytest
from store_support import Backend, make_customer

import store.imports as imports
from engagement.errors import ConcurrencyConflict, CustomerAlreadyExists
from store import open_store

TENANT = "tenant-import"


class Crash(BaseException):
    """Stands for the process dying at this point."""


async def test_import_adds_and_replaces_everything(backend: Backend) -> None:
    store = backend
    existing = await store.customers.add(make_customer(TENANT, "fabrikam"))
    await store.customer_import.import_customers(
        TENANT,
        add=[make_customer(TENANT, "contoso"), make_customer(TENANT, "litware")],
        replace=[make_customer(TENANT, "fabrikam", "Fabrikam Renamed")],
    )
    listed = {c.id: c for c in await store.customers.list(TENANT)}
    assert set(listed) == {"contoso", "fabrikam", "litware"}
    assert listed["contoso"].version == 1
    assert listed["fabrikam"].name == "Fabrikam Renamed"
    assert listed["fabrikam"].version == existing.version + 1
    fresh = await store.customers.get(TENANT, "fabrikam")  # the cache saw the new file
    assert fresh is not None
    assert fresh.name == "Fabrikam Renamed"
    with pytest.raises(ConcurrencyConflict):  # a save based on the old copy conflicts
        await store.customers.save(existing)


async def test_an_existing_id_to_add_writes_nothing(backend: Backend) -> None:
    store = backend
    await store.customers.add(make_customer(TENANT, "fabrikam"))
    with pytest.raises(CustomerAlreadyExists):
        await store.customer_import.import_customers(
            TENANT,
            add=[make_customer(TENANT, "contoso"), make_customer(TENANT, "fabrikam")],
            replace=[make_customer(TENANT, "fabrikam", "Fabrikam Renamed")],
        )
    assert [c.id for c in await store.customers.list(TENANT)] == ["fabrikam"]
    stored = await store.customers.get(TENANT, "fabrikam")
    assert stored is not None
    assert stored.version == 1


async def test_customers_are_imported_into_the_target_tenant(backend: Backend) -> None:
    await backend.customer_import.import_customers(
        TENANT, add=[make_customer("another-tenant", "contoso")], replace=[]
    )

    imported = await backend.customers.get(TENANT, "contoso")
    assert imported is not None
    assert imported.tenant_id == TENANT
    assert await backend.customers.get("another-tenant", "contoso") is None


async def test_a_crash_before_the_commit_point_imports_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def crash(*_: object) -> None:
        raise Crash

    with open_store(tmp_path) as store:
        monkeypatch.setattr(imports, "write_text_atomic", crash)
        with pytest.raises(Crash):
            await store.customer_import.import_customers(
                TENANT, add=[make_customer(TENANT, "contoso")], replace=[]
            )
    monkeypatch.undo()
    assert _staged_files(tmp_path)  # hidden leftovers: never read...
    with open_store(tmp_path) as reopened:
        assert _staged_files(tmp_path) == []  # ...and removed when the store opens
        assert await reopened.customers.list(TENANT) == []
        await reopened.customer_import.import_customers(
            TENANT, add=[make_customer(TENANT, "litware")], replace=[]
        )
    assert _staged_files(tmp_path) == []


async def test_a_crash_after_the_commit_point_is_finished_on_open(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def crash(*_: object) -> None:
        raise Crash

    with open_store(tmp_path) as store:
        monkeypatch.setattr(imports, "_apply", crash)
        with pytest.raises(Crash):
            await store.customer_import.import_customers(
                TENANT,
                add=[make_customer(TENANT, "contoso"), make_customer(TENANT, "litware")],
                replace=[],
            )
        assert await store.customers.list(TENANT) == []  # staged, journal written, not applied
    monkeypatch.undo()
    with open_store(tmp_path) as reopened:
        assert [c.id for c in await reopened.customers.list(TENANT)] == ["contoso", "litware"]
    assert not _journals(tmp_path)


def _staged_files(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if imports.STAGED_MARK in p.name]


def _journals(root: Path) -> list[Path]:
    return list(root.rglob(imports.JOURNAL))
