"""The real app and a fake connector on 127.0.0.1, served from a background thread's event loop.

For tests that must stay synchronous (hypothesis drives them) but talk to a real HTTP server.
"""

from __future__ import annotations

import asyncio
import json
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from aiohttp import web
from aiohttp.test_utils import TestServer

from bot.app import create_app
from bot.settings import Settings
from engagement.clock import Clock
from tests.support.connector import FakeConnector, start_fake_connector


@dataclass
class LiveBot:
    """Where the live bot listens, and what its connector received."""

    url: str
    connector: FakeConnector
    app: web.Application

    def post(self, body: bytes, content_type: str = "application/json") -> int:
        """POST raw bytes to /api/messages; returns the HTTP status."""
        request = urllib.request.Request(
            self.url + "/api/messages",
            data=body,
            headers={"Content-Type": content_type},
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return int(response.status)
        except urllib.error.HTTPError as error:
            error.close()
            return int(error.code)

    def post_json(self, activity: Any) -> int:
        """POST a JSON value to /api/messages."""
        return self.post(json.dumps(activity).encode())

    def get(self, path: str) -> int:
        """GET a path; returns the HTTP status."""
        try:
            with urllib.request.urlopen(self.url + path, timeout=30) as response:
                return int(response.status)
        except urllib.error.HTTPError as error:
            error.close()
            return int(error.code)


@contextmanager
def live_bot(settings: Settings, clock: Clock) -> Iterator[LiveBot]:
    """Run create_app(settings) and a fake connector until the block ends."""
    loop = asyncio.new_event_loop()
    ready: dict[str, Any] = {}
    started = threading.Event()

    async def start() -> None:
        connector, connector_server = await start_fake_connector()
        app = create_app(settings, clock=clock)
        server = TestServer(app, host="127.0.0.1")
        await server.start_server()
        ready.update(
            live=LiveBot(str(server.make_url("")).rstrip("/"), connector, app),
            servers=(server, connector_server),
        )
        started.set()

    def run() -> None:
        asyncio.set_event_loop(loop)
        loop.run_until_complete(start())
        loop.run_forever()

    thread = threading.Thread(target=run, name="live-bot", daemon=True)
    thread.start()
    if not started.wait(timeout=30):
        raise RuntimeError("live bot did not start")
    try:
        yield ready["live"]
    finally:

        async def stop() -> None:
            for server in ready["servers"]:
                await server.close()

        asyncio.run_coroutine_threadsafe(stop(), loop).result(timeout=30)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(timeout=30)
        loop.close()
