"""The sync worker process: makes staged files durable and renames them over their targets.

Run by `store.sync_worker_client.SyncWorker` as `python -S -I <this file>` (standard library
only, so it starts in a few milliseconds and imports nothing of the bot). Protocol, over pipes:

    stdin   paths, each terminated by NUL, in pairs: the temporary file (written, not synced),
            then the target it replaces (same directory)
    stdout  one line `ok` per pair, in the order received, once that pair is durable

Each round takes everything queued at once (group commit): it fsyncs every temporary file,
renames them in the order received (two writes of one target land in order), fsyncs each
directory once, then answers every pair. On any error it prints it to stderr and exits without
answering the round: the bot then completes every unanswered pair itself, in order. It exits
when its stdin closes (the bot closed the store or died: no orphan), after answering what it has;
if the bot died it renames nothing more (a restarted bot may be writing those files already).
SIGINT and SIGTERM are ignored (they stop the bot, which then closes the store).
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys

READ_SIZE = 1 << 16


def fsync_path(path: bytes) -> None:
    """fsync the file or directory at `path`."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class BotGone(Exception):
    """The bot that started this process died: a new one may already use the files."""


def commit(pairs: list[tuple[bytes, bytes]], bot: int) -> None:
    """Make each (temporary, target) pair durable: fsync temps, rename in order, fsync dirs.

    Renames nothing once the bot (process id `bot`) has died: a restarted bot may be writing
    these targets already, and no write of the dead one was acknowledged.
    """
    for temp, _ in pairs:
        fsync_path(temp)
    if os.getppid() != bot:  # reparented: the bot is gone
        raise BotGone
    directories: dict[bytes, None] = {}
    for temp, target in pairs:
        os.replace(temp, target)
        directories[os.path.dirname(target)] = None
    for directory in directories:
        fsync_path(directory)


def answer(count: int) -> None:
    """Write `ok` lines for `count` committed pairs."""
    reply = memoryview(b"ok\n" * count)
    while reply:
        reply = reply[os.write(1, reply) :]


def serve() -> None:
    """Commit what arrives on stdin until it closes."""
    bot = os.getppid()
    pending = b""
    while True:
        chunk = os.read(0, READ_SIZE)
        if not chunk:
            return
        pending += chunk
        *paths, pending = pending.split(b"\0")
        if len(paths) % 2:  # a target still on its way: keep its temporary file for next round
            pending = paths.pop() + b"\0" + pending
        if paths:
            commit(list(zip(paths[::2], paths[1::2], strict=True)), bot)
            answer(len(paths) // 2)


def main() -> int:
    """Serve; 0 on a clean end of input, 1 after an error (reported on stderr)."""
    # Ctrl-C in a terminal, or a service manager stopping the whole process group, reaches the
    # bot too: it finishes its turns and closes the store, whose writes still need this process.
    for stop in (signal.SIGINT, signal.SIGTERM):
        signal.signal(stop, signal.SIG_IGN)
    try:
        serve()
    except BotGone:
        return 0
    except (OSError, ValueError) as error:
        with contextlib.suppress(OSError):  # the bot may be gone, and its stderr with it
            sys.stderr.write(f"store sync worker: {error!r}; the bot completes its writes\n")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
