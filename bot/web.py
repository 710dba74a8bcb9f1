"""HTTP routes: `POST /api/messages` (Bot Framework activities) and `GET /healthz`.

The messages route validates the request itself before botbuilder sees it, so that bad input gets
a clear 4xx (415 wrong content type, 413 too large, 400 malformed JSON or not an activity, 401 bad
credentials) instead of an exception inside the SDK.
"""

from __future__ import annotations

import logging
from typing import Any, Protocol
from urllib.parse import urlsplit

from aiohttp import web
from botbuilder.core import Bot, serializer_helper
from botbuilder.integration.aiohttp import CloudAdapter
from botbuilder.schema import Activity

from bot.inbound import check_activity_shape, decode_json
from bot.locks import TurnLocks
from bot.settings import is_loopback_host
from bot.signing_keys import KeysUnavailable
from bot.wire import from_wire

logger = logging.getLogger(__name__)


class HealthCheck(Protocol):
    """Anything that can say whether it works (the store)."""

    async def healthy(self) -> bool: ...


def _problem(status: int, message: str) -> web.Response:
    return web.json_response({"error": message}, status=status)


def is_loopback_url(url: str) -> bool:
    """True for http(s) URLs on this machine (127.0.0.0/8, ::1, localhost)."""
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
    except ValueError:
        return False
    return parts.scheme in {"http", "https"} and is_loopback_host(host)


def parse_activity(body: bytes, *, local_mode: bool) -> Activity:
    """Decode a request body into an Activity or raise ValueError saying why it is not one.

    In local mode requests are not authenticated, so the bot only answers a `serviceUrl` on this
    machine (Emulator, Agents Playground): an unauthenticated caller must not be able to make the
    bot send requests to other hosts. With authentication the token's `serviceurl` claim is checked
    against the activity instead.
    """
    data = decode_json(body)
    if not isinstance(data, dict):
        raise ValueError("body must be a JSON object (an activity)")
    check_activity_shape(data)
    try:
        activity = from_wire(Activity, data)
    except Exception as error:  # msrest raises several types for wrongly typed fields
        raise ValueError(f"not a valid activity: {error}") from error
    if activity.conversation is None or not isinstance(activity.conversation.id, str):
        raise ValueError("activity needs 'conversation.id'")
    if not isinstance(activity.service_url, str) or not activity.service_url:
        raise ValueError("activity needs 'serviceUrl'")
    if local_mode and not is_loopback_url(activity.service_url):
        raise ValueError("in local mode (no MicrosoftAppId) 'serviceUrl' must be a loopback URL")
    return activity


def messages_handler(adapter: CloudAdapter, bot: Bot, locks: TurnLocks, *, local_mode: bool) -> Any:
    """The `/api/messages` handler for one adapter and bot."""

    async def messages(request: web.Request) -> web.StreamResponse:
        if request.content_type != "application/json":
            return _problem(415, "Content-Type must be application/json")
        try:
            body = await request.read()
        except web.HTTPRequestEntityTooLarge:
            return _problem(413, f"request body is larger than {request.client_max_size} bytes")
        try:
            activity = parse_activity(body, local_mode=local_mode)
        except ValueError as error:
            return _problem(400, str(error))

        auth_header = request.headers.get("Authorization", "")
        try:
            authentication = await adapter.bot_framework_authentication.authenticate_request(
                activity, auth_header
            )
        except KeysUnavailable:  # neither accepted nor refused: ask the channel to retry
            response = _problem(503, "the token signing keys cannot be fetched right now")
            response.headers["Retry-After"] = "30"
            return response
        except Exception as error:  # missing, malformed, forged or expired token
            logger.info("Refused unauthenticated request: %s", error)
            return _problem(401, "unauthorized")

        async with locks.hold(activity.conversation.id):
            invoke_response = await adapter.process_activity(authentication, activity, bot.on_turn)
        if invoke_response:
            body = invoke_response.body
            data = body if isinstance(body, dict) else serializer_helper(body)  # dict: JSON already
            return web.json_response(data=data, status=invoke_response.status)
        return web.Response(status=201)

    return messages


def health_handler(store: HealthCheck) -> Any:
    """`/healthz`: 200 when the store is usable, 503 otherwise."""

    async def healthz(request: web.Request) -> web.StreamResponse:
        ok = await store.healthy()
        return web.json_response(
            {"status": "ok" if ok else "unavailable", "store": ok}, status=200 if ok else 503
        )

    return healthz
