"""Three bot processes (`python app.py`, PORT and DATABASE_URL each) on one PostgreSQL database,
as replicas behind a load balancer: real processes, real sockets, one killed with SIGKILL.

`tests/bot/test_postgres_replicas.py` runs three apps in one process; here nothing is shared
but the database. The 1,000-reminder run is `python -m bench.replicas` (bench/README.md).
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from bench.replicas import Replica, replica_env, run
from store.pg import PostgresStore
from tests.bot.test_concurrency import _assess
from tests.support.cards import submit_actions, submit_data, texts
from tests.support.connector import FakeConnector
from tests.support.conversation import Conversation
from tests.support.postgres import empty_tables
from tests.support.quick_check import answer_quick_check

QUESTIONS = 10


class ProcessClient:
    """What `Conversation` needs of a client, over HTTP to a replica process."""

    def __init__(self, session: aiohttp.ClientSession, replica: Replica) -> None:
        self._session = session
        self._base = replica.url

    async def post(self, path: str, json: Any) -> aiohttp.ClientResponse:
        return await self._session.post(self._base + path, json=json)


@pytest.fixture
async def clients(postgres_url: str, tmp_path: Path) -> AsyncIterator[list[ProcessClient]]:
    """Three replica processes without reminder sweeps, and a client for each."""
    empty_tables(postgres_url)
    env = replica_env(postgres_url, lease=6, rate=20) | {"REMINDERS_ENABLED": "false"}
    replicas = [Replica(env, tmp_path / f"replica-{n}.log") for n in range(3)]
    try:
        await asyncio.gather(*(replica.start() for replica in replicas))
        async with aiohttp.ClientSession() as session:
            await asyncio.gather(*(replica.healthy(session) for replica in replicas))
            yield [ProcessClient(session, replica) for replica in replicas]
    finally:
        await asyncio.gather(*(replica.stop() for replica in replicas))


async def test_turns_alternate_and_submits_race_across_three_processes(
    clients: list[ProcessClient], connector: FakeConnector, postgres_url: str
) -> None:
    personal = Conversation(clients[0], connector, "a:personal-ada")  # type: ignore[arg-type]
    replies = await personal.say("assess Contoso")
    personal.client = clients[1]  # type: ignore[assignment]
    card = (await personal.submit(submit_data(replies[0].cards[0], "Yes")))[0].cards[0]
    for number in range(1, QUESTIONS + 1):
        assert f"Question {number} of {QUESTIONS}" in texts(card)
        personal.client = clients[(number + 1) % 3]  # type: ignore[assignment]
        buttons = [data for _, data in submit_actions(card) if data.get("action") == "choose"]
        card = (await personal.submit(buttons[-1]))[-1].cards[0]
    assert "Cloud is in use" in texts(card)

    starter = Conversation(clients[2], connector, "a:starter")  # type: ignore[arg-type]
    await _assess(starter, "Shared Co", 0)

    async def quick_check(n: int) -> None:
        conversation = Conversation(
            clients[n % 3],  # type: ignore[arg-type]
            connector,
            f"a:submitter-{n}",
            user_id=f"user{n}",
        )
        await answer_quick_check(conversation, "Shared Co", n)

    store = PostgresStore(postgres_url, 2)
    await store.start()
    try:
        before = await store.customers.get("tenant-a", "shared-co")
        assert before is not None
        await asyncio.gather(*(quick_check(n) for n in range(9)))
        after = await store.customers.get("tenant-a", "shared-co")
        contoso = await store.customers.get("tenant-a", "contoso")
    finally:
        await store.close()
    assert after is not None
    assert after.version == before.version + 9  # every racing save applied once, none lost
    assert contoso is not None
    assert contoso.current.assessment is not None


async def test_due_reminders_are_delivered_once_when_a_process_is_killed_mid_sweep(
    postgres_url: str, tmp_path: Path
) -> None:
    """150 reminders, 3 processes; one SIGKILLed while it holds claims and has sends in flight:
    the others deliver its customers after the lease, each reminder exactly once."""
    outcome = await run(
        postgres_url,
        reminders=150,
        lease=6,
        rate=20,
        kill_share=0.1,
        settle=1,
        within=120,
        logs=tmp_path,
    )

    assert outcome.deliveries == Counter({1: 150})
    assert outcome.killed_in_flight >= 1  # it died mid-sweep: claims held, sends in flight
    assert all(sent for sent in outcome.per_replica[1:])
