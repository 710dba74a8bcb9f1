"""Hostile activities get a 400 before any work, and a failed turn leaves nothing behind: no
5xx, no traceback, no task still running (issue 15)."""

from __future__ import annotations

import asyncio
import json
import logging
from pathlib import Path
from typing import Any

import pytest

from bot.settings import Settings
from bot.teams_bot import TeamsBot
from tests.support.conversation import Conversation


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """No reminder sweeps: the only tasks a turn may leave are what the test looks for."""
    return Settings(_env_file=None, DATA_DIR=tmp_path / "data", REMINDERS_ENABLED=False)  # type: ignore[call-arg]


async def _post_raw(personal: Conversation, body: str) -> tuple[int, dict[str, Any]]:
    response = await personal.client.post(
        "/api/messages",
        data=body.encode("utf-8", "surrogatepass"),
        headers={"Content-Type": "application/json"},
    )
    return response.status, await response.json()


def _errors(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING or r.exc_info]


async def test_a_body_nested_a_thousand_levels_deep_gets_400(personal: Conversation) -> None:
    activity = personal.activity(text="help")
    body = json.dumps(activity)[:-1] + ', "value": ' + "[" * 1000 + "]" * 1000 + "}"
    status, answer = await _post_raw(personal, body)
    assert status == 400
    assert "nested deeper" in answer["error"]
    assert not personal.connector.sent


@pytest.mark.parametrize(
    ("fields", "named"),
    [
        ({"type": "conversationUpdate", "membersAdded": [None]}, "membersAdded[0]"),
        ({"type": "conversationUpdate", "membersRemoved": [{"name": "x"}]}, "membersRemoved[0]"),
        ({"entities": [{"type": "mention", "text": "<at>Bot</at>"}]}, "entities[0].mentioned"),
        ({"entities": ["mention"]}, "entities[0]"),
        ({"attachments": [{"content": {}}]}, "attachments[0]"),
        ({"from": {"id": 7}}, "'from'"),
        ({"text": ["help"]}, "'text'"),
        ({"channelData": {"tenant": "t"}}, "channelData.tenant"),
    ],
    ids=[
        "member-null",
        "member-without-id",
        "mention-without-mentioned",
        "entity-not-object",
        "attachment-without-type",
        "from-id-number",
        "text-list",
        "tenant-string",
    ],
)
async def test_malformed_fields_get_400_naming_the_field(
    personal: Conversation, caplog: pytest.LogCaptureFixture, fields: dict[str, Any], named: str
) -> None:
    status, answer = await _post_raw(personal, json.dumps(personal.activity(**fields)))
    assert status == 400
    assert named in answer["error"]
    assert not _errors(caplog)


@pytest.mark.parametrize("where", ["from.id", "conversation.id", "text"])
async def test_lone_surrogates_get_400(
    personal: Conversation, caplog: pytest.LogCaptureFixture, where: str
) -> None:
    activity = personal.activity(text="assess Contoso")
    outer, _, inner = where.partition(".")
    if inner:
        activity[outer][inner] += "\ud800"
    else:
        activity[outer] = "assess Con\udc00toso"
    status, answer = await _post_raw(personal, json.dumps(activity))
    assert status == 400
    assert "surrogate" in answer["error"]
    assert not _errors(caplog)


async def test_an_invoke_whose_turn_fails_gets_an_error_response_not_501(
    personal: Conversation, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def broken(*_: Any) -> None:
        raise RuntimeError("the store is gone")

    monkeypatch.setattr(TeamsBot, "_remember_conversation", broken)
    card_action = personal.activity(
        type="invoke", name="adaptiveCard/action", value={"action": {"type": "Action.Execute"}}
    )
    response = await personal.client.post("/api/messages", json=card_action)
    assert response.status == 200
    body = await response.json()
    assert body["statusCode"] == 500
    assert body["type"] == "application/vnd.microsoft.error"
    other = personal.activity(type="invoke", name="composeExtension/query", value={})
    assert await personal.post(other) == 400


def _tasks_left(before: set[asyncio.Task[Any]]) -> list[str]:
    """Tasks started since `before` and still running, aiohttp's own connection handlers aside."""
    left = []
    for task in asyncio.all_tasks() - before:
        code = getattr(task.get_coro(), "cr_code", None)
        if task.done() or (code is not None and "aiohttp" in code.co_filename):
            continue
        left.append(f"{task.get_name()}: {task.get_coro()!r}")
    return left


@pytest.mark.parametrize("status", [201, 403])
async def test_no_typing_indicator_outlives_its_turn(
    personal: Conversation, caplog: pytest.LogCaptureFixture, status: int
) -> None:
    before = asyncio.all_tasks()
    if status != 201:  # the user blocked the bot: every send is refused
        personal.connector.failures = [status] * 10
    assert await personal.post(personal.activity(text="help")) == 201
    assert not _tasks_left(before)
    tracebacks = [r for r in caplog.records if r.exc_info]
    assert not tracebacks
