"""The bot's side of the sync worker: durable writes whose fsyncs run in another process.

A state write used to run inline on the event loop: temporary file, fsync, rename, directory
fsync, about 0.3-0.6 ms during which the loop served no one (the assess turn's loop was busy
85% of the time, waiting the rest). A worker thread cost more than it saved (store/
write_placement.py). Here the loop writes the temporary file only (page cache, tens of
microseconds) and hands (temporary, target) to `store/sync_worker.py`, a process of its own:
it fsyncs, renames and answers while the loop serves other turns, and commits whatever queued
meanwhile at once. The write's coroutine returns when the worker answered, so a write that
returned is durable, as before. The assess turn's CPU stays the same (the worker's included); its
throughput against the stock EchoBot at 16 conversations: 5.51x against 5.09x inline, medians of
11 alternating bench runs each, up to 7.6x when the 2 cores are not busy otherwise
(bench/README.md).

Failure: if the worker exits, errs, answers nonsense or its pipe breaks, it is stopped (killed
by its PID if still running, and reaped), every unanswered write is completed inline in the
order it was sent (`commit_temporary`), and later writes take the inline path; this is logged
once. If the bot dies, the worker reads end of input and exits. `close()` lets the worker
finish, reads its last answers, and reaps it.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import subprocess
import sys
from collections import deque
from pathlib import Path

from store.atomic_storage import commit_temporary, write_temporary

logger = logging.getLogger(__name__)

WORKER_SCRIPT = Path(__file__).with_name("sync_worker.py")
_READ_SIZE = 1 << 16
_OK = b"ok"


class SyncWorker:
    """One sync worker process and the writes it has not answered yet, oldest first.

    Used from one event loop's thread. Starting it spawns the process (a few milliseconds).
    """

    def __init__(self) -> None:
        self._process: subprocess.Popen[bytes] | None = subprocess.Popen(
            [sys.executable, "-S", "-I", str(WORKER_SCRIPT)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            bufsize=0,
        )
        assert self._process.stdin is not None
        assert self._process.stdout is not None
        self._requests = self._process.stdin.fileno()
        self._answers = self._process.stdout.fileno()
        os.set_blocking(self._answers, False)
        self._loop: asyncio.AbstractEventLoop | None = None
        self._pending: deque[tuple[Path, Path, asyncio.Future[None]]] = deque()
        self._unread = b""

    @property
    def pid(self) -> int | None:
        """The worker's process id while it serves, else None."""
        return self._process.pid if self._process is not None else None

    @property
    def serving(self) -> bool:
        """True while writes go to the worker (false once stopped, failed or closed)."""
        return self._process is not None

    async def write(self, path: Path, data: bytes) -> None:
        """Replace `path` with `data` durably: the temporary file here, the rest in the worker.

        Falls back to `commit_temporary` inline if the worker is gone (see the module docstring).
        """
        temp = write_temporary(path, data)
        loop = asyncio.get_running_loop()
        if self._process is not None and self._loop is not loop:
            self._attach(loop)
        if self._process is None:
            commit_temporary(temp, path)
            return
        future: asyncio.Future[None] = loop.create_future()
        self._pending.append((temp, path, future))
        request = memoryview(os.fsencode(temp) + b"\0" + os.fsencode(path) + b"\0")
        try:
            while request:  # one call, unless the paths are longer than the pipe's atomic size
                request = request[os.write(self._requests, request) :]
        except OSError as error:  # a broken pipe: the worker is gone
            self._fail_over(f"its pipe broke ({error!r})")
        await future

    def _attach(self, loop: asyncio.AbstractEventLoop) -> None:
        """Read answers on `loop` (a store used from a new loop, as tests do: never with writes
        pending on the old one, which are completed inline first)."""
        if self._pending:
            self._fail_over("the store is used from another event loop")
            return
        self._detach()
        try:
            loop.add_reader(self._answers, self._on_answers)
        except NotImplementedError:  # an event loop that cannot watch pipes (Windows' proactor)
            self._fail_over("this event loop cannot watch its pipe")
            return
        self._loop = loop

    def _detach(self) -> None:
        if self._loop is not None:
            with contextlib.suppress(Exception):  # the old loop may be closed
                self._loop.remove_reader(self._answers)
            self._loop = None

    def _on_answers(self) -> None:
        try:
            chunk = os.read(self._answers, _READ_SIZE)
        except BlockingIOError:
            return
        except OSError as error:
            self._fail_over(f"reading its answers failed ({error!r})")
            return
        if not chunk:
            self._fail_over("it exited")
            return
        self._take(chunk)

    def _take(self, chunk: bytes) -> None:
        *lines, self._unread = (self._unread + chunk).split(b"\n")
        for line in lines:
            if line != _OK or not self._pending:
                self._fail_over(f"it answered {line!r}")
                return
            _, _, future = self._pending.popleft()
            _settle(future, None)

    def _fail_over(self, reason: str) -> None:
        """Stop the worker and complete every unanswered write inline, in order."""
        process = self._process
        if process is None:
            return
        logger.warning("store sync worker stopped: %s; durable writes run inline now", reason)
        self._detach()
        self._process = None
        process.kill()  # before completing its writes: it must not rename anything afterwards
        process.wait()
        self._close_pipes(process)
        self._complete_inline()

    def _complete_inline(self) -> None:
        while self._pending:
            temp, path, future = self._pending.popleft()
            try:
                commit_temporary(temp, path)
            except OSError as error:
                _settle(future, error)
            else:
                _settle(future, None)

    @staticmethod
    def _close_pipes(process: subprocess.Popen[bytes]) -> None:
        for pipe in (process.stdin, process.stdout):
            if pipe is not None:
                with contextlib.suppress(OSError):
                    pipe.close()

    def close(self) -> None:
        """Let the worker commit and answer what it has, then reap it. Idempotent.

        Blocks until the worker is done (the few writes in flight when the app stops).
        """
        process = self._process
        if process is None:
            return
        self._detach()
        assert process.stdin is not None
        with contextlib.suppress(OSError):
            process.stdin.close()  # end of input: the worker finishes and exits
        os.set_blocking(self._answers, True)
        try:
            while chunk := os.read(self._answers, _READ_SIZE):
                self._take(chunk)
                if self._process is None:  # failed over inside _take
                    return
        except OSError as error:
            self._fail_over(f"reading its last answers failed ({error!r})")
            return
        self._process = None
        process.wait()
        self._close_pipes(process)
        if self._pending:
            logger.warning("store sync worker exited with writes unanswered; completing them")
            self._complete_inline()


def _settle(future: asyncio.Future[None], error: OSError | None) -> None:
    """Resolve a write's future, unless its turn was cancelled (the write is durable all the
    same) or its loop is closed (a store closed after its loop)."""
    if future.done():
        return
    with contextlib.suppress(RuntimeError):
        if error is None:
            future.set_result(None)
        else:
            future.set_exception(error)
