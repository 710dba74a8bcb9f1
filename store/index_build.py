"""The reminder index's entries for every stored customer: the first start with reminders."""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime
from pathlib import Path
from typing import Any

import orjson
from pydantic import ValidationError

from engagement.models import Customer
from engagement.reminder_index import index_time
from engagement.reminder_records import IndexEntry
from engagement.reminders import ReminderPolicy
from store.shards import read_files, shard_names

logger = logging.getLogger(__name__)


def _customer_files(customers_dir: Path) -> list[str] | None:
    """Every customer file under `customers_dir`; None when there is no such directory."""
    if not customers_dir.is_dir():
        return None
    tenant_dirs = sorted(p for p in customers_dir.iterdir() if p.is_dir())
    return [str(tenant / name) for tenant in tenant_dirs for name in shard_names(tenant)]


async def index_entries(
    customers_dir: Path, policy: ReminderPolicy, now: datetime
) -> list[IndexEntry] | None:
    """Index entries of every stored customer; None when there is no customer directory.

    The files are listed and read in a worker thread (`read_files`), decoded one at a time in
    slices on the event loop, each customer dropped once its entry is known: 10,000 customers
    decoded at once in a thread stalled other turns for the collector's passes over them.
    """
    files = await asyncio.to_thread(_customer_files, customers_dir)
    if files is None:
        return None
    entries: list[IndexEntry] = []
    async for _path, data in read_files(files):
        for document in _documents(data):
            try:
                customer = Customer.model_validate(document)
            except ValidationError:
                logger.warning("skipping an unreadable customer file while indexing reminders")
                continue
            when = index_time(customer, {}, now, policy)
            if when is not None:
                entries.append(IndexEntry(customer.tenant_id, customer.id, when))
    return entries


def _documents(data: bytes) -> list[dict[str, Any]]:
    try:
        content = orjson.loads(data) if data else None
    except orjson.JSONDecodeError:
        logger.warning("skipping an unreadable customer file while indexing reminders")
        return []
    table = content.get("_default") if isinstance(content, dict) else None
    values = table.values() if isinstance(table, dict) else ()
    return [document for document in values if isinstance(document, dict)]
