"""TinyConversationReferences: one file per conversation reference, for proactive messages."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from functools import partial
from typing import Any

from tinydb import Query
from tinydb.queries import QueryInstance

from store.recent import Recent
from store.shards import ShardSet

logger = logging.getLogger(__name__)

REMEMBERED_CONVERSATIONS = 10_000


def _matches(tenant_id: str, conversation_id: str) -> QueryInstance:
    record = Query()
    condition: QueryInstance = (record.tenant_id == tenant_id) & (
        record.conversation_id == conversation_id
    )
    return condition


class TinyConversationReferences:
    """Serialized conversation references in `<root>/<tenant digest>/<conversation digest>.json`.

    Implements `engagement.ports.ConversationReferences`. A reference marked stale (Teams said
    the bot is gone) is kept on disk but reads as None until `put` refreshes it.

    Args:
        shards: Where the reference shards live.
    """

    def __init__(self, shards: ShardSet) -> None:
        self._shards = shards
        # The document on disk, for conversations put recently: `put` runs on every turn.
        self._written: Recent[tuple[str, str], dict[str, Any]] = Recent(REMEMBERED_CONVERSATIONS)

    async def put(self, tenant_id: str, conversation_id: str, reference: dict[str, Any]) -> None:
        """Insert or refresh a reference (clears a stale mark); no write when it is unchanged."""
        document = {
            "tenant_id": tenant_id,
            "conversation_id": conversation_id,
            "reference": reference,
            "stale": False,
        }
        key = (tenant_id, conversation_id)
        if self._written.get(key) == document:
            return
        table = self._shards.table(conversation_id, scope=tenant_id)
        condition = _matches(tenant_id, conversation_id)
        if table.get(condition) != document:
            self._written.discard(key)
            table.upsert(document, condition)
        self._written.put(key, document)

    async def get(self, tenant_id: str, conversation_id: str) -> dict[str, Any] | None:
        """The reference, or None when unknown or stale."""
        table = self._shards.table(conversation_id, scope=tenant_id)
        document = table.get(_matches(tenant_id, conversation_id))
        if document is None or document.get("stale", False):
            return None
        reference: dict[str, Any] = document["reference"]
        return reference

    async def mark_stale(self, tenant_id: str, conversation_id: str) -> None:
        """Stop using the reference of a conversation the bot was removed from."""
        self._written.discard((tenant_id, conversation_id))
        table = self._shards.table(conversation_id, scope=tenant_id)
        updated = table.update({"stale": True}, _matches(tenant_id, conversation_id))
        if not updated:
            logger.debug("no reference to mark stale for a conversation of tenant %s", tenant_id)

    async def all_active(self, tenant_id: str) -> list[dict[str, Any]]:
        """Every reference of one tenant that is not stale (reads only that tenant's files)."""
        return await self._shards.scan(tenant_id, partial(_active_references, tenant_id))


def _active_references(
    tenant_id: str, documents: Iterable[Mapping[str, Any]]
) -> list[dict[str, Any]]:
    return [
        document["reference"]
        for document in documents
        if document.get("tenant_id") == tenant_id and not document.get("stale", False)
    ]
