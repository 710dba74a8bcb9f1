"""Fifty SIGKILLs at random moments of a write-heavy load: the store always opens and every
acknowledged write is present.

The writer is forked from this process (already importing everything), so a round costs
milliseconds instead of a fresh interpreter start; crash_writer.py is the same writer the
subprocess test runs.
"""

from __future__ import annotations

import asyncio
import os
import random
import signal
import sys
from pathlib import Path

import crash_writer
import pytest
from test_crash_safety import (
    Acknowledged,
    _assert_everything_acknowledged_is_stored,
    _wait_until_gone,
)

KILLS = 50
SEED = 20261122


def _fork_and_kill(
    data_dir: Path, first: int, kill_after: int, seen: Acknowledged, sync_worker: bool
) -> None:
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: write until killed; never return into pytest
        try:
            os.close(read_end)
            os.environ["CRASH_WRITER_SYNC_WORKER"] = "1" if sync_worker else "0"
            sys.stdout = os.fdopen(write_end, "w", buffering=1)
            crash_writer.trace_io_steps()
            asyncio.run(crash_writer.write_forever(data_dir, first))
        finally:
            os._exit(1)
    os.close(write_end)
    with os.fdopen(read_end, encoding="utf-8") as lines:
        for _ in range(kill_after):
            line = lines.readline()
            if not line:
                break
            seen.record(line)
        os.kill(pid, signal.SIGKILL)
        for line in lines:  # acknowledged before the kill, still in the pipe
            seen.record(line)
    _, status = os.waitpid(pid, 0)
    assert os.WIFSIGNALED(status)
    assert os.WTERMSIG(status) == signal.SIGKILL


@pytest.mark.parametrize("sync_worker", [False, True], ids=["inline", "sync-worker"])
def test_fifty_kills_lose_no_acknowledged_write(tmp_path: Path, sync_worker: bool) -> None:
    data_dir = tmp_path / "data"
    rng = random.Random(SEED)
    seen = Acknowledged()
    kills = KILLS // 2 if sync_worker else KILLS  # through the worker: half, as time allows
    for _ in range(kills):
        _fork_and_kill(data_dir, seen.last_number + 100, rng.randint(5, 120), seen, sync_worker)
        if sync_worker:  # the killed writer's worker read end of input and left
            _wait_until_gone(seen.workers[-1])
        asyncio.run(_assert_everything_acknowledged_is_stored(data_dir, seen))
    assert len(seen.added) >= kills // 2
    assert seen.saves
    assert seen.states
