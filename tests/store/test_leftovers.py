"""Temporary files left by a crash are removed when the store opens; nothing else is (issue 15)."""

from __future__ import annotations

from pathlib import Path

from store import open_store
from store.imports import JOURNAL
from store.leftovers import is_leftover

LEFTOVERS = [
    "customers/t1/.abc.json.k2j3l4.tmp",  # an atomic write killed before its rename
    "state/ab/.ab12.json.x9y8z7.tmp",
    "reminders/buckets/.2026-11-02T09.json.q1w2e3.tmp",
    ".health-probe.a1b2c3.tmp",
    "customers/t2/.def.json.import-5f6a",  # a file staged by an import that never committed
]
KEPT = [
    "customers/t1/abc.json",
    "state/ab/ab12.json",
    ".health-probe",
    "customers/t3/notes.tmp",  # not hidden: not ours to delete
]


def test_opening_the_store_removes_what_interrupted_writes_left(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    for name in LEFTOVERS + KEPT:
        path = data_dir / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("{}", encoding="utf-8")
    with open_store(data_dir):
        pass
    assert [name for name in LEFTOVERS if (data_dir / name).exists()] == []
    assert [name for name in KEPT if not (data_dir / name).exists()] == []


def test_only_hidden_temporary_and_staged_files_count_as_leftovers() -> None:
    assert all(is_leftover(Path(name).name) for name in LEFTOVERS)
    assert not any(is_leftover(Path(name).name) for name in KEPT)
    assert not is_leftover(JOURNAL)  # recovery reads it
