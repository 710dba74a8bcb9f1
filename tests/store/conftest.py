"""Fixtures for the store tests: a store in a temporary directory, closed after each test."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from store_support import Backend

from store import Store, open_store
from tests.support.postgres import started_pg_store


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """The store's data directory (not created yet)."""
    return tmp_path / "data"


@pytest.fixture
def store(data_dir: Path) -> Iterator[Store]:
    """An open store, closed after the test."""
    opened = open_store(data_dir)
    try:
        yield opened
    finally:
        opened.close()


@pytest.fixture(params=["tinydb", "postgres"])
async def backend(request: pytest.FixtureRequest, data_dir: Path) -> AsyncIterator[Backend]:
    """The TinyDB store and the PostgreSQL store: both must pass the same contract tests."""
    if request.param == "tinydb":
        with open_store(data_dir) as tiny:
            yield tiny
        return
    async with started_pg_store(request.getfixturevalue("postgres_url")) as pg_store:
        yield pg_store
