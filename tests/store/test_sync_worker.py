"""The sync worker process: writes land in order, durably, and survive its death; it never
outlives the store or the bot."""

from __future__ import annotations

import asyncio
import json
import os
import select
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from store import Store, open_store
from store.atomic_storage import TEMP_SUFFIX, commit_temporary, write_temporary
from store.sync_worker_client import SyncWorker

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def worker() -> Iterator[SyncWorker]:
    started = SyncWorker()
    try:
        yield started
    finally:
        started.close()


def _worker_pid(worker: SyncWorker) -> int:
    pid = worker.pid
    assert pid is not None
    return pid


def _gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return False


def _wait_for_exit(pid: int) -> None:
    """Block until `pid` (a child of ours) has exited, without reaping it."""
    os.waitid(os.P_PID, pid, os.WEXITED | os.WNOWAIT)


def _temporaries(directory: Path) -> list[Path]:
    return [path for path in directory.rglob("*") if path.name.endswith(TEMP_SUFFIX)]


async def test_writes_through_the_worker_land_in_the_order_sent(
    tmp_path: Path, worker: SyncWorker
) -> None:
    targets = [tmp_path / "a" / "x.json", tmp_path / "a" / "y.json", tmp_path / "b" / "z.json"]
    await asyncio.gather(
        *(worker.write(targets[n % 3], f"{n}".encode()) for n in range(60))  # sent in this order
    )
    assert [path.read_text() for path in targets] == ["57", "58", "59"]
    assert worker.serving  # answered by the worker, not completed inline
    assert _temporaries(tmp_path) == []


async def test_the_worker_answers_only_once_the_file_is_in_place(
    tmp_path: Path, worker: SyncWorker
) -> None:
    target = tmp_path / "state" / "k.json"
    for n in range(5):
        await worker.write(target, json.dumps({"n": n}).encode())
        assert json.loads(target.read_text()) == {"n": n}


async def test_a_worker_killed_mid_run_loses_no_write_and_later_writes_run_inline(
    tmp_path: Path, worker: SyncWorker
) -> None:
    pid = _worker_pid(worker)
    targets = [tmp_path / "s" / f"{n}.json" for n in range(4)]
    os.kill(pid, signal.SIGSTOP)  # the writes below are surely pending when it dies
    writes = [asyncio.create_task(worker.write(targets[n % 4], f"{n}".encode())) for n in range(12)]
    await asyncio.sleep(0)  # each task wrote its temporary file and sent its request
    os.kill(pid, signal.SIGKILL)
    await asyncio.gather(*writes)

    assert [path.read_text() for path in targets] == ["8", "9", "10", "11"]
    assert not worker.serving
    assert _gone(pid)  # reaped, not a zombie
    await worker.write(targets[0], b"later")
    assert targets[0].read_text() == "later"
    assert _temporaries(tmp_path) == []


async def test_a_worker_gone_before_a_write_is_sent_breaks_no_write(
    tmp_path: Path, worker: SyncWorker
) -> None:
    pid = _worker_pid(worker)
    os.kill(pid, signal.SIGKILL)
    _wait_for_exit(pid)  # its pipe is closed: the next request cannot be sent
    target = tmp_path / "s" / "k.json"
    await worker.write(target, b"kept")
    assert target.read_text() == "kept"
    assert not worker.serving
    assert _temporaries(tmp_path) == []


async def test_a_cancelled_write_still_lands_and_later_writes_follow_it(
    tmp_path: Path, worker: SyncWorker
) -> None:
    target = tmp_path / "s" / "k.json"
    first = asyncio.create_task(worker.write(target, b"first"))
    await asyncio.sleep(0)  # sent
    first.cancel()
    await worker.write(target, b"second")
    assert first.cancelled()
    assert target.read_text() == "second"
    assert worker.serving


async def test_the_worker_outlasts_a_stop_signal_meant_for_the_bot(
    tmp_path: Path, worker: SyncWorker
) -> None:
    pid = _worker_pid(worker)
    await worker.write(tmp_path / "k.json", b"first")  # answered: its signal handling is set up
    os.kill(pid, signal.SIGTERM)  # e.g. a service manager stopping the whole process group
    os.kill(pid, signal.SIGINT)
    await worker.write(tmp_path / "k.json", b"kept")
    assert worker.serving  # the bot closes the store, and so the worker, when it stops
    assert (tmp_path / "k.json").read_text() == "kept"


async def test_a_store_whose_worker_cannot_start_writes_inline(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "executable", str(data_dir / "no-such-python"))
    with open_store(data_dir, sync_worker=True) as store:
        assert store.sync_worker is None
        await store.state_storage.write({"k": {"n": 1}})
        assert (await store.state_storage.read(["k"]))["k"]["n"] == 1


def test_a_temporary_file_the_worker_renamed_before_dying_is_completed(tmp_path: Path) -> None:
    target = tmp_path / "k.json"
    temp = write_temporary(target, b"new")
    os.replace(temp, target)  # the worker got this far, then was killed
    commit_temporary(temp, target)
    assert target.read_text() == "new"


async def test_closing_the_store_stops_its_worker_after_its_writes(data_dir: Path) -> None:
    store = open_store(data_dir, sync_worker=True)
    worker = store.sync_worker
    assert worker is not None
    pid = _worker_pid(worker)
    key = "msteams/conversations/19:a@thread.v2/"
    await store.state_storage.write({key: {"n": 1}})
    store.close()
    assert _gone(pid)
    assert not worker.serving
    store.close()  # idempotent
    with Store(data_dir) as reopened:
        assert (await reopened.state_storage.read([key]))[key]["n"] == 1
        assert reopened.sync_worker is None  # only asked for (the app asks for it)


async def test_writes_in_flight_when_the_worker_is_closed_complete(
    tmp_path: Path, worker: SyncWorker
) -> None:
    pid = _worker_pid(worker)
    targets = [tmp_path / "s" / f"{n}.json" for n in range(8)]
    writes = [asyncio.create_task(worker.write(target, b"done")) for target in targets]
    await asyncio.sleep(0)  # all sent
    worker.close()
    await asyncio.gather(*writes)
    assert [path.read_text() for path in targets] == ["done"] * 8
    assert _gone(pid)


_HOLDER = """
import asyncio, sys
from store import open_store

async def main() -> None:
    store = open_store(sys.argv[1], sync_worker=True)
    await store.state_storage.write({"k": {"n": 1}})
    print(store.sync_worker.pid, flush=True)
    sys.stdin.readline()  # killed while it waits here

asyncio.run(main())
"""


def test_a_killed_bot_leaves_no_worker_behind(data_dir: Path) -> None:
    with subprocess.Popen(
        [sys.executable, "-c", _HOLDER, str(data_dir)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    ) as bot:
        try:
            assert bot.stdout is not None
            worker_pid = int(bot.stdout.readline())
            assert not _gone(worker_pid)
            handle = os.pidfd_open(worker_pid)  # the worker is not our child: watch it this way
        finally:
            bot.kill()
    try:
        exited, _, _ = select.select([handle], [], [], 10)  # readable once the worker exited
    finally:
        os.close(handle)
    assert exited, f"the worker {worker_pid} outlived the bot"


async def test_an_event_loop_that_cannot_watch_pipes_gets_inline_writes(
    tmp_path: Path, worker: SyncWorker, monkeypatch: pytest.MonkeyPatch
) -> None:
    pid = _worker_pid(worker)

    def unsupported(*_: object) -> None:
        raise NotImplementedError

    monkeypatch.setattr(asyncio.get_running_loop(), "add_reader", unsupported)
    await worker.write(tmp_path / "k.json", b"kept")
    assert (tmp_path / "k.json").read_text() == "kept"
    assert not worker.serving
    assert _gone(pid)
