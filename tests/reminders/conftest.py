"""Fixtures for the reminder tests: a rig over a temporary data directory and the fake connector."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from reminder_support import Rig, build_rig

from tests.support.connector import FakeConnector


@pytest.fixture
async def rig(tmp_path: Path, connector: FakeConnector) -> AsyncIterator[Rig]:
    """A sweeper with the app's adapter, over a fresh data directory, sending to the fake."""
    built = build_rig(tmp_path / "data", connector)
    try:
        yield built
    finally:
        await built.close()
