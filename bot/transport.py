"""Per-turn waste removed from botbuilder's CloudAdapter, without forking it.

The stock `CloudAdapter.process_activity` builds a new `ConnectorClient` and `UserTokenClient`
on every turn (each an msrest configuration whose retry policy alone costs ~4 ms of CPU), and
sends replies with `requests` in a thread pool. `ReusingCloudAdapter`:
- keeps one connector client per (bot app id, service URL, audience), built by the SDK's own
  connector factory the first time and reused afterwards, for turns and proactive messages
  alike (used for the rare calls we don't send ourselves: create conversation);
- creates no user-token client (this bot has no OAuth sign-in; a dialog that adds one must create
  it where it is needed);
- sends replies and in-place card updates itself, as JSON over one shared aiohttp session, with
  the bearer token from the same credentials the SDK would use, retrying 429/5xx briefly and
  honouring `Retry-After`;
- answers `deliveryMode: expectReplies` with the buffered replies (the stock path serialises the
  body twice and fails with HTTP 500).
"""

from __future__ import annotations

import asyncio
import json
import logging
from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import aiohttp
import orjson
from botbuilder.core import InvokeResponse, TurnContext
from botbuilder.integration.aiohttp import CloudAdapter
from botbuilder.schema import (
    Activity,
    ActivityTypes,
    DeliveryModes,
    ResourceResponse,
)
from botframework.connector import Channels
from botframework.connector.auth import AuthenticateRequestResult, AuthenticationConstants

from bot.outbound.retry import SINGLE_ATTEMPT_KEY, RetryPolicy, retrying
from bot.sdk_internals import INVOKE_RESPONSE_KEY, create_turn_context, process_turn_results
from bot.wire import to_wire
from store.recent import Recent

logger = logging.getLogger(__name__)

MAX_CACHED_CONNECTORS = 256
# Replies within a turn: three attempts, Retry-After honoured up to 5 s (the user is waiting).
REPLY_RETRIES = RetryPolicy(attempts=3, backoff=1.0, max_wait=5.0, cap=True)
ONE_ATTEMPT = RetryPolicy(attempts=1)  # proactive sends: the outbound sender retries
SEND_TIMEOUT = aiohttp.ClientTimeout(total=30)


class ConnectorError(Exception):
    """The connector refused or failed a send."""

    def __init__(
        self, status: int, url: str, body: str, *, retry_after: float | None = None
    ) -> None:
        self.status = status
        self.retry_after = retry_after  # seconds, from the Retry-After header
        super().__init__(f"connector answered {status} for {url}: {body[:200]}")


class ConnectionDropped(Exception):
    """The connector closed the connection without answering: a server closes a kept-alive
    connection it found idle (Node's default after 5 s, as the Agents Playground does) just as the
    next request goes out on it. Sent again at once."""

    retry_after = 0.0


class ReusingCloudAdapter(CloudAdapter):
    """A CloudAdapter that reuses connector clients and sends replies over aiohttp."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._connectors: Recent[tuple[str, str, str], Any] = Recent(MAX_CACHED_CONNECTORS)
        self._session: aiohttp.ClientSession | None = None

    async def close(self) -> None:
        """Close the shared HTTP session (call on shutdown)."""
        if self._session is not None:
            await self._session.close()
            self._session = None

    async def process_activity(
        self, auth_header_or_authenticate_request_result: Any, activity: Activity, logic: Any
    ) -> InvokeResponse | None:
        result: AuthenticateRequestResult = (
            await self.bot_framework_authentication.authenticate_request(
                activity, auth_header_or_authenticate_request_result
            )
            if isinstance(auth_header_or_authenticate_request_result, str)
            else auth_header_or_authenticate_request_result
        )
        activity.caller_id = result.caller_id
        connector_client = await self._connector(
            result.claims_identity, result.audience, result.connector_factory, activity.service_url
        )
        context = create_turn_context(
            self,
            activity,
            result.claims_identity,
            result.audience,
            connector_client,
            None,
            logic,
            result.connector_factory,
        )
        await self.run_pipeline(context, logic)
        if activity.delivery_mode == DeliveryModes.expect_replies:
            # Serialised here: msrest would turn a RenderedCard (a dict subclass) into its repr.
            replies = [_wire_json(reply) for reply in context.buffered_reply_activities]
            return InvokeResponse(status=HTTPStatus.OK, body={"activities": replies})
        response: InvokeResponse | None = process_turn_results(self, context)
        return response

    async def process_proactive(
        self, claims_identity: Any, continuation_activity: Activity, audience: Any, logic: Any
    ) -> None:
        """The stock proactive turn (`continue_conversation`), with the connector client reused
        per service URL and no user-token client: two msrest configurations less per reminder."""
        factory = self.bot_framework_authentication.create_connector_factory(claims_identity)
        connector_client = await self._connector(
            claims_identity, audience, factory, continuation_activity.service_url
        )
        context = create_turn_context(
            self,
            continuation_activity,
            claims_identity,
            audience,
            connector_client,
            None,
            logic,
            factory,
        )
        await self.run_pipeline(context, logic)

    async def _connector(
        self, claims_identity: Any, audience: Any, factory: Any, service_url: str
    ) -> Any:
        app_id = str(claims_identity.get_claim_value(AuthenticationConstants.AUDIENCE_CLAIM) or "")
        key = (app_id, service_url, str(audience or ""))
        client = self._connectors.get(key)
        if client is None:
            client = await factory.create(service_url, audience)
            self._connectors.put(key, client)
        return client

    async def send_activities(
        self, context: TurnContext, activities: list[Activity]
    ) -> list[ResourceResponse]:
        responses = []
        for activity in activities:
            activity.id = None
            if activity.type == "delay":
                await asyncio.sleep(int((activity.value or 1000) / 1000))
                responses.append(ResourceResponse(id=""))
            elif activity.type == ActivityTypes.invoke_response:
                context.turn_state[INVOKE_RESPONSE_KEY] = activity
                responses.append(ResourceResponse(id=""))
            elif activity.type == ActivityTypes.trace and activity.channel_id != Channels.emulator:
                responses.append(ResourceResponse(id=""))
            else:
                connector = context.turn_state.get(self.BOT_CONNECTOR_CLIENT_KEY)
                single = bool(context.turn_state.get(SINGLE_ATTEMPT_KEY))
                responses.append(await self._post(connector, activity, single=single))
        return responses

    async def update_activity(self, context: TurnContext, activity: Activity) -> ResourceResponse:
        """Replace a sent activity (a card updated in place), over the shared session too."""
        connector = context.turn_state.get(self.BOT_CONNECTOR_CLIENT_KEY)
        return await self._post(connector, activity, update=True)

    async def _post(
        self, connector: Any, activity: Activity, *, update: bool = False, single: bool = False
    ) -> ResourceResponse:
        conversation = quote(activity.conversation.id, safe="")
        url = f"{activity.service_url.rstrip('/')}/v3/conversations/{conversation}/activities"
        target = activity.id if update else activity.reply_to_id
        if target:
            url += "/" + quote(target, safe="")
        headers = {"Content-Type": "application/json"}
        token = await _bearer_token(connector)
        if token:
            headers["Authorization"] = f"Bearer {token}"
        data = _json_bytes(_wire_json(activity))
        session = self._shared_session()
        method = "PUT" if update else "POST"

        async def attempt() -> ResourceResponse:
            try:
                async with session.request(method, url, data=data, headers=headers) as response:
                    answer = await response.read()
            except aiohttp.ServerDisconnectedError as error:
                raise ConnectionDropped(f"{method} {url}: {error}") from error
            if response.status < 300:
                return ResourceResponse(id=_sent_id(answer))
            raise ConnectorError(
                response.status,
                url,
                answer.decode("utf-8", "replace"),
                retry_after=_retry_after(response.headers.get("Retry-After")),
            )

        policy = ONE_ATTEMPT if single else REPLY_RETRIES
        return await retrying(
            attempt, policy, what=f"{method} {url}", transient=_connector_transient
        )

    def _shared_session(self) -> aiohttp.ClientSession:
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(timeout=SEND_TIMEOUT)
        return self._session


async def _bearer_token(connector: Any) -> str:
    """The outgoing token from the connector's credentials; empty in local (anonymous) mode."""
    credentials = getattr(getattr(connector, "config", None), "credentials", None)
    if credentials is None or not getattr(credentials, "microsoft_app_id", None):
        return ""
    # MSAL caches the token; a refresh is a blocking HTTP call, so keep it off the event loop.
    token: str = await asyncio.to_thread(credentials.get_access_token)
    return token


def _wire_json(activity: Activity) -> dict[str, Any]:
    """`activity.serialize()`, without walking card contents that are JSON already.

    An attachment's `content` (type object) would be checked node by node, which costs more than
    the rest of the reply; our cards are plain JSON dicts, so they are put back as is.
    """
    attachments = activity.attachments or []
    contents = [attachment.content for attachment in attachments]
    plain = all(isinstance(content, dict) for content in contents)  # RenderedCard included
    if plain:
        for attachment in attachments:
            attachment.content = None
    try:
        body = to_wire(activity)
    finally:
        if plain:
            for attachment, content in zip(attachments, contents, strict=True):
                attachment.content = content
    if plain:
        for wire, content in zip(body.get("attachments", []), contents, strict=True):
            wire["content"] = content
    return body


def _sent_id(answer: bytes) -> str:
    """The sent activity's id from the connector's answer; "" when it gave none (it was sent)."""
    try:
        data = orjson.loads(answer) if answer else None
    except orjson.JSONDecodeError:
        return ""
    value = data.get("id") if isinstance(data, dict) else None
    return value if isinstance(value, str) else ""


def _json_bytes(body: dict[str, Any]) -> bytes:
    """The body as compact UTF-8 JSON: orjson, ten times faster than `json.dumps` on a card."""
    try:
        return orjson.dumps(body)
    except (TypeError, orjson.JSONEncodeError):  # e.g. a non-string key msrest let through
        return json.dumps(body, separators=(",", ":")).encode()


def _retry_after(header: str | None) -> float | None:
    """The Retry-After header in seconds (not negative); None when missing or not a number."""
    try:
        return max(0.0, float(header)) if header is not None else None
    except ValueError:
        return None


def _connector_transient(error: BaseException) -> bool:
    """A reply is retried when the connector answered 429 or 5xx, or dropped the connection
    without an answer; not on other network errors or timeouts (it may have accepted it)."""
    if isinstance(error, ConnectionDropped):
        return True
    return isinstance(error, ConnectorError) and (error.status == 429 or error.status >= 500)
