"""/api/messages and /healthz over HTTP: status codes for bad input, nothing stored."""

from __future__ import annotations

import gc
from pathlib import Path

from aiohttp.test_utils import TestClient

from bot.app import YOUNG_COLLECTION_THRESHOLD
from bot.settings import Settings
from bot.web import is_loopback_url
from tests.support.connector import FakeConnector
from tests.support.conversation import Conversation


def _files(data_dir: Path) -> set[Path]:
    return {p for p in data_dir.rglob("*") if p.is_file() and not p.name.startswith(".health")}


async def test_healthz_reports_usable_store(client: TestClient) -> None:
    response = await client.get("/healthz")
    assert response.status == 200
    assert (await response.json())["store"] is True


async def test_a_started_bot_collects_young_garbage_less_often(client: TestClient) -> None:
    assert await client.get("/healthz")
    assert gc.get_threshold()[0] == YOUNG_COLLECTION_THRESHOLD > 700


async def test_malformed_json_is_400_and_touches_nothing(
    client: TestClient, settings: Settings
) -> None:
    before = _files(settings.data_dir)
    response = await client.post(
        "/api/messages", data=b'{"type": "message", ', headers={"Content-Type": "application/json"}
    )
    assert response.status == 400
    assert "JSON" in (await response.json())["error"]
    assert _files(settings.data_dir) == before


async def test_wrong_content_type_is_415(client: TestClient) -> None:
    response = await client.post(
        "/api/messages", data=b"type=message", headers={"Content-Type": "text/plain"}
    )
    assert response.status == 415


async def test_missing_content_type_is_415(client: TestClient) -> None:
    response = await client.post("/api/messages", data=b"{}", skip_auto_headers=["Content-Type"])
    assert response.status == 415


async def test_body_over_the_limit_is_413(client: TestClient, settings: Settings) -> None:
    body = b'{"type": "message", "text": "' + b"x" * settings.max_body_bytes + b'"}'
    response = await client.post(
        "/api/messages", data=body, headers={"Content-Type": "application/json"}
    )
    assert response.status == 413


async def test_json_that_is_not_an_activity_is_400(client: TestClient) -> None:
    for body in ([], "text", {"text": "no type"}, {"type": 5}, {"type": "message"}):
        response = await client.post("/api/messages", json=body)
        assert response.status == 400, body


async def test_wrongly_typed_fields_are_400_not_500(
    client: TestClient, connector: FakeConnector
) -> None:
    conversation = Conversation(client, connector, "a:typed")
    activity = conversation.activity(text="help", conversation="not-an-object")
    assert await conversation.post(activity) == 400


async def test_app_survives_bad_requests_and_still_answers(personal: Conversation) -> None:
    await personal.client.post(
        "/api/messages", data=b"\xff\xfe", headers={"Content-Type": "application/json"}
    )
    replies = await personal.say("help")
    assert replies
    assert replies[0].cards


async def test_local_mode_refuses_to_reply_to_other_hosts(personal: Conversation) -> None:
    for service_url in ("https://smba.trafficmanager.net/emea/", "http://10.1.2.3/", "file:///etc"):
        activity = personal.activity(text="help", serviceUrl=service_url)
        assert await personal.post(activity) == 400
    assert personal.connector.sent == []


def test_loopback_urls() -> None:
    assert is_loopback_url("http://127.0.0.1:3978/")
    assert is_loopback_url("http://127.8.0.1/")
    assert is_loopback_url("http://localhost:56000")
    assert is_loopback_url("http://[::1]:80/")
    for url in ("http://localhost.evil.com/", "http://10.0.0.1/", "gopher://127.0.0.1/", "::"):
        assert not is_loopback_url(url)
