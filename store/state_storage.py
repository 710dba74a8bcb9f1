"""TinyStateStorage: conversation state (`engagement.ports.StateStorage`) over one file per key.

botbuilder's ConversationState reads and writes it through `bot.state.SdkStorage`; nothing here
imports botbuilder."""

from __future__ import annotations

import copy
import logging
import uuid
from collections.abc import Mapping
from typing import Any

from tinydb import Query
from tinydb.queries import QueryInstance
from tinydb.table import Document, Table

from store.shards import ShardSet
from store.state_codec import decode_state, encode_state

logger = logging.getLogger(__name__)

_WILDCARD = "*"


def _matches(key: str) -> QueryInstance:
    condition: QueryInstance = Query().key == key
    return condition


def _find(documents: list[Document], key: str) -> Document | None:
    """The document of `key` among a shard's documents (usually the only one)."""
    for document in documents:
        if document.get("key") == key:
            return document
    return None


def _e_tag_of(item: Any) -> Any:
    if isinstance(item, dict):
        return item.get("e_tag")
    return getattr(item, "e_tag", None)


def _without_e_tag(item: Any) -> Any:
    """The item as encoded: its e_tag lives beside the encoded text, not inside it."""
    if isinstance(item, dict):
        return {key: value for key, value in item.items() if key != "e_tag"}
    if getattr(item, "e_tag", None) is None:
        return item
    untagged = copy.copy(item)
    untagged.e_tag = None
    return untagged


def _set_e_tag(item: Any, e_tag: str) -> None:
    if isinstance(item, dict):
        item["e_tag"] = e_tag
        return
    try:
        item.e_tag = e_tag
    except (AttributeError, TypeError):  # an immutable item: the stored copy has the e_tag
        logger.debug("could not copy the new e_tag into a %s", type(item).__name__)


class TinyStateStorage:
    """Bot state in `<root>/<2 hex chars>/<key digest>.json`, one document per storage key.

    Values are flattened with jsonpickle, as botbuilder-azure's BlobStorage does, and the encoded
    JSON text is stored verbatim (jsonpickle's output depends on key order); store/state_codec.py
    produces and reads that text without jsonpickle's generic machinery for plain dialog state.
    The e_tag is kept beside the text, not inside it, so a write whose text equals the stored one
    is skipped (and keeps its e_tag): that comparison is the change check of a turn's state
    (bot/state.py), at the cost of the encoding that a changed state needs anyway.
    The key itself, which may hold any characters, is kept inside the document; file names are
    hashes.

    `e_tag` is honoured as botbuilder's `MemoryStorage` does: an incoming e_tag of None or "*"
    always writes, one that differs from the stored e_tag raises `KeyError("Etag conflict...")`,
    and an empty e_tag raises. Unlike MemoryStorage, every write that changes the stored text
    assigns a fresh e_tag (also the first one), so concurrent writers of one key are detected; a
    write of identical text keeps the e_tag (nothing is lost: the stored state is the same). The
    e_tag is copied back into the written item, so `BotState.save_changes` can save again in the
    same turn. A write checks every key before it changes any.

    The durable file write (two fsyncs) of `write` may run in a worker thread (on a slow disk,
    see store/write_placement.py), so other turns go on meanwhile; the e_tag check and the
    write of one key are not interleaved with another write of that key because the bot runs one
    turn per conversation at a time (bot/locks.py).

    jsonpickle decodes class paths: the data directory must be server-local and not writable by
    users.

    Args:
        shards: Where the state shards live.
    """

    def __init__(self, shards: ShardSet) -> None:
        self._shards = shards

    def _table(self, key: str) -> Table:
        return self._shards.table(key)

    async def read(self, keys: list[str]) -> dict[str, Any]:
        """The stored items of those `keys` that exist; missing keys are left out."""
        items: dict[str, Any] = {}
        for key in keys or []:
            document = _find(self._table(key).all(), key)
            if document is not None:
                item = decode_state(document["state"])
                _set_e_tag(item, document["e_tag"])
                items[key] = item
        return items

    async def write(self, changes: Mapping[str, Any]) -> None:
        """Store each item under its key, honouring e_tags (see the class docstring).

        Raises:
            KeyError: An item's e_tag differs from the stored one (nothing was written).
            Exception: `changes` is None, or an item's e_tag is empty (as MemoryStorage raises).
        """
        if changes is None:
            # The same exception type and wording as MemoryStorage, so callers see no difference.
            raise Exception("Changes are required when writing")
        if not changes:
            return
        tables: dict[str, Table] = {}
        listed: dict[str, list[Document]] = {}  # each shard's documents, read once
        stored_documents: dict[str, Any] = {}
        for key, item in changes.items():
            incoming = _e_tag_of(item)
            if incoming == "":
                raise Exception("TinyStateStorage.write(): etag missing")
            table = self._table(key)
            listed[key] = table.all()
            stored = _find(listed[key], key)
            current = stored.get("e_tag") if stored is not None else None
            if (
                current is not None
                and incoming is not None
                and incoming != _WILDCARD
                and incoming != current
            ):
                raise KeyError(f"Etag conflict.\nOriginal: {incoming}\r\nCurrent: {current}")
            tables[key] = table
            stored_documents[key] = stored
        e_tags: dict[str, str] = {}
        for position, (key, item) in enumerate(changes.items()):
            text = encode_state(_without_e_tag(item))
            stored = stored_documents[key]
            if stored is not None and stored.get("state") == text:
                e_tags[key] = stored["e_tag"]  # the same state: nothing to write
                continue
            e_tags[key] = uuid.uuid4().hex
            document = {"key": key, "e_tag": e_tags[key], "state": text}
            # Keep any other key that shares this file (a hash collision). Until the first write
            # the shard is as listed above; after it, it may be one that this write changed.
            documents = listed[key] if position == 0 else tables[key].all()
            others = [dict(d) for d in documents if d.get("key") != key]
            await self._shards.replace_documents(key, [*others, document])
        for key, item in changes.items():
            _set_e_tag(item, e_tags[key])

    async def delete(self, keys: list[str]) -> None:
        """Remove the items of `keys`; missing keys are ignored."""
        for key in keys:
            table = self._table(key)
            others = [document for document in table.all() if document.get("key") != key]
            if others:  # another key shares this file (a hash collision): keep it
                table.remove(_matches(key))
            else:
                self._shards.remove(key)
