"""Hostile soak: `python -m bench.hostile_soak [--count 10000] [--seed 15]`.

Posts generated hostile activities to a live bot (create_app in local mode over a fresh data
directory, on 127.0.0.1) while a fake Bot Connector refuses some conversations (403, as for a user
who blocked the bot) and throttles or fails some sends (429, 500). Then it reports:

- responses by status, and how many were 5xx (expected: 0);
- log records with a traceback, and warnings and errors by message (expected: 0 tracebacks);
- asyncio tasks left running in the bot's event loop after the last response and a quiet
  period, beyond those running before the soak (expected: 0), and connector calls during that
  quiet period (a leaked typing indicator would keep calling: expected 0);
- stored files that do not parse as JSON (expected: 0).

The activities mix Teams-shaped commands and card submits in personal, group, channel and
meeting chats (hostile names, Markdown, mentions, very long text) with malformed ones: wrong
types, missing fields, `membersAdded: [null]`, a mention without `mentioned`, lone UTF-16
surrogates, deep nesting, invalid UTF-8, oversized bodies, wrong content types, unknown invokes.
Exit status 1 when an expectation fails. Not a test: it takes a few minutes.
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import logging
import random
import sys
import tempfile
import threading
import time
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import aiohttp
import orjson
from aiohttp import web

warnings.filterwarnings("ignore", category=DeprecationWarning)

from bench.hostile_inputs import Generator  # noqa: E402
from bench.hosting import Hosted, connector_app, host  # noqa: E402
from bot.app import create_app  # noqa: E402
from bot.settings import Settings  # noqa: E402

CONCURRENCY = 16
QUIET_SECONDS = 5.0


class Connector:
    """A fake Bot Connector: refuses the blocked conversations, sometimes throttles or fails."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.calls = 0
        self.blocked: set[str] = set()

    def app(self) -> web.Application:
        async def send(request: web.Request) -> web.Response:
            self.calls += 1
            await request.read()
            conversation = request.match_info.get("conversation", "")
            roll = self.rng.random()
            if conversation in self.blocked:
                return web.json_response({"error": {"code": "Forbidden"}}, status=403)
            if roll < 0.03:
                return web.json_response({}, status=429, headers={"Retry-After": "0"})
            if roll < 0.05:
                return web.json_response({}, status=500)
            return web.json_response({"id": f"activity-{self.calls}"})

        async def create(request: web.Request) -> web.Response:
            self.calls += 1
            body = await request.json()
            member = (body.get("members") or [{}])[0]
            return web.json_response({"id": f"a:private-{member.get('id', 'x')}"})

        return connector_app(send, create)


class Records(logging.Handler):
    """Log records at WARNING and above, and every record with a traceback."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.tracebacks: list[logging.LogRecord] = []
        self.by_message: collections.Counter[str] = collections.Counter()

    def emit(self, record: logging.LogRecord) -> None:
        if record.exc_info or record.stack_info:
            self.tracebacks.append(record)
        if record.levelno >= logging.WARNING:
            self.by_message[f"{record.levelname} {record.name}: {str(record.msg)[:70]}"] += 1


class LiveBot:
    """The bot and the connector on their own event loop in a background thread."""

    def __init__(self, data_dir: Path, connector: Connector) -> None:
        self.loop = asyncio.new_event_loop()
        self.data_dir = data_dir
        self.connector = connector
        self.hosted: list[Hosted] = []
        self.baseline: set[asyncio.Task[Any]] = set()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)

    def start(self) -> tuple[str, str]:
        self.thread.start()
        urls: tuple[str, str] = self.run(self._start)
        return urls

    async def _start(self) -> tuple[str, str]:
        connector = await host(self.connector.app())
        settings = Settings(_env_file=None, DATA_DIR=self.data_dir, REMINDERS_ENABLED=False)
        bot = await host(create_app(settings))
        self.hosted = [bot, connector]
        await asyncio.sleep(0.5)
        self.baseline = asyncio.all_tasks()
        return bot.url, connector.url + "/"

    def run(self, make: Callable[[], Any]) -> Any:
        return asyncio.run_coroutine_threadsafe(make(), self.loop).result(timeout=120)

    async def _tasks_left(self) -> list[str]:
        left = []
        for task in asyncio.all_tasks() - self.baseline:
            if task is asyncio.current_task() or task.done():
                continue
            code = getattr(task.get_coro(), "cr_code", None)
            if code is not None and "aiohttp" in code.co_filename:
                continue  # the server's own per-connection handlers
            left.append(f"{task.get_name()}: {task.get_coro()!r}")
        return left

    def tasks_left(self) -> list[str]:
        left: list[str] = self.run(self._tasks_left)
        return left

    def stop(self) -> None:
        async def close() -> None:
            for hosted in self.hosted:
                await hosted.close()

        self.run(close)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(timeout=30)


async def post_all(url: str, generator: Generator, count: int) -> collections.Counter[int]:
    statuses: collections.Counter[int] = collections.Counter()
    queue: asyncio.Queue[tuple[bytes, str]] = asyncio.Queue()
    for _ in range(count):
        queue.put_nowait(generator.next())
    timeout = aiohttp.ClientTimeout(total=120)
    async with aiohttp.ClientSession(timeout=timeout) as session:

        async def worker() -> None:
            while not queue.empty():
                body, content_type = queue.get_nowait()
                try:
                    async with session.post(
                        url + "/api/messages", data=body, headers={"Content-Type": content_type}
                    ) as response:
                        await response.read()
                        statuses[response.status] += 1
                except aiohttp.ClientError:
                    statuses[-1] += 1
                done = sum(statuses.values())
                if done % 1000 == 0:
                    print(f"  {done:,} posted", file=sys.stderr)

        await asyncio.gather(*(worker() for _ in range(CONCURRENCY)))
    return statuses


def unparsable_files(data_dir: Path) -> tuple[int, list[str]]:
    files = [path for path in data_dir.rglob("*") if path.is_file()]
    bad = []
    for path in files:
        try:
            orjson.loads(path.read_bytes())
        except orjson.JSONDecodeError:
            bad.append(str(path.relative_to(data_dir)))
    return len(files), bad


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=15)
    args = parser.parse_args(argv)
    rng = random.Random(args.seed)
    records = Records()
    logging.basicConfig(level=logging.INFO, handlers=[records])
    logging.getLogger("aiohttp.access").setLevel(logging.WARNING)
    with tempfile.TemporaryDirectory(prefix="hostile-soak-") as temp:
        data_dir = Path(temp) / "data"
        connector = Connector(random.Random(args.seed + 1))
        connector.blocked = {"a:personal-3", "a:personal-7", "19:group-1@thread.v2"}
        bot = LiveBot(data_dir, connector)
        bot_url, connector_url = bot.start()
        generator = Generator(rng, connector_url)
        started = time.perf_counter()
        statuses = asyncio.run(post_all(bot_url, generator, args.count))
        seconds = time.perf_counter() - started
        calls_before = connector.calls
        time.sleep(QUIET_SECONDS)
        late_calls = connector.calls - calls_before
        left = bot.tasks_left()
        bot.stop()
        files, bad = unparsable_files(data_dir)

    server_errors = sum(n for status, n in statuses.items() if status >= 500)
    print(f"hostile soak: {args.count:,} requests in {seconds:.0f} s (seed {args.seed})")
    print("responses: " + ", ".join(f"{s}: {n:,}" for s, n in sorted(statuses.items())))
    print(f"5xx responses: {server_errors}")
    print(f"log records with a traceback: {len(records.tracebacks)}")
    for record in records.tracebacks[:5]:
        error = record.exc_info[1] if record.exc_info else None
        print(f"  {record.levelname} {record.name}: {record.getMessage()[:100]}: {error!r:.200}")
    print("warnings and errors logged:")
    for message, number in records.by_message.most_common(12):
        print(f"  {number:6,}  {message}")
    print(f"background tasks left after {QUIET_SECONDS:.0f} s quiet: {len(left)}")
    for line in left[:5]:
        print(f"  {line[:160]}")
    print(f"connector calls during the quiet period: {late_calls}")
    print(f"stored files: {files:,}, not parsing: {len(bad)}")
    for name in bad[:5]:
        print(f"  {name}")
    failed = server_errors or records.tracebacks or left or late_calls or bad or statuses[-1]
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
