"""The store the app runs on: TinyDB in DATA_DIR (one process), or PostgreSQL at DATABASE_URL.

Both offer the same ports (`engagement.ports`, the export download shelf); `AppStore` holds them
with the few life-cycle steps that differ: PostgreSQL connects and migrates when the app starts
and raises `DatabaseUnavailable` (naming DATABASE_URL) when it cannot.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.downloads import MemoryShelf
from bot.settings import Settings
from engagement.clock import Clock
from engagement.ports import (
    ConversationReferences,
    CustomerImportWriter,
    CustomerRepository,
    CustomerSummaries,
    DownloadShelf,
    ReadinessStore,
    ReminderStore,
    StateStorage,
)
from engagement.reminders import ReminderPolicy
from store import Store, open_store
from store.pg import PostgresStore


@dataclass
class AppStore:
    """The ports of one backend, and its life cycle.

    Attributes:
        backend: The TinyDB `Store` or the `PostgresStore` behind the ports (for tools, tests).
    """

    customers: CustomerRepository
    references: ConversationReferences
    state_storage: StateStorage
    reminders: ReminderStore
    customer_import: CustomerImportWriter
    downloads: DownloadShelf
    readiness: ReadinessStore
    backend: Store | PostgresStore

    @property
    def summaries(self) -> CustomerSummaries:
        """The all-customers views, kept current on every customer save by the backend
        (store/summaries.py, store/pg/summaries.py)."""
        return self.backend.summaries

    async def start(self) -> None:
        """Connect and migrate (PostgreSQL; raises DatabaseUnavailable); nothing for TinyDB."""
        if isinstance(self.backend, PostgresStore):
            await self.backend.start()

    async def healthy(self) -> bool:
        """True while the store is usable."""
        if isinstance(self.backend, PostgresStore):
            return await self.backend.healthy()
        return self.backend.healthy()

    async def prepare_reminders(self, policy: ReminderPolicy, now: datetime) -> None:
        """Index customers stored before reminders existed (TinyDB only: PostgreSQL indexes
        every customer as it is written)."""
        if isinstance(self.backend, Store):
            await self.backend.reminders.build_index(
                self.backend.data_dir / "customers", policy, now
            )

    async def close(self) -> None:
        """Close the store (idempotent)."""
        if isinstance(self.backend, PostgresStore):
            await self.backend.close()
        else:
            self.backend.close()


def open_app_store(settings: Settings, clock: Clock) -> AppStore:
    """PostgreSQL when DATABASE_URL is set, else the TinyDB store in DATA_DIR (opened now).

    `clock` is the time the customer summaries compute health for.
    """
    if settings.database_url:
        pg = PostgresStore(
            settings.database_url,
            settings.database_pool_size,
            clock,
            lease=timedelta(seconds=settings.reminder_lease_seconds),
        )
        return AppStore(
            pg.customers,
            pg.references,
            pg.state_storage,
            pg.reminders,
            pg.customer_import,
            pg.downloads,
            pg.readiness,
            pg,
        )
    tiny = open_store(settings.data_dir, clock=clock, sync_worker=settings.store_sync_worker)
    return AppStore(
        tiny.customers,
        tiny.references,
        tiny.state_storage,
        tiny.reminders,
        tiny.customer_import,
        MemoryShelf(),
        tiny.readiness,
        tiny,
    )
