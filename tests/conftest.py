"""Shared fixtures: clean environment, fixed clock, the app over a temp store, fake connector."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from aiohttp.test_utils import TestClient, TestServer

from bot.app import create_app
from bot.settings import Settings
from engagement.clock import FixedClock
from store.pg import PostgresStore
from tests.support.connector import FakeConnector, start_fake_connector
from tests.support.conversation import Conversation
from tests.support.postgres import create_test_database, started_pg_store
from tests.support.reminders import Rig, build_rig

SETTING_NAMES = (
    "MicrosoftAppId",
    "MicrosoftAppPassword",
    "MicrosoftAppType",
    "MicrosoftAppTenantId",
    "HOST",
    "PORT",
    "DATA_DIR",
    "STORE_SYNC_WORKER",
    "CATALOG_DIR",
    "LOG_LEVEL",
    "MAX_BODY_BYTES",
    "PUBLIC_BASE_URL",
    "REMINDERS_ENABLED",
    "REMINDER_SWEEP_SECONDS",
    "REMINDER_CHECK_IN_DAYS",
    "REMINDER_RENEWAL_DAYS",
    "REMINDER_STALL_DAYS",
    "REMINDER_FOLLOW_UP_DAYS",
    "REMINDER_WORKDAY_START",
    "REMINDER_WORKDAY_END",
    "REMINDER_WEEKENDS",
    "REMINDER_TIME_ZONE",
    "REMINDER_SENDS_PER_SECOND",
    "REMINDER_TENANT_SENDS_PER_SECOND",
    "DATABASE_URL",
    "DATABASE_POOL_SIZE",
)


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """No test sees the developer's settings."""
    for name in list(os.environ):
        if name in SETTING_NAMES or name.upper() in {n.upper() for n in SETTING_NAMES}:
            monkeypatch.delenv(name)
    return


@pytest.fixture
def clock() -> FixedClock:
    """A fixed, injectable clock."""
    return FixedClock(datetime(2026, 11, 2, 9, 30, tzinfo=UTC))


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Local-mode settings over a temporary data directory."""
    return Settings(_env_file=None, DATA_DIR=tmp_path / "data")  # type: ignore[call-arg]


@pytest.fixture
async def connector() -> AsyncIterator[FakeConnector]:
    """A local stand-in for the Teams connector service that records what the bot sends."""
    fake, server = await start_fake_connector()
    try:
        yield fake
    finally:
        await server.close()


@pytest.fixture
async def client(settings: Settings, clock: FixedClock) -> AsyncIterator[TestClient]:
    """The real app (create_app) behind aiohttp's test server."""
    app = create_app(settings, clock=clock)
    async with TestClient(TestServer(app)) as test_client:
        yield test_client


@pytest.fixture
def personal(client: TestClient, connector: FakeConnector) -> Conversation:
    """A personal chat of user `ada` in tenant `tenant-a`."""
    return Conversation(client, connector, conversation_id="a:personal-ada", user_id="ada")


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A migrated database of this test session on the test server (see tests/support/postgres)."""
    yield from create_test_database()


@pytest.fixture
async def pg_store(postgres_url: str) -> AsyncIterator[PostgresStore]:
    """A started PostgreSQL store over empty tables, closed after the test."""
    async with started_pg_store(postgres_url) as store:
        yield store


@pytest.fixture
async def rig(tmp_path: Path, connector: FakeConnector) -> AsyncIterator[Rig]:
    """A reminder sweeper with the app's adapter, over a fresh data directory, sending to the
    fake connector."""
    built = build_rig(tmp_path / "data", connector)
    try:
        yield built
    finally:
        await built.close()
