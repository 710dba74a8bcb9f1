"""SIGKILL a writing process at random moments: the store still opens and no acknowledged write
is lost."""

from __future__ import annotations

import asyncio
import json
import os
import random
import select
import signal
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from crash_writer import HOT, TENANT

from store import open_store

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
SEED = 20250301
ROUNDS = 3


@dataclass
class Acknowledged:
    """The writes the child reported as returned, in order."""

    added: list[int] = field(default_factory=list)
    saves: list[tuple[int, int]] = field(default_factory=list)  # (contact number, version)
    states: dict[str, int] = field(default_factory=dict)  # key -> last acknowledged n
    workers: list[int] = field(default_factory=list)  # sync worker process ids
    last_number: int = -1

    def record(self, line: str) -> None:
        """Remember one acknowledgement line of crash_writer.py (trace lines are skipped)."""
        kind, *rest = line.split()
        if kind == "worker":
            self.workers.append(int(rest[0]))
            return
        if kind == "~":
            return
        if kind == "add":
            number = int(rest[0])
            self.added.append(number)
        elif kind == "save":
            number, version = int(rest[0]), int(rest[1])
            self.saves.append((number, version))
        else:
            number = int(rest[1])
            self.states[rest[0]] = number
        self.last_number = max(self.last_number, number)


async def _run_and_kill(
    data_dir: Path, first: int, kill_after: int, seen: Acknowledged, sync_worker: bool = False
) -> int:
    """Start the writer, SIGKILL it right after its `kill_after`-th line; record every ack."""
    child = await asyncio.create_subprocess_exec(
        sys.executable,
        str(HERE / "crash_writer.py"),
        str(data_dir),
        str(first),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        env={
            **os.environ,
            "PYTHONPATH": os.pathsep.join([str(ROOT), str(HERE)]),
            "CRASH_WRITER_SYNC_WORKER": "1" if sync_worker else "0",
        },
    )
    assert child.stdout is not None
    assert child.stderr is not None
    async with asyncio.timeout(20):
        for _ in range(kill_after):
            line = await child.stdout.readline()
            if not line:
                break
            seen.record(line.decode())
        child.send_signal(signal.SIGKILL)
        rest = await child.stdout.read()  # acknowledged before the kill, still in the pipe
        errors = await child.stderr.read()
        returncode = await child.wait()
    assert returncode == -signal.SIGKILL, errors.decode()
    for text in rest.decode().splitlines():
        seen.record(text)
    return returncode


def _unparsable_files(data_dir: Path) -> list[Path]:
    broken = []
    for path in data_dir.rglob("*.json"):
        if path.name.startswith("."):
            continue  # a temporary file of an interrupted write: never read
        try:
            json.loads(path.read_text(encoding="utf-8"))
        except ValueError:
            broken.append(path)
    return broken


async def _assert_everything_acknowledged_is_stored(data_dir: Path, seen: Acknowledged) -> None:
    assert _unparsable_files(data_dir) == []
    with open_store(data_dir) as store:
        customers = await store.customers.list(TENANT)
        listed = {customer.id for customer in customers}
        assert {f"c{number}" for number in seen.added} <= listed

        # A kill between a customer's write and its summary's is repaired when the store opens.
        listing = await store.summaries.by_name(TENANT, limit=len(customers) + 1)
        summarised = {summary.customer_id: summary.version for summary in listing.summaries}
        assert summarised == {customer.id: customer.version for customer in customers}

        hot = await store.customers.get(TENANT, HOT)
        assert hot is not None
        if seen.saves:
            number, version = seen.saves[-1]
            assert hot.version >= version
            if hot.version == version:
                assert [contact.name for contact in hot.contacts] == [str(number)]

        stored = await store.state_storage.read(list(seen.states))
        for key, number in seen.states.items():
            assert stored[key]["n"] >= number


def _wait_until_gone(pid: int) -> None:
    """Return once process `pid` (not a child of ours) has exited; fail after 10 s."""
    try:
        handle = os.pidfd_open(pid)
    except ProcessLookupError:
        return
    try:
        readable, _, _ = select.select([handle], [], [], 10)
        assert readable, f"process {pid} is still running"
    finally:
        os.close(handle)


@pytest.mark.parametrize("sync_worker", [False, True], ids=["inline", "sync-worker"])
async def test_acknowledged_writes_survive_sigkill(data_dir: Path, sync_worker: bool) -> None:
    rng = random.Random(SEED)
    seen = Acknowledged()
    for _ in range(ROUNDS):
        kill_after = rng.randint(40, 400)  # acknowledgement and trace lines
        # Numbers the killed child may have been writing are skipped, so adds never collide.
        await _run_and_kill(data_dir, seen.last_number + 100, kill_after, seen, sync_worker)
        if sync_worker:  # the killed writer's sync worker read end of input and left
            _wait_until_gone(seen.workers[-1])
        await _assert_everything_acknowledged_is_stored(data_dir, seen)
    assert len(seen.added) >= ROUNDS
    assert seen.saves
    assert seen.states
    assert len(seen.workers) == (ROUNDS if sync_worker else 0)
