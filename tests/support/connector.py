"""A real local HTTP server standing in for the Teams connector service (the bot's `serviceUrl`)."""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web
from aiohttp.test_utils import TestServer


@dataclass
class Sent:
    """One call the bot made to the connector."""

    method: str
    conversation_id: str
    body: dict[str, Any]
    activity_id: str = ""

    @property
    def text(self) -> str:
        return str(self.body.get("text") or "")

    @property
    def cards(self) -> list[dict[str, Any]]:
        return [
            a["content"]
            for a in self.body.get("attachments") or []
            if a.get("contentType") == "application/vnd.microsoft.card.adaptive"
        ]

    @property
    def type(self) -> str:
        return str(self.body.get("type") or "")


@dataclass
class FakeConnector:
    """What the bot sent, in order, plus knobs for failures."""

    url: str = ""
    sent: list[Sent] = field(default_factory=list)
    created_conversations: list[dict[str, Any]] = field(default_factory=list)
    refuse_private_chats: bool = False
    # Statuses to answer the next sends with, in order, before accepting again (429, 500, 403...).
    failures: list[int] = field(default_factory=list)
    retry_after: str = "0"
    # Seconds to wait before answering the next sends, in order (a slow or hanging connector);
    # the send is then handled as usual (accepted, or refused by `failures`).
    delays: list[float] = field(default_factory=list)
    # How many of the next sends to drop by closing the connection without an answer (a server
    # closing an idle kept-alive connection as the request arrives); they are not recorded.
    disconnects: int = 0
    # Awaited with each accepted send before it is answered (to act at exactly that moment).
    on_accept: Callable[[Sent], Awaitable[None]] | None = None
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    def messages(self, conversation_id: str | None = None) -> list[Sent]:
        """Sent and updated messages (typing indicators left out)."""
        return [
            s
            for s in self.sent
            if s.type == "message"
            and (conversation_id is None or s.conversation_id == conversation_id)
        ]

    def next_id(self) -> str:
        return f"activity-{next(self._ids)}"


def connector_app(fake: FakeConnector) -> web.Application:
    """Routes of the Bot Connector REST API that the bot uses."""

    async def send(request: web.Request) -> web.Response:
        body = await request.json()
        if fake.disconnects:
            fake.disconnects -= 1
            assert request.transport is not None
            request.transport.close()
            return web.Response(status=500)  # never reaches the client
        if fake.delays:
            await asyncio.sleep(fake.delays.pop(0))
        if fake.failures:
            status = fake.failures.pop(0)
            fake.sent.append(Sent(f"REFUSED {status}", request.match_info["conversation"], body))
            return web.json_response(
                {"error": {"code": "Throttled", "message": "try later"}},
                status=status,
                headers={"Retry-After": fake.retry_after},
            )
        activity_id = fake.next_id()
        accepted = Sent("POST", request.match_info["conversation"], body, activity_id)
        fake.sent.append(accepted)
        if fake.on_accept is not None:
            await fake.on_accept(accepted)
        return web.json_response({"id": activity_id})

    async def update(request: web.Request) -> web.Response:
        body = await request.json()
        activity_id = request.match_info["activity"]
        fake.sent.append(Sent("PUT", request.match_info["conversation"], body, activity_id))
        return web.json_response({"id": activity_id})

    async def create(request: web.Request) -> web.Response:
        body = await request.json()
        if fake.refuse_private_chats:
            return web.json_response({"error": {"code": "Forbidden", "message": "no"}}, status=403)
        fake.created_conversations.append(body)
        member = (body.get("members") or [{}])[0]
        return web.json_response({"id": f"a:private-{member.get('id', 'unknown')}"})

    app = web.Application()
    app.router.add_post("/v3/conversations", create)
    app.router.add_post("/v3/conversations/{conversation}/activities", send)
    app.router.add_post("/v3/conversations/{conversation}/activities/{activity}", send)
    app.router.add_put("/v3/conversations/{conversation}/activities/{activity}", update)
    return app


async def start_fake_connector() -> tuple[FakeConnector, TestServer]:
    """Start the fake connector on 127.0.0.1 and return it with its server (close it after)."""
    fake = FakeConnector()
    server = TestServer(connector_app(fake), host="127.0.0.1")
    await server.start_server()
    fake.url = str(server.make_url("/")).rstrip("/") + "/"
    return fake, server
