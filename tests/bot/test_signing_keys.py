"""Signing keys are fetched without blocking the bot: a black-holed metadata host gets 503 fast,
while other requests go on; fetched keys are cached (issue 15)."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer
from botframework.connector.auth import AuthenticationConstants, JwtTokenExtractor
from jwt.algorithms import RSAAlgorithm

from bot.app import create_app
from bot.signing_keys import AsyncOpenIdMetadata, KeysUnavailable
from engagement.clock import FixedClock
from tests.support.connector import FakeConnector
from tests.support.conversation import Conversation
from tests.support.tokens import APP_ID, TRUSTED_KEY, TRUSTED_KID, channel_token, secured_settings

CHANNEL_METADATA = AuthenticationConstants.TO_BOT_FROM_CHANNEL_OPENID_METADATA_URL


class BlackHole:
    """A TCP server that accepts connections and never answers."""

    def __init__(self) -> None:
        self.connections = 0
        self.connected = asyncio.Event()
        self.url = ""
        self._writers: list[asyncio.StreamWriter] = []
        self.server: asyncio.Server | None = None

    async def start(self) -> None:
        async def swallow(_: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            self.connections += 1
            self._writers.append(writer)
            self.connected.set()

        self.server = await asyncio.start_server(swallow, "127.0.0.1", 0)
        port = self.server.sockets[0].getsockname()[1]
        self.url = f"http://127.0.0.1:{port}/.well-known/openid-configuration"

    async def stop(self) -> None:
        for writer in self._writers:
            writer.close()
        assert self.server is not None
        self.server.close()
        await self.server.wait_closed()


@pytest.fixture
async def black_hole() -> AsyncIterator[BlackHole]:
    hole = BlackHole()
    await hole.start()
    try:
        yield hole
    finally:
        await hole.stop()


@pytest.fixture
def channel_metadata() -> Iterator[dict[str, Any]]:
    """Whatever the test puts here answers for the channel's metadata URL."""
    saved = JwtTokenExtractor.metadataCache.pop(CHANNEL_METADATA, None)
    box: dict[str, Any] = {}
    try:
        yield box
    finally:
        JwtTokenExtractor.metadataCache.pop(CHANNEL_METADATA, None)
        if saved is not None:
            JwtTokenExtractor.metadataCache[CHANNEL_METADATA] = saved


@pytest.fixture
async def secured(tmp_path: Path, clock: FixedClock) -> AsyncIterator[TestClient]:
    settings = secured_settings(tmp_path / "secured", REMINDERS_ENABLED=False)
    async with TestClient(TestServer(create_app(settings, clock=clock))) as test_client:
        yield test_client


async def test_a_black_holed_metadata_host_gets_503_fast_and_blocks_nothing(
    secured: TestClient,
    connector: FakeConnector,
    black_hole: BlackHole,
    channel_metadata: dict[str, Any],
) -> None:
    JwtTokenExtractor.metadataCache[CHANNEL_METADATA] = AsyncOpenIdMetadata(
        black_hole.url, timeout=1.0
    )
    conversation = Conversation(secured, connector, "a:waiting")
    headers = {"Authorization": f"Bearer {channel_token(APP_ID, connector.url)}"}
    started = time.monotonic()
    waiting = asyncio.create_task(
        secured.post("/api/messages", json=conversation.activity(text="help"), headers=headers)
    )
    await black_hole.connected.wait()  # the request is fetching the keys now
    health = await secured.get("/healthz")  # the loop is free while the keys are fetched
    assert health.status == 200
    assert not waiting.done()
    response = await waiting
    assert response.status == 503
    assert "Retry-After" in response.headers
    again = await secured.post(
        "/api/messages", json=conversation.activity(text="help"), headers=headers
    )
    assert again.status == 503  # at once: a failed fetch is not retried for a while
    assert time.monotonic() - started < 5
    assert black_hole.connections == 1
    assert connector.sent == []


async def _key_server(hits: list[str]) -> TestServer:
    jwk = json.loads(RSAAlgorithm.to_jwk(TRUSTED_KEY.public_key()))
    jwk.update({"kid": TRUSTED_KID, "endorsements": ["msteams"]})

    async def metadata(request: web.Request) -> web.Response:
        hits.append(request.path)
        return web.json_response({"jwks_uri": str(request.url.with_path("/keys"))})

    async def keys(request: web.Request) -> web.Response:
        hits.append(request.path)
        return web.json_response({"keys": [jwk]})

    app = web.Application()
    app.router.add_get("/metadata", metadata)
    app.router.add_get("/keys", keys)
    server = TestServer(app, host="127.0.0.1")
    await server.start_server()
    return server


async def test_keys_are_fetched_once_and_cached() -> None:
    hits: list[str] = []
    server = await _key_server(hits)
    try:
        metadata = AsyncOpenIdMetadata(str(server.make_url("/metadata")))
        first, second = await asyncio.gather(metadata.get(TRUSTED_KID), metadata.get(TRUSTED_KID))
        assert first is not None
        assert first is second
        assert first.endorsements == ["msteams"]
        assert await metadata.get("unknown-kid") is None  # refused, no second fetch yet
        assert hits == ["/metadata", "/keys"]
    finally:
        await server.close()


async def test_keys_stay_in_use_while_a_refresh_fails() -> None:
    hits: list[str] = []
    server = await _key_server(hits)
    now = [0.0]
    metadata = AsyncOpenIdMetadata(
        str(server.make_url("/metadata")), timeout=1.0, clock=lambda: now[0]
    )
    assert await metadata.get(TRUSTED_KID) is not None
    await server.close()  # the host goes away
    now[0] += 2 * 24 * 3600  # the keys are old: a refresh is due, and fails
    assert await metadata.get(TRUSTED_KID) is not None
    fresh = AsyncOpenIdMetadata("http://127.0.0.1:9/none", timeout=1.0)
    with pytest.raises(KeysUnavailable):
        await fresh.get(TRUSTED_KID)
