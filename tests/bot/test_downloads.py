"""One-time download links: single use, expiry, and a bound on what is kept."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.downloads import MAX_PENDING, TIME_TO_LIVE, Downloads
from engagement.clock import FixedClock

NOW = datetime(2026, 11, 2, 9, 30, tzinfo=UTC)


async def test_a_link_works_once() -> None:
    downloads = Downloads(FixedClock(NOW))
    token = await downloads.offer("export.json", "application/json", "{}")
    first = await downloads.take(token)
    assert first is not None
    assert (first.name, first.body) == ("export.json", b"{}")
    assert await downloads.take(token) is None


async def test_a_link_expires() -> None:
    clock = FixedClock(NOW)
    downloads = Downloads(clock)
    token = await downloads.offer("export.json", "application/json", "{}")
    clock.set(NOW + TIME_TO_LIVE + timedelta(seconds=1))
    assert await downloads.take(token) is None


async def test_the_oldest_offers_make_room() -> None:
    downloads = Downloads(FixedClock(NOW))
    tokens = [
        await downloads.offer(f"{n}.json", "application/json", "{}") for n in range(MAX_PENDING + 1)
    ]
    assert await downloads.take(tokens[0]) is None
    assert await downloads.take(tokens[-1]) is not None
    assert await downloads.take(tokens[1]) is not None
