"""Sending one card to a stored conversation: the SDK seam, then pacing, timeout and retries."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any, Protocol

from botbuilder.core import CardFactory, MessageFactory, TurnContext
from botbuilder.schema import ConversationReference

from bot.outbound.pacing import RateLimiter, Sleep
from bot.outbound.retry import (
    SINGLE_ATTEMPT_KEY,
    InFlight,
    RetryPolicy,
    SendResult,
    SendStatus,
    SendTimeout,
    classify,
    describe,
    is_transient,
    retry_after_of,
    retrying,
    status_of,
)

logger = logging.getLogger(__name__)


class CardTransport(Protocol):
    """Sends one card into the conversation of a stored reference; returns the activity id.

    Raises whatever the connector raised (e.g. `bot.transport.ConnectorError` with `.status`).
    """

    async def send(self, reference: dict[str, Any], card: dict[str, Any]) -> str: ...


class ConversationContinuer(Protocol):
    """What can run a callback in a stored conversation (botbuilder's adapters can)."""

    async def continue_conversation(
        self, reference: Any, callback: Callable[[Any], Awaitable[None]], bot_id: str
    ) -> Any: ...


class AdapterTransport:
    """Sends through `adapter.continue_conversation`, so replies use the app's own transport.

    With `ReusingCloudAdapter`, `continue_conversation` goes through `process_proactive` (a
    connector client from the SDK's factory) and then the adapter's `send_activities` override,
    i.e. the shared aiohttp session, making a single attempt: retries are the sender's (one
    level of retries, not retries inside retries).

    The adapter runs the callback through its middleware and, on an exception, its
    `on_turn_error` (which would apologise and clear that conversation's dialog state), so the
    callback catches the error itself and hands it back here.

    Args:
        adapter: The bot's CloudAdapter.
        app_id: The bot's app id ("" in local mode).
    """

    def __init__(self, adapter: ConversationContinuer, app_id: str) -> None:
        self._adapter = adapter
        self._app_id = app_id

    async def send(self, reference: dict[str, Any], card: dict[str, Any]) -> str:
        """Send `card` to the reference's conversation; raise what the connector raised."""
        conversation_reference = ConversationReference.deserialize(reference)
        errors: list[Exception] = []
        ids: list[str] = []

        async def deliver(context: TurnContext) -> None:
            context.turn_state[SINGLE_ATTEMPT_KEY] = True  # the sender retries, not the adapter
            context.on_send_activities(_new_message)
            try:
                response = await context.send_activity(
                    MessageFactory.attachment(CardFactory.adaptive_card(card))
                )
            except Exception as error:  # handed back: the adapter's on_turn_error must not see it
                errors.append(error)
                return
            ids.append(str(getattr(response, "id", "") or ""))

        await self._adapter.continue_conversation(conversation_reference, deliver, self._app_id)
        if errors:
            raise errors[0]
        if not ids:
            raise RuntimeError("the proactive turn ended without sending")
        return ids[0]


async def _new_message(
    context: TurnContext, activities: list[Any], send: Callable[[], Awaitable[Any]]
) -> Any:
    """Post proactive cards as new messages: the SDK would make them replies to the (made-up) id
    of the continuation activity, i.e. `POST .../activities/<uuid>` instead of `.../activities`."""
    for activity in activities:
        activity.reply_to_id = None
    return await send()


def _retry_now(error: BaseException) -> bool:
    return is_transient(error) and not isinstance(error, SendTimeout | _NotSent)


class ReminderSender:
    """Sends one card with timeout, retries and rate limiting; classifies the outcome.

    A 429 or 5xx is retried here (honouring Retry-After up to `max_wait`), holding only this
    send. A timeout is not retried now: Teams may have accepted the card after all, so it is
    left to a later sweep (`retry_at`), and the caller's other sends go on meanwhile. The
    caller's `InFlight` bookkeeping (bot/reminder_delivery.py) brackets each attempt: `begin`
    after pacing, right before the request, `retry_later` before a retry's wait.

    Args:
        transport: What actually sends (AdapterTransport in the app).
        limiter: The rate limiter, asked before every attempt.
        timeout: Seconds one attempt may take.
        attempts: Attempts within one sweep for transient failures.
        backoff: First delay between attempts without Retry-After (doubles each time).
        max_wait: Longest delay waited within a sweep; a longer Retry-After ends the sweep's
            attempts and becomes the record's `retry_at`.
        sleep: How to wait (injectable for tests).
    """

    def __init__(
        self,
        transport: CardTransport,
        limiter: RateLimiter | None = None,
        *,
        timeout: float = 15.0,
        attempts: int = 3,
        backoff: float = 1.0,
        max_wait: float = 30.0,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        self._transport = transport
        self._limiter = limiter or RateLimiter()
        self._timeout = timeout
        self._policy = RetryPolicy(attempts=attempts, backoff=backoff, max_wait=max_wait)
        self._sleep = sleep

    async def send(
        self,
        tenant_id: str,
        conversation_id: str,
        reference: dict[str, Any],
        card: dict[str, Any],
        *,
        in_flight: InFlight | None = None,
    ) -> SendResult:
        """Send `card`; retry transient failures; never raises for connector problems.

        With `in_flight`, each attempt calls `begin` after pacing and before its request, and
        `retry_later` before a retry's wait; what they raise is raised here.
        """

        async def attempt() -> str:
            await self._limiter.acquire(tenant_id, conversation_id)
            if in_flight is not None:
                try:
                    await in_flight.begin()
                except Exception as error:
                    raise _NotSent(error) from error
            try:
                async with asyncio.timeout(self._timeout):
                    return await self._transport.send(reference, card)
            except TimeoutError:
                raise SendTimeout(self._timeout) from None

        async def before_retry(error: BaseException, delay: float) -> None:
            if in_flight is not None:
                result = SendResult(SendStatus.FAILED, describe(error), retry_after_of(error))
                try:
                    await in_flight.retry_later(result, delay)
                except Exception as failure:
                    raise _NotSent(failure) from failure

        try:
            activity_id = await retrying(
                attempt,
                self._policy,
                what=f"send to conversation {conversation_id}",
                sleep=self._sleep,
                transient=_retry_now,
                before_retry=before_retry,
            )
        except _NotSent as error:  # the caller's own bookkeeping failed: its problem, not Teams'
            raise error.cause from None
        except Exception as error:  # each recipient on its own: log, classify, go on
            status = classify(error)
            if status_of(error) is None and not isinstance(error, SendTimeout):
                logger.warning("sending to conversation %s failed: %r", conversation_id, error)
            retry_after = retry_after_of(error) if status == SendStatus.FAILED else None
            return SendResult(status, describe(error), retry_after)
        return SendResult(SendStatus.SENT, activity_id=activity_id)


class _NotSent(Exception):
    """The caller's `InFlight` bookkeeping failed: not a connector problem, never retried."""

    def __init__(self, cause: Exception) -> None:
        super().__init__(str(cause))
        self.cause = cause
