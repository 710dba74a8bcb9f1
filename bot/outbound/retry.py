"""Retry rules for everything the bot sends: how an outcome is classified and the one retry loop.

Replies within a turn (bot/transport.py) and proactive sends (bot/outbound/sending.py) both go
through `retrying`; they differ only in their `RetryPolicy`.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Protocol, TypeVar

logger = logging.getLogger(__name__)

T = TypeVar("T")
Sleep = Callable[[float], Awaitable[None]]

GONE_STATUSES = frozenset({401, 403, 404})
# Set in a turn's state when the caller retries itself: the adapter then sends only once.
SINGLE_ATTEMPT_KEY = "outbound.single_attempt"


class SendStatus(StrEnum):
    """How a send ended."""

    SENT = "sent"
    GONE = "gone"  # the conversation is gone (401/403/404): mark the reference stale
    REFUSED = "refused"  # the connector refused the message itself (other 4xx)
    FAILED = "failed"  # transient (429, 5xx, timeout, network): retry later


@dataclass(frozen=True)
class SendResult:
    """The outcome of sending one card, after the retries of this attempt."""

    status: SendStatus
    error: str = ""
    retry_after: float | None = None
    activity_id: str = ""


class InFlight(Protocol):
    """The caller's bookkeeping around each attempt of one send (bot/reminder_delivery.py).

    `begin` runs before each request leaves (after pacing); after it, the send's fate is
    uncertain until the caller has recorded the outcome. `retry_later` runs when an attempt
    certainly failed and another follows after `delay` seconds.
    """

    async def begin(self) -> None: ...

    async def retry_later(self, result: SendResult, delay: float) -> None: ...


class CardSender(Protocol):
    """Sends one card to a conversation (paced, retried) and says how it went; never raises for
    connector problems (`bot.outbound.sending.ReminderSender`)."""

    async def send(
        self,
        tenant_id: str,
        conversation_id: str,
        reference: dict[str, Any],
        card: dict[str, Any],
        *,
        in_flight: InFlight | None = None,
    ) -> SendResult: ...


class SendTimeout(Exception):
    """A send got no answer in time (the connector may still have accepted it)."""

    def __init__(self, seconds: float) -> None:
        super().__init__(f"no answer within {seconds:g} s")


def status_of(error: BaseException) -> int | None:
    """The HTTP status carried by a connector error, if any."""
    status = getattr(error, "status", None)
    if isinstance(status, int):
        return status
    code = getattr(getattr(error, "response", None), "status_code", None)
    return code if isinstance(code, int) else None


def retry_after_of(error: BaseException) -> float | None:
    """The Retry-After (seconds) carried by a connector error, if it carries one."""
    value = getattr(error, "retry_after", None)
    if isinstance(value, int | float) and value >= 0:
        return float(value)
    return None


def describe(error: BaseException) -> str:
    """The error as one short line for logs and delivery records."""
    status = status_of(error)
    if status is not None:
        return f"connector answered {status}"
    if isinstance(error, SendTimeout):
        return str(error)
    text = str(error) or type(error).__name__
    return f"{type(error).__name__}: {text}"[:300]


def classify(error: BaseException) -> SendStatus:
    """GONE (401/403/404), REFUSED (other 4xx but 408/429) or FAILED (worth retrying)."""
    status = status_of(error)
    if status in GONE_STATUSES:
        return SendStatus.GONE
    if status is not None and 400 <= status < 500 and status not in {408, 429}:
        return SendStatus.REFUSED
    return SendStatus.FAILED


def is_transient(error: BaseException) -> bool:
    """True for what a later attempt may fix: 408, 429, 5xx, timeouts, network errors."""
    return classify(error) == SendStatus.FAILED


@dataclass(frozen=True)
class RetryPolicy:
    """How often and how long to retry transient failures.

    Attributes:
        attempts: Attempts in all (1 = no retry).
        backoff: First delay without Retry-After; doubles with each attempt.
        max_wait: Longest delay waited. A longer one ends the attempts, or, with `cap`, is
            shortened to `max_wait`.
        cap: Shorten long delays instead of giving up.
    """

    attempts: int = 3
    backoff: float = 1.0
    max_wait: float = 30.0
    cap: bool = False

    def __post_init__(self) -> None:
        if self.attempts < 1:
            raise ValueError("attempts must be at least 1")

    def delay(self, attempt: int, retry_after: float | None) -> float | None:
        """Seconds to wait after failed attempt number `attempt`; None: give up."""
        if attempt >= self.attempts:
            return None
        wanted = retry_after if retry_after is not None else self.backoff * 2 ** (attempt - 1)
        if wanted > self.max_wait:
            return self.max_wait if self.cap else None
        return wanted


async def retrying(
    attempt: Callable[[], Awaitable[T]],
    policy: RetryPolicy,
    *,
    what: str,
    sleep: Sleep = asyncio.sleep,
    transient: Callable[[BaseException], bool] = is_transient,
    before_retry: Callable[[BaseException, float], Awaitable[None]] | None = None,
) -> T:
    """`await attempt()`, again after transient failures as `policy` says; raise the last error.

    Args:
        attempt: One try; raises on failure (errors may carry `status` and `retry_after`).
        policy: How often and how long to wait.
        what: What is being sent, for the log ("reply to conversation x").
        sleep: How to wait (injectable for tests).
        transient: Which errors are worth another attempt.
        before_retry: Awaited with the error and the delay before each wait for a retry.
    """
    number = 1
    while True:
        try:
            return await attempt()
        except Exception as error:
            delay = policy.delay(number, retry_after_of(error)) if transient(error) else None
            if delay is None:
                raise
            logger.info(
                "%s failed (%s); attempt %d in %.1f s", what, describe(error), number + 1, delay
            )
            if before_retry is not None:
                await before_retry(error, delay)
        await sleep(delay)
        number += 1
