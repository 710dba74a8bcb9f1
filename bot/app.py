"""The composition root: settings -> store -> catalog -> dialogs -> bot -> aiohttp application."""

from __future__ import annotations

import gc
import logging
from collections.abc import AsyncIterator

from aiohttp import web

from bot.adapter import build_adapter
from bot.downloads import Downloads, downloads_handler
from bot.exchange import Exchange
from bot.language import Languages
from bot.locks import ConversationLocks, SharedLocks, TurnLocks
from bot.outbound.pacing import RateLimiter
from bot.outbound.sending import AdapterTransport, ReminderSender
from bot.private import PrivateChats
from bot.reminder_sweep import ReminderSweeper
from bot.scheduler import reminder_sweeps
from bot.settings import Settings
from bot.state import LeanConversationState
from bot.stores import AppStore, open_app_store
from bot.teams_bot import TeamsBot
from bot.web import health_handler, messages_handler
from catalog import load_catalog, load_readiness
from dialogs.account.brief import Briefs
from dialogs.common.services import DialogServices
from dialogs.readiness.readiness import Readiness
from dialogs.reminders.reminder_commands import ReminderServices
from engagement.clock import Clock, SystemClock
from engagement.reminder_index import SchedulingCustomerRepository
from store.pg import PostgresStore

logger = logging.getLogger(__name__)

STORE_KEY = web.AppKey("store", AppStore)


# Net new containers before a young collection (Python's default: 700). 10,000 runs it about a
# tenth as often; the cyclic garbage it may hold meanwhile is a couple of megabytes at most.
YOUNG_COLLECTION_THRESHOLD = 10_000


def create_app(settings: Settings, *, clock: Clock | None = None) -> web.Application:
    """Build the whole bot for `settings`; nothing is created at import time.

    Raises CatalogError when the catalog files are invalid (start-up must stop then).
    """
    catalog = load_catalog(settings.catalog_dir)
    readiness_checklist = load_readiness(settings.catalog_dir)
    clock = clock or SystemClock()
    store = open_app_store(settings, clock)
    policy = settings.reminder_policy
    # Every customer save keeps the reminder index current (moves it earlier, never later).
    customers = SchedulingCustomerRepository(store.customers, store.reminders, policy, clock)
    conversation_state = LeanConversationState(store.state_storage)
    services = DialogServices(
        customers=customers,
        loaded_catalog=catalog,
        clock=clock,
        summaries=store.summaries,
    )
    downloads = Downloads(clock, store.downloads)
    exchange = Exchange(
        services,
        downloads,
        settings.base_url,
        store.customer_import,
        local_mode=not settings.auth_enabled,
        links_work=settings.export_links_work,
    )
    locks = _turn_locks(store)  # one turn at a time per conversation
    bot = TeamsBot(
        services,
        conversation_state,
        store.references,
        PrivateChats(settings.app_id, locks),
        ReminderServices(customers, store.reminders, policy, clock, store.summaries),
        exchange,
        Readiness(readiness_checklist, store.readiness, clock),
        Briefs(services, policy),
    )
    adapter = build_adapter(settings, conversation_state, Languages(store.reminders).stored)

    app = web.Application(client_max_size=settings.max_body_bytes)
    app[STORE_KEY] = store

    async def store_context(_: web.Application) -> AsyncIterator[None]:
        # Before the sweeps' context (started after it, stopped before it): PostgreSQL connects
        # and migrates here, and DatabaseUnavailable stops the start-up.
        await store.start()
        yield
        await adapter.close()
        await store.close()
        logger.info("Store closed")

    app.cleanup_ctx.append(store_context)
    app.router.add_post(
        "/api/messages",
        messages_handler(adapter, bot, locks, local_mode=not settings.auth_enabled),
    )
    app.router.add_get("/healthz", health_handler(store))
    app.router.add_get("/exports/{token}", downloads_handler(downloads))
    if settings.reminders_enabled:
        sender = ReminderSender(
            AdapterTransport(adapter, settings.app_id),
            RateLimiter(
                settings.reminder_sends_per_second, settings.reminder_tenant_sends_per_second
            ),
        )
        sweeper = ReminderSweeper(
            customers=customers,
            reminders=store.reminders,
            references=store.references,
            sender=sender,
            policy=policy,
            batch=settings.reminder_claim_batch,
            uncertain_sends=settings.outbound_uncertain_sends,
            wait=False,  # sweeps plan and queue; deliveries run on (see bot/reminder_sweep.py)
        )

        async def build_index() -> None:  # once, for customers stored before reminders existed
            await store.prepare_reminders(policy, clock.now())

        # cleanup_ctx stops the sweeps before it closes the store.
        app.cleanup_ctx.append(
            reminder_sweeps(
                sweeper,
                interval=settings.reminder_sweep_seconds,
                clock=clock,
                before_first=build_index,
                drain=sweeper.drain,
            )
        )

    async def freeze_start_up_objects(_: web.Application) -> None:
        # Everything built so far lives as long as the process: keep the collector from
        # re-scanning it on every full collection (shorter pauses at the tail of turn latency).
        gc.collect()
        gc.freeze()
        # A turn allocates thousands of short-lived containers: at Python's default of 700
        # young collections ran several times per turn (3 % of an assess turn's instructions).
        middle, full = gc.get_threshold()[1:]
        gc.set_threshold(YOUNG_COLLECTION_THRESHOLD, middle, full)

    app.on_startup.append(freeze_start_up_objects)

    return app


def _turn_locks(store: AppStore) -> TurnLocks:
    """One turn per conversation: in this process, and across replicas on PostgreSQL."""
    if isinstance(store.backend, PostgresStore):
        return SharedLocks(store.backend.turn_locks)
    return ConversationLocks()
