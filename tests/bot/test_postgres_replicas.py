"""Three app instances on one PostgreSQL database, as replicas behind a load balancer."""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack
from pathlib import Path

import pytest
from aiohttp.test_utils import TestClient, TestServer

from bot.adapter import APOLOGY
from bot.app import STORE_KEY, create_app
from bot.settings import Settings
from catalog import load_catalog
from engagement.clock import FixedClock
from tests.bot.test_concurrency import _assess
from tests.support.cards import submit_actions, submit_data, texts
from tests.support.connector import FakeConnector
from tests.support.conversation import Conversation
from tests.support.postgres import empty_tables
from tests.support.quick_check import answer_quick_check

QUESTIONS = load_catalog().questionnaire.questions
LINK = re.compile(r"\]\((http://[^)]+/exports/[^)]+)\)")


@pytest.fixture
async def replicas(
    postgres_url: str, tmp_path: Path, clock: FixedClock
) -> AsyncIterator[list[TestClient]]:
    """Three apps over one empty database (no reminder sweeps)."""
    empty_tables(postgres_url)
    async with AsyncExitStack() as stack:
        clients = []
        for number in range(3):
            settings = Settings(  # type: ignore[call-arg]
                _env_file=None,
                DATA_DIR=tmp_path / f"unused-{number}",
                DATABASE_URL=postgres_url,
                DATABASE_POOL_SIZE=4,
                REMINDERS_ENABLED=False,
            )
            app = create_app(settings, clock=clock)
            clients.append(await stack.enter_async_context(TestClient(TestServer(app))))
        yield clients


async def test_every_replica_is_healthy_and_uses_no_data_directory(
    replicas: list[TestClient], tmp_path: Path
) -> None:
    for client in replicas:
        response = await client.get("/healthz")
        assert (response.status, await response.json()) == (200, {"status": "ok", "store": True})
    assert not await asyncio.to_thread(lambda: list(tmp_path.glob("unused-*")))


async def test_a_conversation_whose_turns_alternate_between_replicas(
    replicas: list[TestClient], connector: FakeConnector
) -> None:
    personal = Conversation(replicas[0], connector, "a:personal-ada")
    replies = await personal.say("assess Contoso")
    personal.client = replicas[1]
    replies = await personal.submit(submit_data(replies[0].cards[0], "Yes"))
    card = replies[0].cards[0]
    for number in range(1, len(QUESTIONS) + 1):
        assert f"Question {number} of {len(QUESTIONS)}" in texts(card)
        personal.client = replicas[(number + 1) % 3]
        buttons = [data for _, data in submit_actions(card) if data.get("action") == "choose"]
        card = (await personal.submit(buttons[-1]))[-1].cards[0]

    assert "Cloud is in use" in texts(card)
    stored = await replicas[2].server.app[STORE_KEY].customers.get("tenant-a", "contoso")
    assert stored is not None
    assert stored.current.assessment is not None


async def test_two_turns_of_one_conversation_on_two_replicas_at_once(
    replicas: list[TestClient], connector: FakeConnector
) -> None:
    """Serialised by the database lock: neither turn fails on the other's state write."""
    on_a = Conversation(replicas[0], connector, "a:personal-ada")
    on_b = Conversation(replicas[1], connector, "a:personal-ada")
    replies = await on_a.say("assess Contoso")
    card = (await on_b.submit(submit_data(replies[0].cards[0], "Yes")))[0].cards[0]
    first = next(data for _, data in submit_actions(card) if data.get("action") == "choose")

    answers = await asyncio.gather(on_a.submit(first), on_b.submit(first))

    sent = [message for replies in answers for message in replies]
    assert not any(APOLOGY in str(message.body) for message in sent)  # no turn failed
    cards = [card for message in sent for card in message.cards]
    question = next(card for card in cards if f"Question 2 of {len(QUESTIONS)}" in texts(card))
    second = next(d for _, d in submit_actions(question) if d.get("action") == "choose")
    replies = await on_a.submit(second)  # the dialog moved exactly one step, and goes on
    assert f"Question 3 of {len(QUESTIONS)}" in texts(replies[-1].cards[0])


async def test_racing_quick_checks_on_one_customer_across_replicas_lose_no_update(
    replicas: list[TestClient], connector: FakeConnector
) -> None:
    await _assess(Conversation(replicas[0], connector, "a:starter"), "Shared Co", 0)
    customers = replicas[0].server.app[STORE_KEY].customers
    before = await customers.get("tenant-a", "shared-co")
    assert before is not None

    async def quick_check(n: int) -> None:
        client = replicas[n % 3]  # each replica gets every third submit
        conversation = Conversation(client, connector, f"a:submitter-{n}", user_id=f"user{n}")
        await answer_quick_check(conversation, "Shared Co", n)

    await asyncio.gather(*(quick_check(n) for n in range(9)))

    after = await customers.get("tenant-a", "shared-co")
    assert after is not None
    assert after.version == before.version + 9  # every save applied once, none overwritten


async def test_an_export_link_made_on_one_replica_works_once_on_another(
    replicas: list[TestClient], connector: FakeConnector
) -> None:
    await _assess(Conversation(replicas[0], connector, "a:starter"), "Contoso", 1)
    personal = Conversation(replicas[0], connector, "a:personal-ada")

    replies = await personal.say("export")

    path = LINK.findall(replies[0].text)[0].split("/exports/", 1)[1]
    response = await replicas[1].get(f"/exports/{path}")
    assert response.status == 200
    assert [c["id"] for c in json.loads(await response.text())["customers"]] == ["contoso"]
    assert (await replicas[2].get(f"/exports/{path}")).status == 404
    assert (await replicas[0].get(f"/exports/{path}")).status == 404
