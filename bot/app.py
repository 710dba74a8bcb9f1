"""The composition root: settings -> store -> catalog -> dialogs -> bot -> aiohttp application."""

from __future__ import annotations

import logging

from aiohttp import web

from bot.adapter import build_adapter
from bot.locks import ConversationLocks
from bot.private import PrivateChats
from bot.settings import Settings
from bot.state import LeanConversationState
from bot.teams_bot import TeamsBot
from bot.web import health_handler, messages_handler
from catalog import load_catalog
from dialogs.services import DialogServices
from engagement.clock import Clock, SystemClock
from store import Store, open_store

logger = logging.getLogger(__name__)

STORE_KEY = web.AppKey("store", Store)


def create_app(settings: Settings, *, clock: Clock | None = None) -> web.Application:
    """Build the whole bot for `settings`; nothing is created at import time.

    Raises CatalogError when the catalog files are invalid (start-up must stop then).
    """
    catalog = load_catalog(settings.catalog_dir)
    store = open_store(settings.data_dir)
    conversation_state = LeanConversationState(store.bot_storage)
    services = DialogServices(
        customers=store.customers, catalog=catalog, clock=clock or SystemClock()
    )
    private_chats = PrivateChats(settings.app_id)
    bot = TeamsBot(services, conversation_state, store.references, private_chats.send)
    adapter = build_adapter(settings, conversation_state)

    app = web.Application(client_max_size=settings.max_body_bytes)
    app[STORE_KEY] = store
    app.router.add_post(
        "/api/messages",
        messages_handler(adapter, bot, ConversationLocks(), local_mode=not settings.auth_enabled),
    )
    app.router.add_get("/healthz", health_handler(store))

    async def close_store(_: web.Application) -> None:
        await adapter.close()
        store.close()
        logger.info("Store closed")

    app.on_cleanup.append(close_store)
    return app
