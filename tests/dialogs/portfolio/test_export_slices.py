"""An export encodes the book in slices: other turns run between customers, not after it all."""

from __future__ import annotations

import asyncio
import json

import pytest

import engagement.slices
from dialogs.portfolio.exchange_commands import export_command
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
