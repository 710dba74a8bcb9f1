"""The wired app: sweeps run in the background, reminders reach the personal chat, the buttons and
commands work over /api/messages."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
from aiohttp.test_utils import TestClient, TestServer

from bot.app import create_app
from bot.settings import Settings
from engagement.clock import FixedClock
from engagement.models import Person
from store import open_store
from tests.support.cards import submit_data
from tests.support.connector import FakeConnector, Sent
from tests.support.conversation import Conversation
from tests.support.reminders import customer, reference

TENANT = "tenant-a"
ADA = Person(id="aad-ada", name="Ada Lovelace")  # the user of tests.support.conversation


@pytest.fixture
async def app_client(
    settings: Settings, clock: FixedClock, connector: FakeConnector
) -> AsyncIterator[TestClient]:
    """The app over a store where Ada owns a customer whose check-in is due, and has talked to
    the bot in her personal chat before."""
    with open_store(settings.data_dir) as store:
        made = customer("contoso", created=clock.now() - timedelta(days=20), owner=ADA)
        await store.customers.add(made.model_copy(update={"tenant_id": TENANT}))
        chat = "a:personal-ada"
        await store.references.put(TENANT, chat, reference(connector.url, chat, ADA))
        await store.reminders.remember_user_conversation(TENANT, ADA.id, chat, is_personal=True)
    async with TestClient(TestServer(create_app(settings, clock=clock))) as client:
        yield client


async def test_a_due_reminder_arrives_and_its_buttons_work(
    app_client: TestClient, connector: FakeConnector
) -> None:
    arrived = asyncio.Event()

    async def on_accept(sent: Sent) -> None:
        arrived.set()

    connector.on_accept = on_accept
    if not connector.messages():
        async with asyncio.timeout(10):
            await arrived.wait()  # the first sweep runs when the app starts
    (reminder,) = connector.messages("a:personal-ada")
    card = reminder.cards[0]
    chat = Conversation(app_client, connector, conversation_id="a:personal-ada")
    replies = await chat.submit(submit_data(card, "Snooze 1 day"))
    assert replies[0].text == "Snoozed: I'll remind you about Contoso again on Tue 3 Nov 2026."
    replies = await chat.submit(submit_data(card, "Log touch"))
    assert replies[0].text.startswith("Logged a touch with Contoso.")
    replies = await chat.say("reminders")
    assert replies[0].cards
    replies = await chat.say("renewal Contoso 2027-06-30")
    assert replies[0].text.startswith("Renewal of Contoso set to Wed 30 Jun 2027.")
    replies = await chat.say("licenses Contoso 500 320")
    assert replies[0].text.startswith("Azure licenses of Contoso: 500 licensed, 320 active")
    replies = await chat.say("pause reminders until 2026-12-01")
    assert replies[0].text.startswith("Reminders paused")
    replies = await chat.say("digest on")
    assert replies[0].text.startswith("Digest on")
