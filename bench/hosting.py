"""Serving an aiohttp application on 127.0.0.1 on a free port (the benchmarks' servers)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from aiohttp import web


@dataclass
class Hosted:
    """One aiohttp application listening on 127.0.0.1."""

    runner: web.AppRunner
    url: str

    async def close(self) -> None:
        await self.runner.cleanup()


async def host(app: web.Application) -> Hosted:
    """Serve `app` on 127.0.0.1 on a free port."""
    runner = web.AppRunner(app, access_log=None, handle_signals=False)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    return Hosted(runner, f"http://127.0.0.1:{port}")


Handler = Callable[[web.Request], Awaitable[web.Response]]


def connector_app(send: Handler, create: Handler) -> web.Application:
    """A fake Bot Connector: `send` answers replies and updates, `create` new conversations."""
    app = web.Application()
    app.router.add_post("/v3/conversations", create)
    app.router.add_post("/v3/conversations/{conversation}/activities", send)
    app.router.add_post("/v3/conversations/{conversation}/activities/{activity}", send)
    app.router.add_put("/v3/conversations/{conversation}/activities/{activity}", send)
    return app
