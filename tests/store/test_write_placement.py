"""Durable writes run inline while the disk is fast and in a worker thread while it is slow."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from store.shards import ShardCache, ShardSet
from store.write_placement import SLOW_WRITE_SECONDS, WritePlacement


def test_writes_start_inline_move_to_a_thread_when_slow_and_come_back() -> None:
    placement = WritePlacement()
    assert placement.inline
    for _ in range(10):
        placement.record(0.030)  # a network disk
    assert not placement.inline
    for _ in range(30):
        placement.record(0.0005)  # fast again
    assert placement.inline
    assert placement.average_seconds < SLOW_WRITE_SECONDS


def test_one_slow_write_among_fast_ones_keeps_them_inline() -> None:
    placement = WritePlacement()
    for seconds in (0.0005, 0.0005, 0.008, 0.0005):
        placement.record(seconds)
    assert placement.inline


async def test_each_write_runs_where_the_placement_says(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = ShardCache(capacity=4)
    shards = ShardSet(tmp_path / "state", cache)
    threads: list[threading.Thread] = []

    def recording(path: Path, data: str | bytes) -> None:
        threads.append(threading.current_thread())

    monkeypatch.setattr("store.shards.write_text_atomic", recording)
    await shards.replace_documents("k", [{"key": "k"}])
    for _ in range(10):
        cache.placement.record(0.050)
    await shards.replace_documents("k", [{"key": "k"}])

    assert threads[0] is threading.main_thread()
    assert threads[1] is not threading.main_thread()
    assert cache.placement.inline is False


async def test_the_time_of_each_write_is_measured(tmp_path: Path) -> None:
    ticks = iter([10.0, 10.5])
    placement = WritePlacement(timer=lambda: next(ticks), weight=1.0)
    await placement.run(lambda: None)
    assert placement.average_seconds == pytest.approx(0.5)
    assert not placement.inline
