"""A bulk import killed (SIGKILL) at each of its steps leaves all of it or none of it, and the
summaries agree with the customer files after the next start; and it syncs once, not per file."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
import textwrap
from pathlib import Path

import pytest
from store_support import NOW, make_customer

import store.atomic_storage
from engagement.clock import FixedClock
from store import open_store

TENANT = "tenant-import-kills"
COUNT = 120
ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent

CHILD = textwrap.dedent(
    """
    import asyncio, os, signal, sys
    from pathlib import Path

    from store_support import make_customer

    import store.imports as imports
    from store import open_store
    from store.summaries import TinyCustomerSummaries

    def kill(*_, **__):
        os.kill(os.getpid(), signal.SIGKILL)

    def after(original):
        def call(*args, **kwargs):
            original(*args, **kwargs)
            kill()
        return call

    renamed = []
    def rename_then_kill(temp, final, cache):
        imports_rename(temp, final, cache)
        renamed.append(final)
        if len(renamed) == {count} // 2:
            kill()

    async def main():
        store = open_store(Path(sys.argv[1]))
        point = sys.argv[2]
        if point == "staged":  # every file staged and synced, no journal yet
            imports.sync_files = after(imports.sync_files)
        elif point == "renaming":  # journal committed, half the files renamed
            global imports_rename
            imports_rename = imports._rename
            imports._rename = rename_then_kill
        elif point == "summaries":  # every customer file in place, summaries not written
            TinyCustomerSummaries.record_many = kill
        customers = [make_customer("{tenant}", "c%03d" % n) for n in range({count})]
        await store.customer_import.import_customers("{tenant}", customers, [])

    asyncio.run(main())
    """
).format(tenant=TENANT, count=COUNT)


@pytest.mark.parametrize(
    ("point", "imported"), [("staged", 0), ("renaming", COUNT), ("summaries", COUNT)]
)
def test_an_import_killed_at_each_step_is_all_or_nothing(
    tmp_path: Path, point: str, imported: int
) -> None:
    script = tmp_path / "child.py"
    script.write_text(CHILD, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), str(HERE)])}
    data = tmp_path / "data"
    assert asyncio.run(_run(sys.executable, str(script), str(data), point, env=env)) == (
        -signal.SIGKILL
    )

    async def check() -> None:
        with open_store(data, clock=FixedClock(NOW)) as store:
            assert len(await store.customers.list(TENANT)) == imported
            listing = await store.summaries.by_name(TENANT, limit=1)
            assert listing.total == imported
        leftovers = list(data.rglob(".import-*")) + list(data.rglob(".*.tmp"))
        assert leftovers == []

    asyncio.run(check())


@pytest.mark.skipif(store.atomic_storage._SYNCFS is None, reason="no syncfs: one fsync per file")
async def test_an_import_syncs_its_files_in_one_batch_not_one_fsync_each(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fsyncs: list[int] = []
    original = os.fsync

    def counting(fd: int) -> None:
        fsyncs.append(fd)
        original(fd)

    with open_store(tmp_path, clock=FixedClock(NOW)) as opened:
        await opened.customers.add(make_customer(TENANT, "before"))  # the store is in use
        monkeypatch.setattr(os, "fsync", counting)
        customers = [make_customer(TENANT, f"c{n:03d}") for n in range(COUNT)]
        await opened.customer_import.import_customers(TENANT, customers, [])
        monkeypatch.undo()
        assert len(await opened.customers.list(TENANT)) == COUNT + 1
        assert (await opened.summaries.by_name(TENANT, limit=1)).total == COUNT + 1
    assert len(fsyncs) < 10  # was two per customer file and two per summary bucket


async def _run(*command: str, env: dict[str, str]) -> int:
    process = await asyncio.create_subprocess_exec(*command, env=env)
    return await process.wait()


async def test_an_import_into_a_tenant_without_customers_needs_no_rebuild(tmp_path: Path) -> None:
    with open_store(tmp_path, clock=FixedClock(NOW)) as opened:
        customers = [make_customer(TENANT, f"c{n:03d}") for n in range(COUNT)]
        await opened.customer_import.import_customers(TENANT, customers, [])
        assert opened.summaries.built(TENANT)  # the first portfolio reads no customer file
        assert (await opened.summaries.by_name(TENANT, limit=1)).total == COUNT
