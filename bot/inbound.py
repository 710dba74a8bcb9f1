"""What a request may carry: bounded JSON and the shape of every activity field the bot reads.

Everything here runs before authentication and before any turn, so hostile input costs little
and gets a 400 naming what is wrong instead of an exception deep inside botbuilder (a
RecursionError on deep nesting, a KeyError on a mention without `mentioned`, a lone UTF-16
surrogate that the store cannot write).
"""

from __future__ import annotations

from typing import Any

import aiohttp
import orjson

# Teams activities nest about ten levels (an Adaptive Card in an attachment a few more).
MAX_DEPTH = 64
MAX_ID_LENGTH = 1024
# Fields the bot echoes into URLs, storage keys or replies: a short string or absent.
_STRING_FIELDS = ("id", "replyToId", "serviceUrl", "locale", "name", "action", "localTimezone")
# Accounts: `from`, `recipient` and each member added or removed; `conversation` as well.
_ACCOUNT_STRINGS = ("id", "name", "aadObjectId", "role")
_CONVERSATION_STRINGS = ("id", "name", "conversationType", "tenantId")
_LISTS_OF_ACCOUNTS = ("membersAdded", "membersRemoved")


def decode_json(body: bytes, *, max_depth: int = MAX_DEPTH) -> Any:
    """Parse `body` as strict JSON (UTF-8, no lone surrogates, no NaN) nested at most
    `max_depth` levels; raise ValueError saying why it is refused."""
    try:
        data = orjson.loads(body)
    except orjson.JSONDecodeError as error:
        raise ValueError(f"body is not valid JSON: {error}") from error
    # Each level needs an opening bracket in the text: with no more brackets than levels
    # allowed (every activity the bot expects), the walk cannot find too deep a nesting.
    brackets = body.count(b"{") + body.count(b"[")
    if brackets > max_depth and depth_exceeds(data, max_depth):
        raise ValueError(f"body is nested deeper than {max_depth} levels")
    return data


def depth_exceeds(data: Any, max_depth: int) -> bool:
    """True when `data` nests lists and objects deeper than `max_depth` (iterative: no
    recursion however deep the value is)."""
    pending: list[tuple[Any, int]] = [(data, 1)]
    while pending:
        node, depth = pending.pop()
        children = node.values() if isinstance(node, dict) else node
        if not isinstance(node, dict | list):
            continue
        if depth > max_depth:
            return True
        pending.extend((child, depth + 1) for child in children if isinstance(child, dict | list))
    return False


def check_activity_shape(data: dict[str, Any]) -> None:
    """Raise ValueError unless every field the bot reads has the type the bot expects."""
    for name in ("type", "channelId"):
        if not isinstance(data.get(name), str) or not data[name]:
            raise ValueError(f"activity needs a string '{name}'")
    _strings(data, _STRING_FIELDS, "")
    conversation = data.get("conversation")
    if not isinstance(conversation, dict) or not isinstance(conversation.get("id"), str):
        raise ValueError("activity needs 'conversation.id'")
    _strings(conversation, _CONVERSATION_STRINGS, "conversation.")
    if not isinstance(conversation.get("isGroup"), bool | None):
        raise ValueError("'conversation.isGroup' must be true or false")
    for name in ("from", "recipient"):
        _account(data.get(name), name, required=False)
    for name in _LISTS_OF_ACCOUNTS:
        for index, member in enumerate(_list(data, name)):
            _account(member, f"{name}[{index}]", required=True)
    for index, entity in enumerate(_list(data, "entities")):
        _entity(entity, f"entities[{index}]")
    for index, attachment in enumerate(_list(data, "attachments")):
        if not isinstance(attachment, dict) or not isinstance(attachment.get("contentType"), str):
            raise ValueError(f"'attachments[{index}]' needs a string 'contentType'")
    if not isinstance(data.get("text"), str | None):
        raise ValueError("'text' must be a string")
    channel_data = data.get("channelData")
    if channel_data is not None:
        if not isinstance(channel_data, dict):
            raise ValueError("'channelData' must be an object")
        tenant = channel_data.get("tenant")
        if tenant is not None and not (
            isinstance(tenant, dict) and isinstance(tenant.get("id"), str | None)
        ):
            raise ValueError("'channelData.tenant' must be an object with a string 'id'")


def _strings(data: dict[str, Any], names: tuple[str, ...], prefix: str) -> None:
    for name in names:
        value = data.get(name)
        if value is not None and (not isinstance(value, str) or len(value) > MAX_ID_LENGTH):
            raise ValueError(
                f"'{prefix}{name}' must be a string of at most {MAX_ID_LENGTH} characters"
            )


def _list(data: dict[str, Any], name: str) -> list[Any]:
    value = data.get(name)
    if value is None:
        return []
    if not isinstance(value, list):
        raise ValueError(f"'{name}' must be a list")
    return value


def _account(value: Any, where: str, *, required: bool) -> None:
    if value is None and not required:
        return
    if not isinstance(value, dict) or not isinstance(value.get("id"), str):
        raise ValueError(f"'{where}' must be an account with a string 'id'")
    _strings(value, _ACCOUNT_STRINGS, f"{where}.")


def _entity(value: Any, where: str) -> None:
    if not isinstance(value, dict) or not isinstance(value.get("type"), str):
        raise ValueError(f"'{where}' must be an object with a string 'type'")
    if value["type"] == "mention":
        _account(value.get("mentioned"), f"{where}.mentioned", required=True)
        if not isinstance(value.get("text"), str | None):
            raise ValueError(f"'{where}.text' must be a string")


async def read_at_most(response: aiohttp.ClientResponse, limit: int) -> bytes:
    """The whole body of a response the bot fetched (not just its first chunk); ValueError when
    it is larger than `limit` bytes."""
    too_large = ValueError(f"the answer is larger than {limit:,} bytes")
    if (response.content_length or 0) > limit:
        raise too_large
    body = bytearray()
    async for chunk in response.content.iter_chunked(64 * 1024):
        body += chunk
        if len(body) > limit:
            raise too_large
    return bytes(body)
