"""Child process of the crash test: writes to a store forever, acknowledging each finished write.

Usage: python crash_writer.py DATA_DIR FIRST_NUMBER. Each line on stdout is printed (and flushed)
only after the write it names has returned:

    add <n>              customer c<n> was added
    save <n> <version>   customer "hot" was saved with contact "<n>" as <version>
    state <key> <n>      bot state <key> was written with {"n": <n>}

With CRASH_WRITER_SYNC_WORKER=1 in the environment the store runs a sync worker process
(store/sync_worker_client.py) and the first line is `worker <pid>`.

Lines starting with `~` trace the steps inside a write (`~ fsync`, `~ replace`), printed just
before the step runs. The parent kills the process with SIGKILL right after some line, so the
kill lands at varied points: before a write, while the temporary file is synced, during the
rename, or while the directory is synced. It then checks every acknowledged write.
"""

from __future__ import annotations

import asyncio
import os
import sys
from collections.abc import Callable
from pathlib import Path

from store_support import NOW, OWNER, make_customer

from engagement.models import Contact, Touch
from store import open_store

TENANT = "tenant-crash"
HOT = "hot"
STATE_KEYS = 4
_PADDING = "x" * 1500  # makes the hot customer ~20 KB, so writes take a little while


def _acknowledge(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def _traced(name: str, step: Callable[..., None]) -> Callable[..., None]:
    def run(*args: object) -> None:
        _acknowledge(f"~ {name}")
        step(*args)

    return run


def trace_io_steps() -> None:
    """Announce every fsync and rename on stdout before it runs (this process only)."""
    os.fsync = _traced("fsync", os.fsync)
    os.replace = _traced("replace", os.replace)


async def write_forever(data_dir: Path, first: int) -> None:
    """Write customers, the hot customer and bot state in turn, acknowledging each write."""
    with_worker = os.environ.get("CRASH_WRITER_SYNC_WORKER") == "1"
    store = open_store(data_dir, sync_worker=with_worker)
    if store.sync_worker is not None:
        _acknowledge(f"worker {store.sync_worker.pid}")
    hot = await store.customers.get(TENANT, HOT)
    if hot is None:
        hot = make_customer(TENANT, HOT)
        hot.touches = [Touch(at=NOW, by=OWNER, note=_PADDING) for _ in range(12)]
        hot = await store.customers.add(hot)
    number = first
    while True:
        if number % 3 == 0:
            if await store.customers.get(TENANT, f"c{number}") is None:  # else: written by a
                await store.customers.add(make_customer(TENANT, f"c{number}"))  # killed writer
                _acknowledge(f"add {number}")  # before it could acknowledge it
        elif number % 3 == 1:
            hot.contacts = [Contact(name=str(number))]
            hot = await store.customers.save(hot)
            _acknowledge(f"save {number} {hot.version}")
        else:
            key = f"msteams/conversations/19:k{number % STATE_KEYS}@thread.v2/"
            await store.state_storage.write({key: {"n": number}})
            _acknowledge(f"state {key} {number}")
        number += 1


if __name__ == "__main__":
    trace_io_steps()
    asyncio.run(write_forever(Path(sys.argv[1]), int(sys.argv[2])))
