"""Counting the store's durable single-file writes in a test."""

from __future__ import annotations

from pathlib import Path

import pytest

import store.atomic_storage
import store.shards


def count_durable_writes(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Every durable single-file write from now on, by path (the write still happens)."""
    written: list[Path] = []
    original = store.atomic_storage.write_text_atomic

    def counting(path: Path, text: str) -> None:
        written.append(path)
        original(path, text)

    monkeypatch.setattr(store.atomic_storage, "write_text_atomic", counting)
    monkeypatch.setattr(store.shards, "write_text_atomic", counting)
    return written
