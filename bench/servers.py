"""The servers under test, in a process of their own: `python -m bench.servers <data dir>`.

bench/turns.py starts this process and drives it from another one, as a load generator drives a
deployed bot: the bot's process spends its CPU on the bot only, never on the benchmark's client or
on the fake Bot Connector that receives the replies.

It hosts, each on 127.0.0.1 on a free port:

    bare     a bare aiohttp handler: parse the JSON body, answer 201 with a small JSON
    echo     the stock botbuilder EchoBot (ActivityHandler + stock CloudAdapter + adapter.process)
    bot      this bot, built by `create_app` over `<data dir>` in local mode
    control  GET /stats (this process's CPU seconds and memory), POST /profile/start and
             /profile/stop (cProfile of the event-loop thread), POST /quit

It prints one JSON line with the servers' URLs and its import and start-up times, then serves
until /quit is called or its standard input closes.
"""

from __future__ import annotations

import time

_STARTED = time.perf_counter()

import asyncio  # noqa: E402
import contextlib  # noqa: E402
import cProfile  # noqa: E402
import gc  # noqa: E402
import io  # noqa: E402
import json  # noqa: E402
import logging  # noqa: E402
import os  # noqa: E402
import pstats  # noqa: E402
import sys  # noqa: E402
import threading  # noqa: E402
import warnings  # noqa: E402
from pathlib import Path  # noqa: E402
from types import SimpleNamespace  # noqa: E402

import aiohttp  # noqa: E402
from aiohttp import web  # noqa: E402

# botbuilder and msrest use deprecated stdlib/aiohttp APIs; their warnings are noise here.
warnings.filterwarnings("ignore", category=DeprecationWarning)

from botbuilder.core import ActivityHandler, MessageFactory, TurnContext  # noqa: E402
from botbuilder.integration.aiohttp import (  # noqa: E402
    CloudAdapter,
    ConfigurationBotFrameworkAuthentication,
)

from bench.hosting import Hosted, host  # noqa: E402
from bot.app import create_app  # noqa: E402
from bot.settings import Settings  # noqa: E402

IMPORT_MS = 1000 * (time.perf_counter() - _STARTED)


def bare_app() -> web.Application:
    """A bare aiohttp JSON handler."""

    async def messages(request: web.Request) -> web.Response:
        data = await request.json()
        return web.json_response({"id": "bench-1", "type": data.get("type")}, status=201)

    app = web.Application()
    app.router.add_post("/api/messages", messages)
    return app


class EchoBot(ActivityHandler):  # type: ignore[misc]
    """The stock botbuilder echo sample's bot."""

    async def on_message_activity(self, turn_context: TurnContext) -> None:
        await turn_context.send_activity(MessageFactory.text(f"Echo: {turn_context.activity.text}"))


def echo_app() -> web.Application:
    """The stock EchoBot behind a stock CloudAdapter and the stock `adapter.process` route."""
    adapter = CloudAdapter(
        ConfigurationBotFrameworkAuthentication(
            SimpleNamespace(APP_ID="", APP_PASSWORD="", APP_TYPE="MultiTenant", APP_TENANTID="")
        )
    )
    bot = EchoBot()

    async def messages(request: web.Request) -> web.Response:
        response: web.Response = await adapter.process(request, bot)
        return response

    app = web.Application()
    app.router.add_post("/api/messages", messages)
    return app


def bench_settings(data_dir: Path) -> Settings:
    """Local-mode settings (auth off) over `data_dir`, whatever the environment or `.env` says."""
    return Settings(
        _env_file=None,
        MicrosoftAppId="",
        MicrosoftAppPassword="",
        MicrosoftAppTenantId="",
        DATA_DIR=data_dir,
        CATALOG_DIR=None,
        LOG_LEVEL="WARNING",
    )


def quiet_logging() -> None:
    """WARNING and above only, for the bot, botbuilder and aiohttp alike."""
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    logging.getLogger().setLevel(logging.WARNING)
    for name in ("aiohttp.access", "aiohttp.server", "bot", "dialogs", "store", "msrest"):
        logging.getLogger(name).setLevel(logging.WARNING)


def proc_status_kib(name: str) -> int:
    """A `kB` figure from /proc/self/status (0 where there is none)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(name + ":"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def children_cpu_seconds() -> float:
    """CPU seconds of this process's running children (the store's sync worker), from /proc:
    a turn's CPU includes the fsyncs and renames the worker does for it."""
    total_ticks = 0
    try:
        for task in Path("/proc/self/task").iterdir():
            for pid in (task / "children").read_text().split():
                with contextlib.suppress(OSError):  # exited meanwhile
                    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
                    total_ticks += int(fields[11]) + int(fields[12])  # utime, stime
    except OSError:
        return 0.0
    return total_ticks / os.sysconf("SC_CLK_TCK")


def control_app(stop: asyncio.Event) -> web.Application:
    """Statistics, profiling and shutdown of this process, for the driver."""
    profiler: list[cProfile.Profile] = []

    async def stats(_: web.Request) -> web.Response:
        return web.json_response(
            {
                "cpu_seconds": time.process_time() + children_cpu_seconds(),
                "rss_kib": proc_status_kib("VmRSS"),
                "hwm_kib": proc_status_kib("VmHWM"),
            }
        )

    async def profile_start(_: web.Request) -> web.Response:
        profiler[:] = [cProfile.Profile()]
        profiler[0].enable()
        return web.json_response({})

    async def profile_stop(_: web.Request) -> web.Response:
        profiler[0].disable()
        out = io.StringIO()
        statistics = pstats.Stats(profiler[0], stream=out)
        statistics.sort_stats("cumulative").print_stats(r"^(?!.*/asyncio/)", 25)
        statistics.sort_stats("tottime").print_stats(20)
        return web.Response(text=out.getvalue())

    async def quit_(_: web.Request) -> web.Response:
        stop.set()
        return web.json_response({})

    app = web.Application()
    app.router.add_get("/stats", stats)
    app.router.add_post("/profile/start", profile_start)
    app.router.add_post("/profile/stop", profile_stop)
    app.router.add_post("/quit", quit_)
    return app


async def start_bot(data_dir: Path, stack: contextlib.AsyncExitStack) -> tuple[Hosted, float]:
    """Start this bot; milliseconds from calling create_app to a 200 from /healthz."""
    started = time.perf_counter()
    bot = await host(create_app(bench_settings(data_dir)))
    stack.push_async_callback(bot.close)
    async with (
        aiohttp.ClientSession() as session,
        session.get(bot.url + "/healthz") as response,
    ):
        await response.read()
        if response.status != 200:
            raise RuntimeError(f"/healthz answered {response.status}")
    return bot, 1000 * (time.perf_counter() - started)


def _stop_when_stdin_closes(stop: asyncio.Event) -> None:
    """Set `stop` once the driver's end of our standard input closes (the driver is gone)."""
    loop = asyncio.get_running_loop()

    def wait() -> None:
        sys.stdin.read()
        loop.call_soon_threadsafe(stop.set)

    threading.Thread(target=wait, name="stdin-watch", daemon=True).start()


async def serve(data_dir: Path) -> None:
    """Start every server, print where they are, serve until told to stop."""
    quiet_logging()
    stop = asyncio.Event()
    async with contextlib.AsyncExitStack() as stack:
        bot, startup_ms = await start_bot(data_dir, stack)
        hosted = {"bot": bot}
        for name, app in (
            ("bare", bare_app()),
            ("echo", echo_app()),
            ("control", control_app(stop)),
        ):
            hosted[name] = await host(app)
            stack.push_async_callback(hosted[name].close)
        gc.freeze()  # as app.py does once the bot is built
        ready: dict[str, object] = {name: server.url for name, server in hosted.items()}
        ready |= {"import_ms": IMPORT_MS, "startup_ms": startup_ms}
        print(json.dumps(ready), flush=True)
        _stop_when_stdin_closes(stop)
        await stop.wait()


def main() -> int:
    if len(sys.argv) != 2:
        sys.stderr.write("usage: python -m bench.servers <data dir>\n")
        return 2
    asyncio.run(serve(Path(sys.argv[1])))
    return 0


if __name__ == "__main__":
    sys.exit(main())
