"""An export and an import work in slices: other turns run between customers, not after it all."""

from __future__ import annotations

import asyncio
import json

import pytest

import engagement.slices
from dialogs.portfolio.exchange_commands import export_command, import_command
from engagement.export import export_json
from tests.support.portfolio import NOW, TENANT, MemoryCustomers, healthy


async def test_other_turns_run_while_an_export_encodes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(engagement.slices, "SLICE_SECONDS", 0.0)  # yield after every piece
    book = MemoryCustomers([healthy(f"Customer {n:03d}") for n in range(40)])
    ran = 0
    exporting = True

    async def other_turn() -> None:
        nonlocal ran
        while exporting:
            ran += 1
            await asyncio.sleep(0)

    other = asyncio.create_task(other_turn())
    await asyncio.sleep(0)
    files = await export_command("", TENANT, "aad-ada", NOW, book)
    exporting = False
    await other

    assert ran >= 40  # once per customer at least
    assert len(json.loads(files.json_text)["customers"]) == 40
    assert files.json_text == export_json(TENANT, await book.list(TENANT), NOW)


async def test_other_turns_run_while_an_import_reads_and_checks_the_file(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(engagement.slices, "SLICE_SECONDS", 0.0)
    book = MemoryCustomers([healthy(f"Customer {n:03d}") for n in range(40)])
    text = export_json(TENANT, await book.list(TENANT), NOW)
    target = MemoryCustomers()
    ran = 0
    importing = True

    async def other_turn() -> None:
        nonlocal ran
        while importing:
            ran += 1
            await asyncio.sleep(0)

    other = asyncio.create_task(other_turn())
    await asyncio.sleep(0)
    reply = await import_command("", TENANT, "aad-ada", NOW, target, document=text)
    importing = False
    await other

    assert reply.startswith("Imported 40 customers (40 added)")
    assert ran >= 2 * 40  # at least once per customer located and once per customer checked
    assert [c.name for c in await target.list(TENANT)] == [c.name for c in await book.list(TENANT)]
