"""AtomicJSONStorage: atomic replace, failed writes change nothing, reads are cached copies."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from tinydb import Query, TinyDB

from store.atomic_storage import AtomicJSONStorage


def _data(value: str) -> dict[str, dict[str, object]]:
    return {"_default": {"1": {"key": "k", "value": value}}}


def _leftovers(directory: Path) -> list[str]:
    return sorted(name for name in os.listdir(directory) if name != "shard.json")


def test_a_missing_file_reads_as_empty_and_is_not_created(tmp_path: Path) -> None:
    path = tmp_path / "new" / "shard.json"

    assert AtomicJSONStorage(path).read() is None
    assert not path.parent.exists()


def test_write_creates_directories_and_a_valid_file(tmp_path: Path) -> None:
    path = tmp_path / "a" / "b" / "shard.json"

    AtomicJSONStorage(path).write(_data("one"))

    assert json.loads(path.read_text(encoding="utf-8")) == _data("one")
    assert _leftovers(path.parent) == []
    assert AtomicJSONStorage(path).read() == _data("one")


def test_a_failed_replace_keeps_the_old_file_and_the_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "shard.json"
    storage = AtomicJSONStorage(path)
    storage.write(_data("old"))

    def crash(source: object, target: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(OSError, match="disk full"):
        storage.write(_data("new"))
    monkeypatch.undo()

    assert json.loads(path.read_text(encoding="utf-8")) == _data("old")
    assert storage.read() == _data("old")
    assert _leftovers(tmp_path) == []


def test_read_is_cached_after_the_first_call(tmp_path: Path) -> None:
    path = tmp_path / "shard.json"
    path.write_text(json.dumps(_data("on disk")), encoding="utf-8")
    storage = AtomicJSONStorage(path)
    assert storage.read() == _data("on disk")

    path.write_text(json.dumps(_data("changed behind its back")), encoding="utf-8")

    assert storage.read() == _data("on disk")


def test_read_returns_a_copy_the_caller_may_mutate(tmp_path: Path) -> None:
    storage = AtomicJSONStorage(tmp_path / "shard.json")
    storage.write(_data("kept"))

    first = storage.read()
    assert first is not None
    first["_default"]["1"]["value"] = "mutated"

    assert storage.read() == _data("kept")


def test_tinydb_runs_on_it(tmp_path: Path) -> None:
    path = tmp_path / "shard.json"
    db = TinyDB(path, storage=AtomicJSONStorage)
    db.insert({"key": "k", "n": 1})
    db.update({"n": 2}, Query().key == "k")
    db.close()

    reopened = TinyDB(path, storage=AtomicJSONStorage)
    assert reopened.get(Query().key == "k") == {"key": "k", "n": 2}
    reopened.close()
