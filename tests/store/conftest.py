"""Fixtures for the store tests: a store in a temporary directory, closed after each test."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from store import Store, open_store


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
