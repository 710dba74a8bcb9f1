"""What the turn benchmark (bench/turns.py) talks to: the fake Bot Connector its bots reply to,
the servers' process (bench/servers.py), and the Teams-shaped activities it sends."""

from __future__ import annotations

import asyncio
import contextlib
import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp
from aiohttp import web

from bench.hosting import connector_app

BOT_ID = "28:csf-bench-bot"
PROJECT_ROOT = Path(__file__).resolve().parent.parent


# --- the fake Bot Connector -----------------------------------------------------------------------


class FakeConnector:
    """The bot's `serviceUrl`: accepts every send with `{"id": ...}`, counts it, keeps nothing.

    Bodies are parsed and kept only for conversations in `watched` (used while setting up).
    """

    def __init__(self) -> None:
        self.url = ""
        self.sends = 0
        self.watched: dict[str, list[dict[str, Any]]] = {}

    def app(self) -> web.Application:
        async def send(request: web.Request) -> web.Response:
            self.sends += 1
            body = await request.read()
            if self.watched:
                conversation = request.match_info["conversation"]
                if conversation in self.watched:
                    self.watched[conversation].append(json.loads(body))
            return web.Response(body=b'{"id":"bench-1"}', content_type="application/json")

        async def create(request: web.Request) -> web.Response:
            await request.read()
            return web.Response(body=b'{"id":"a:bench-private"}', content_type="application/json")

        return connector_app(send, create)


# --- hosting the connector, and the servers' process ----------------------------------------------


@dataclass
class Servers:
    """The process of bench/servers.py: where each server listens, and its start-up figures."""

    process: asyncio.subprocess.Process
    urls: dict[str, str]
    import_ms: float
    startup_ms: float

    async def stats(self, session: aiohttp.ClientSession) -> dict[str, Any]:
        """The servers' process CPU seconds and memory, from its control server."""
        async with session.get(self.urls["control"] + "/stats") as response:
            stats: dict[str, Any] = await response.json()
            return stats

    async def control(self, session: aiohttp.ClientSession, action: str) -> str:
        async with session.post(self.urls["control"] + action) as response:
            return await response.text()


async def start_servers(data_dir: Path, stack: contextlib.AsyncExitStack) -> Servers:
    """Start `python -m bench.servers <data_dir>` and read the line saying where it listens."""
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bench.servers",
        str(data_dir),
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        cwd=PROJECT_ROOT,
    )

    async def stop() -> None:
        if process.stdin is not None:
            process.stdin.close()  # the servers stop when their standard input closes
        try:
            await asyncio.wait_for(process.wait(), timeout=10)
        except TimeoutError:
            process.kill()  # only the process this benchmark started
            await process.wait()

    stack.push_async_callback(stop)
    assert process.stdout is not None
    line = await asyncio.wait_for(process.stdout.readline(), timeout=60)
    if not line:
        raise RuntimeError("bench.servers exited before it was ready (see its stderr above)")
    ready = json.loads(line)
    urls = {name: ready[name] for name in ("bare", "echo", "bot", "control")}
    return Servers(process, urls, ready["import_ms"], ready["startup_ms"])


# --- Teams-shaped activities ---------------------------------------------------------------------


def activity(service_url: str, conversation_id: str, activity_id: str, **fields: Any) -> bytes:
    """A Teams personal-chat message activity, encoded once.

    A personal chat belongs to one user, so the sender is derived from the conversation id: each
    worker's conversation has its own user, as in Teams (one user with 16 personal chats would
    move the user's "last conversation" on every turn, which no real user does).
    """
    user = "bench-user-" + conversation_id.rsplit(":", 1)[-1]
    body: dict[str, Any] = {
        "type": "message",
        "id": activity_id,
        "timestamp": "2026-11-02T09:30:00.000Z",
        "serviceUrl": service_url,
        "channelId": "msteams",
        "from": {"id": f"29:{user}", "name": "Bench User", "aadObjectId": f"aad-{user}"},
        "conversation": {
            "id": conversation_id,
            "conversationType": "personal",
            "tenantId": "tenant-bench",
            "isGroup": False,
        },
        "recipient": {"id": BOT_ID, "name": "Success Framework"},
        "channelData": {"tenant": {"id": "tenant-bench"}},
        "locale": "en-US",
    }
    body.update(fields)
    return json.dumps(body).encode()


def _walk(node: Any) -> Any:
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from _walk(value)
    elif isinstance(node, list):
        for item in node:
            yield from _walk(item)


def adaptive_cards(bodies: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        attachment["content"]
        for body in bodies
        if body.get("type") == "message"
        for attachment in body.get("attachments") or []
        if attachment.get("contentType") == "application/vnd.microsoft.card.adaptive"
    ]


def button_data(card: dict[str, Any], title: str) -> dict[str, Any]:
    for node in _walk(card):
        if node.get("type") == "Action.Submit" and node.get("title") == title:
            return dict(node.get("data") or {})
    raise RuntimeError(f"no {title!r} button in the card")
