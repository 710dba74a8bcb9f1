"""Pacing: token buckets per conversation and per tenant, on an injectable monotonic clock."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from functools import lru_cache

Sleep = Callable[[float], Awaitable[None]]
Monotonic = Callable[[], float]

_EPSILON = 1e-9  # float slack, so a wait of exactly the computed time always suffices


class TokenBucket:
    """`rate` tokens per second, at most `burst` saved up; time from an injectable clock."""

    def __init__(self, rate: float, burst: float, clock: Monotonic) -> None:
        if rate <= 0 or burst < 1:
            raise ValueError("rate must be positive and burst at least 1")
        self._rate = rate
        self._burst = burst
        self._clock = clock
        self._tokens = burst
        self._at = clock()

    def _refill(self) -> None:
        now = self._clock()
        self._tokens = min(self._burst, self._tokens + (now - self._at) * self._rate)
        self._at = now

    def wait_time(self) -> float:
        """Seconds until a token is available (0 when one is)."""
        self._refill()
        missing = 1 - self._tokens
        return 0.0 if missing <= _EPSILON else missing / self._rate

    def take(self) -> None:
        """Use one token (call after `wait_time()` returned 0)."""
        self._refill()
        self._tokens -= 1


class RateLimiter:
    """Token buckets per conversation and per tenant; `acquire` waits until both allow a send.

    Teams allows a bot 7 sends/s per conversation (60 per 30 s, 1,800 per hour) and an app
    50 requests/s per tenant; the defaults stay well below.

    Args:
        per_conversation: Sends per second to one conversation.
        per_tenant: Sends per second to one tenant.
        burst_conversation: Sends one conversation may get at once (default: max(1, rate)).
        burst_tenant: Sends one tenant may get at once (default: max(1, rate)).
        clock: Monotonic seconds (injectable for tests).
        sleep: How to wait (injectable for tests).
        max_tracked: Buckets kept per kind; the least recently used are forgotten.
    """

    def __init__(
        self,
        per_conversation: float = 1.0,
        per_tenant: float = 20.0,
        *,
        burst_conversation: float | None = None,
        burst_tenant: float | None = None,
        clock: Monotonic = time.monotonic,
        sleep: Sleep = asyncio.sleep,
        max_tracked: int = 4096,
    ) -> None:
        self._conversation = (per_conversation, burst_conversation or max(1.0, per_conversation))
        self._tenant = (per_tenant, burst_tenant or max(1.0, per_tenant))
        self._clock = clock
        self._sleep = sleep
        # Least recently used buckets are forgotten (a forgotten bucket starts full again).
        self._bucket = lru_cache(maxsize=max_tracked)(self._new_bucket)

    def _new_bucket(self, key: tuple[str, str]) -> TokenBucket:
        rate, burst = self._conversation if key[0] == "c" else self._tenant
        return TokenBucket(rate, burst, self._clock)

    async def acquire(self, tenant_id: str, conversation_id: str) -> None:
        """Wait until both the conversation's and the tenant's bucket have a token; take them."""
        while True:
            conversation = self._bucket(("c", f"{tenant_id}\x1f{conversation_id}"))
            tenant = self._bucket(("t", tenant_id))
            wait = max(conversation.wait_time(), tenant.wait_time())
            if wait <= 0:
                conversation.take()
                tenant.take()
                return
            await self._sleep(wait)
