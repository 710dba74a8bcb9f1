"""Many conversations at once: no cross-talk between them and no lost updates on one customer."""

from __future__ import annotations

import asyncio

from aiohttp.test_utils import TestClient

from bot.app import STORE_KEY
from catalog import load_catalog
from tests.support.cards import submit_actions, submit_data, texts
from tests.support.connector import FakeConnector
from tests.support.conversation import Conversation
from tests.support.quick_check import answer_quick_check

QUESTIONS = load_catalog().questionnaire.questions
LEVELS = ["Cloud affine", "Cloud is an option", "Cloud is a solution", "Cloud is in use"]


async def _assess(conversation: Conversation, customer: str, pick: int) -> str:
    replies = await conversation.say(f"assess {customer}")
    replies = await conversation.submit(submit_data(replies[0].cards[0], "Yes"))
    for _ in QUESTIONS:
        buttons = [
            d for _, d in submit_actions(replies[-1].cards[0]) if d.get("action") == "choose"
        ]
        replies = await conversation.submit(buttons[pick])
    return texts(replies[-1].cards[0])


async def test_100_conversations_assess_at_once_without_cross_talk(
    client: TestClient, connector: FakeConnector
) -> None:
    conversations = [Conversation(client, connector, f"a:concurrent-{n}") for n in range(100)]
    results = await asyncio.gather(
        *(_assess(c, f"Customer {n:03d}", n % 4) for n, c in enumerate(conversations))
    )
    for n, result in enumerate(results):
        assert f"Customer {n:03d}" in result
        assert LEVELS[n % 4] in result
    for n, conversation in enumerate(conversations):
        for message in connector.messages(conversation.conversation_id):
            for other in (n - 1, n + 1):
                assert f"Customer {other:03d}" not in str(message.body)
    customers = await client.server.app[STORE_KEY].customers.list("tenant-a")
    assert len(customers) == 100


async def test_20_concurrent_quick_checks_on_one_customer_lose_no_update(
    client: TestClient, connector: FakeConnector
) -> None:
    store = client.server.app[STORE_KEY]
    starter = Conversation(client, connector, "a:starter")
    await _assess(starter, "Shared Co", 0)
    before = await store.customers.get("tenant-a", "shared-co")
    assert before is not None

    async def quick_check(n: int) -> None:
        conversation = Conversation(client, connector, f"a:submitter-{n}", user_id=f"user{n}")
        await answer_quick_check(conversation, "Shared Co", n)

    await asyncio.gather(*(quick_check(n) for n in range(20)))
    after = await store.customers.get("tenant-a", "shared-co")
    assert after is not None
    assert after.version == before.version + 20  # every save applied once, none overwritten
    assert after.current.assessment is not None
    assert after.current.assessment.by.id == "aad-ada"  # quick checks never replace a full one
    kept = after.current.set_aside  # ... they are kept beside it (the newest ten)
    assert len(kept) == 10
    assert {a.by.id for a in kept} <= {f"aad-user{n}" for n in range(20)}
