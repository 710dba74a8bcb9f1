"""The Bot Framework's token signing keys, fetched without blocking the bot.

botbuilder fetches the OpenID metadata and signing keys with `requests.get` on the event loop and
without a timeout: where the metadata host is slow or black-holed every authenticated request,
and with it the whole bot, freezes. `AsyncOpenIdMetadata` takes its place in the SDK's metadata
cache: both documents are fetched with aiohttp within `timeout` seconds, one fetch at a time,
kept for a day (an unknown key id refreshes them at most once an hour, as the SDK does), and a
failed fetch is not retried for `retry_after` seconds. Without any keys a request fails with
`KeysUnavailable` (the route answers 503 at once); with keys from an earlier fetch those stay in
use while a refresh fails.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import aiohttp
from botframework.connector.auth import JwtTokenExtractor
from jwt.algorithms import RSAAlgorithm

from bot.inbound import read_at_most

logger = logging.getLogger(__name__)

KEEP_SECONDS = 24 * 3600  # the SDK's own refresh period
UNKNOWN_KEY_REFRESH_SECONDS = 3600
MAX_DOCUMENT_BYTES = 1_000_000


class KeysUnavailable(Exception):
    """No signing keys could be had: the request can be neither accepted nor refused."""


@dataclass(frozen=True)
class SigningKey:
    """What the SDK's token check reads from a key: the public key and its endorsements."""

    public_key: Any
    endorsements: list[str]


class AsyncOpenIdMetadata:
    """One metadata URL's signing keys, fetched asynchronously with a timeout and cached."""

    def __init__(
        self,
        url: str,
        *,
        timeout: float = 10.0,
        retry_after: float = 30.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.url = url
        self._timeout = timeout
        self._retry_after = retry_after
        self._clock = clock
        self._keys: dict[str, dict[str, Any]] = {}
        self._parsed: dict[str, SigningKey] = {}
        self._fetched_at: float | None = None
        self._failed_at: float | None = None
        self._lock = asyncio.Lock()

    async def get(self, key_id: str | None) -> SigningKey | None:
        """The key `key_id` (None when the metadata has no such key: the token is refused)."""
        now = self._clock()
        if self._fetched_at is None or now - self._fetched_at > KEEP_SECONDS:
            await self._refresh(now)
        key = self._find(key_id)
        if key is None and now - (self._fetched_at or now) > UNKNOWN_KEY_REFRESH_SECONDS:
            await self._refresh(now)
            key = self._find(key_id)
        return key

    def _find(self, key_id: str | None) -> SigningKey | None:
        if key_id is None or key_id not in self._keys:
            return None
        if key_id not in self._parsed:
            jwk = self._keys[key_id]
            self._parsed[key_id] = SigningKey(
                RSAAlgorithm.from_jwk(json.dumps(jwk)), list(jwk.get("endorsements") or [])
            )
        return self._parsed[key_id]

    async def _refresh(self, asked_at: float) -> None:
        async with self._lock:
            if self._fetched_at is not None and self._fetched_at >= asked_at:
                return  # fetched while this request waited for the lock
            failed_recently = (
                self._failed_at is not None and self._clock() - self._failed_at < self._retry_after
            )
            if not failed_recently:
                try:
                    keys = await asyncio.wait_for(self._fetch(), self._timeout)
                except (aiohttp.ClientError, TimeoutError, ValueError, KeyError) as error:
                    self._failed_at = self._clock()
                    logger.warning("Could not fetch signing keys from %s: %r", self.url, error)
                else:
                    self._keys = keys
                    self._parsed = {}
                    self._fetched_at = self._clock()
                    self._failed_at = None
                    return
        if not self._keys:
            raise KeysUnavailable(f"no signing keys from {self.url}")

    async def _fetch(self) -> dict[str, dict[str, Any]]:
        async with aiohttp.ClientSession() as session:
            metadata = await _json(session, self.url)
            keys_url = metadata["jwks_uri"]
            if not isinstance(keys_url, str):
                raise ValueError("jwks_uri is not a string")
            document = await _json(session, keys_url)
        keys = document["keys"]
        if not isinstance(keys, list):
            raise ValueError("keys is not a list")
        return {key["kid"]: key for key in keys if isinstance(key, dict) and "kid" in key}


async def _json(session: aiohttp.ClientSession, url: str) -> dict[str, Any]:
    async with session.get(url) as response:
        response.raise_for_status()
        body = await read_at_most(response, MAX_DOCUMENT_BYTES)
    data = json.loads(body)
    if not isinstance(data, dict):
        raise ValueError("metadata is not a JSON object")
    return data


def use_async_signing_keys(*, timeout: float = 10.0) -> None:
    """Make the SDK's token check fetch keys through `AsyncOpenIdMetadata` (for every metadata
    URL it asks for; entries already in its cache, such as tests' local keys, stay)."""

    def open_id_metadata(url: str) -> Any:
        cache: dict[str, Any] = JwtTokenExtractor.metadataCache
        metadata = cache.get(url)
        if metadata is None:
            metadata = cache.setdefault(url, AsyncOpenIdMetadata(url, timeout=timeout))
        return metadata

    JwtTokenExtractor.get_open_id_metadata = staticmethod(open_id_metadata)
