"""With an app id configured, unauthenticated requests are refused with 401 and touch no state."""

from __future__ import annotations

import base64
import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from aiohttp.test_utils import TestClient, TestServer
from botframework.connector.auth import MicrosoftAppCredentials

from bot.app import create_app
from engagement.clock import FixedClock
from tests.support.connector import FakeConnector
from tests.support.conversation import Conversation
from tests.support.tokens import (
    APP_ID,
    UNTRUSTED_KEY,
    channel_token,
    offline_signing_keys,
    secured_settings,
)


def _segment(data: dict[str, object]) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")


FORGED = ".".join(
    [
        _segment({"alg": "RS256", "kid": "made-up", "typ": "JWT"}),
        _segment(
            {"aud": "11111111-2222-3333-4444-555555555555", "iss": "https://api.botframework.com"}
        ),
        "c2lnbmF0dXJl",
    ]
)
NONE_ALG = ".".join(
    [
        _segment({"alg": "none", "typ": "JWT"}),
        _segment({"aud": "11111111-2222-3333-4444-555555555555"}),
        "",
    ]
)


@pytest.fixture
async def secured(tmp_path: Path, clock: FixedClock) -> AsyncIterator[TestClient]:
    settings = secured_settings(tmp_path / "secured")
    with offline_signing_keys():
        async with TestClient(TestServer(create_app(settings, clock=clock))) as test_client:
            yield test_client


@pytest.mark.parametrize(
    "authorization",
    [
        pytest.param(None, id="no-header"),
        pytest.param("Bearer", id="empty-bearer"),
        pytest.param("Bearer not.a.jwt", id="malformed"),
        pytest.param(f"Bearer {FORGED}", id="unknown-key-id"),
        pytest.param(f"Bearer {NONE_ALG}", id="alg-none"),
        pytest.param("Basic dXNlcjpwYXNz", id="wrong-scheme"),
    ],
)
async def test_requests_without_a_valid_token_get_401(
    secured: TestClient, connector: FakeConnector, tmp_path: Path, authorization: str | None
) -> None:
    conversation = Conversation(secured, connector, "a:intruder")
    headers = {"Authorization": authorization} if authorization else {}
    response = await secured.post(
        "/api/messages", json=conversation.activity(text="assess Contoso"), headers=headers
    )
    assert response.status == 401
    assert connector.sent == []
    stored = list((tmp_path / "secured").rglob("*.json"))
    assert stored == []


def _stored(tmp_path: Path) -> list[Path]:
    return list((tmp_path / "secured").rglob("*.json"))


@pytest.mark.parametrize(
    "make_token",
    [
        pytest.param(
            lambda url: channel_token(APP_ID, url, key=UNTRUSTED_KEY), id="forged-signature"
        ),
        pytest.param(lambda url: channel_token("someone-else", url), id="other-audience"),
        pytest.param(lambda url: channel_token(APP_ID, url, expires_in=-3600), id="expired"),
        pytest.param(
            lambda url: channel_token(APP_ID, "https://evil.example/"), id="other-service-url"
        ),
        pytest.param(
            lambda url: channel_token(APP_ID, url, iss="https://evil.example"), id="other-issuer"
        ),
    ],
)
async def test_tokens_that_do_not_check_out_get_401(
    secured: TestClient, connector: FakeConnector, tmp_path: Path, make_token: Any
) -> None:
    conversation = Conversation(secured, connector, "a:forger")
    response = await secured.post(
        "/api/messages",
        json=conversation.activity(text="assess Contoso"),
        headers={"Authorization": f"Bearer {make_token(connector.url)}"},
    )
    assert response.status == 401
    assert connector.sent == []
    assert _stored(tmp_path) == []


async def test_a_valid_channel_token_is_accepted(
    secured: TestClient, connector: FakeConnector, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Replies need an outgoing token from Entra ID: stand in for that one call to the internet.
    monkeypatch.setattr(
        MicrosoftAppCredentials, "get_access_token", lambda self, force_refresh=False: "token"
    )
    conversation = Conversation(secured, connector, "a:trusted")
    response = await secured.post(
        "/api/messages",
        json=conversation.activity(text="help"),
        headers={"Authorization": f"Bearer {channel_token(APP_ID, connector.url)}"},
    )
    assert response.status == 201
    assert connector.messages("a:trusted")
