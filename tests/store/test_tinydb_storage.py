"""TinyStateStorage (through bot.state.SdkStorage) against botbuilder's Storage contract, side by
side with the SDK's own."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from botbuilder.core import ConversationState, MemoryStorage, Storage, StoreItem, TurnContext
from botbuilder.core.adapters import TestAdapter

from bot.state import LeanConversationState, SdkStorage
from store import Store, TinyStateStorage, open_store
from store.pg import PostgresStore
from tests.support.postgres import started_pg_store

# A Teams channel thread id: ':' '@' ';' '=' must be safe as a key.
KEY = "msteams/conversations/19:abc-DEF_1@thread.tacv2;messageid=1712345678901/"


@pytest.fixture(params=["memory", "tinydb", "tinydb-sync-worker", "postgres"])
async def storage(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Storage]:
    """The SDK's MemoryStorage, our TinyStateStorage (writing inline, and through a sync worker
    process as the app does) and PgStateStorage: one contract for all."""
    if request.param == "memory":
        yield MemoryStorage()
        return
    if request.param == "postgres":
        async with started_pg_store(request.getfixturevalue("postgres_url")) as pg_store:
            yield SdkStorage(pg_store.state_storage)
        return
    opened = open_store(tmp_path / "data", sync_worker=request.param == "tinydb-sync-worker")
    try:
        yield SdkStorage(opened.state_storage)
    finally:
        opened.close()


def _without_e_tag(item: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in item.items() if key != "e_tag"}


class TestStorageContract:
    """What ConversationState and UserState rely on, for every Storage."""

    async def test_reading_missing_keys_gives_an_empty_dict(self, storage: Storage) -> None:
        assert await storage.read(["nothing-here", KEY]) == {}
        assert await storage.read([]) == {}

    async def test_write_then_read_round_trips(self, storage: Storage) -> None:
        def value() -> dict[str, Any]:
            return {"name": 'Ada "Bobby" \\ \n 🎉', "nested": {"steps": [1, 2]}, "none": None}

        await storage.write({KEY: value(), "second": {"n": 2}})

        items = await storage.read([KEY, "second", "missing"])

        assert set(items) == {KEY, "second"}
        assert _without_e_tag(items[KEY]) == value()
        assert _without_e_tag(items["second"]) == {"n": 2}

    async def test_store_items_round_trip(self, storage: Storage) -> None:
        await storage.write({KEY: StoreItem(topic="renewal", count=3)})

        item = (await storage.read([KEY]))[KEY]

        assert isinstance(item, StoreItem)
        assert (item.topic, item.count) == ("renewal", 3)

    async def test_delete_removes_only_the_given_keys(self, storage: Storage) -> None:
        await storage.write({KEY: {"n": 1}, "keep": {"n": 2}})

        await storage.delete([KEY, "never-written"])

        assert list(await storage.read([KEY, "keep"])) == ["keep"]

    async def test_stale_e_tag_raises_and_keeps_the_stored_value(self, storage: Storage) -> None:
        await storage.write({KEY: {"n": 0, "e_tag": "*"}})
        await storage.write({KEY: {"n": 1, "e_tag": "*"}})
        read = (await storage.read([KEY]))[KEY]
        stale_e_tag = read["e_tag"]
        await storage.write({KEY: {"n": 2, "e_tag": stale_e_tag}})

        with pytest.raises(KeyError, match="Etag conflict"):
            await storage.write({KEY: {"n": 3, "e_tag": stale_e_tag}})

        assert (await storage.read([KEY]))[KEY]["n"] == 2

    async def test_wildcard_or_missing_e_tag_always_writes(self, storage: Storage) -> None:
        await storage.write({KEY: {"n": 0, "e_tag": "*"}})
        await storage.write({KEY: {"n": 1, "e_tag": "*"}})

        await storage.write({KEY: {"n": 2, "e_tag": "*"}})
        assert (await storage.read([KEY]))[KEY]["n"] == 2
        await storage.write({KEY: {"n": 3}})
        assert (await storage.read([KEY]))[KEY]["n"] == 3

    async def test_empty_e_tag_or_no_changes_raise(self, storage: Storage) -> None:
        with pytest.raises(Exception, match="etag missing"):
            await storage.write({KEY: {"n": 1, "e_tag": ""}})
        with pytest.raises(Exception, match="Changes are required"):
            await storage.write(None)


async def test_every_write_assigns_a_new_e_tag(store: Store) -> None:
    await store.state_storage.write({KEY: {"n": 1}})
    first = (await store.state_storage.read([KEY]))[KEY]["e_tag"]
    await store.state_storage.write({KEY: {"n": 2, "e_tag": first}})
    second = (await store.state_storage.read([KEY]))[KEY]["e_tag"]

    assert first
    assert second
    assert first != second


async def test_a_conflict_in_one_key_writes_no_key(store: Store) -> None:
    await store.state_storage.write({KEY: {"n": 1}})

    with pytest.raises(KeyError):
        await store.state_storage.write({"other": {"n": 1}, KEY: {"n": 2, "e_tag": "stale"}})

    assert await store.state_storage.read(["other"]) == {}


def _file_names(directory: Path) -> list[str]:
    return [path.name for path in directory.rglob("*") if path.is_file()]


async def test_keys_never_reach_file_names(store: Store, data_dir: Path) -> None:
    await store.state_storage.write({KEY: {"n": 1}, "../../etc/passwd": {"n": 2}})

    names = _file_names(data_dir)

    assert names
    assert all(set(name) <= set("0123456789abcdef.json") for name in names)
    assert set(await store.state_storage.read([KEY, "../../etc/passwd"])) == {
        KEY,
        "../../etc/passwd",
    }


async def test_state_survives_reopening(data_dir: Path) -> None:
    with open_store(data_dir) as first:
        await first.state_storage.write({KEY: {"dialog": {"step": 1}}})
    with open_store(data_dir) as second:
        assert _without_e_tag((await second.state_storage.read([KEY]))[KEY]) == {
            "dialog": {"step": 1}
        }


async def test_bot_state_can_save_twice_in_one_turn(store: Store) -> None:
    """The new e_tag is copied back into the saved state, so a second save does not conflict."""
    state = ConversationState(SdkStorage(store.state_storage))
    counter = state.create_property("counter")
    keys: list[str] = []

    async def turn(context: TurnContext) -> None:
        keys.append(state.get_storage_key(context))
        await counter.set(context, {"n": 1})
        await state.save_changes(context)
        await counter.set(context, {"n": 2})
        await state.save_changes(context)

    adapter = TestAdapter(turn)
    await adapter.send("hi")
    await adapter.send("again")

    assert isinstance(store.state_storage, TinyStateStorage)
    assert len(set(keys)) == 1
    stored = await store.state_storage.read(keys[:1])
    assert stored[keys[0]]["counter"] == {"n": 2}


async def test_writing_the_same_state_again_writes_nothing_and_keeps_the_e_tag(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    item: dict[str, Any] = {"dialog": {"step": 1}}
    await store.state_storage.write({KEY: item})
    e_tag = item["e_tag"]
    written: list[Path] = []
    monkeypatch.setattr("store.shards.write_text_atomic", lambda path, text: written.append(path))

    await store.state_storage.write({KEY: dict(item)})

    assert written == []
    assert (await store.state_storage.read([KEY]))[KEY]["e_tag"] == e_tag


async def test_a_turn_that_changes_no_state_writes_no_file(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    state = LeanConversationState(SdkStorage(store.state_storage))
    counter = state.create_property("counter")

    async def turn(context: TurnContext) -> None:
        await counter.set(context, {"n": 1})
        await state.save_changes(context)

    adapter = TestAdapter(turn)
    await adapter.send("first")
    written: list[Path] = []
    monkeypatch.setattr("store.shards.write_text_atomic", lambda path, text: written.append(path))
    await adapter.send("same again")

    assert written == []


async def test_documents_with_the_e_tag_inside_the_text_still_read(store: Store) -> None:
    """The format before the e_tag moved beside the text."""
    await store.state_storage.write({KEY: {"n": 1}})
    table = store.state_storage._table(KEY)
    table.update({"state": '{"n": 2, "e_tag": "old"}', "e_tag": "old"})

    item = (await store.state_storage.read([KEY]))[KEY]

    assert item == {"n": 2, "e_tag": "old"}
    await store.state_storage.write({KEY: {**item, "n": 3}})
    assert (await store.state_storage.read([KEY]))[KEY]["n"] == 3


async def test_postgres_keeps_the_state_text_verbatim(pg_store: PostgresStore) -> None:
    """Not jsonb: key order (jsonpickle's py/id references depend on it) and \\u0000 survive."""
    value = {"zeta": 1, "alpha": {"y": "\x00 nul", "b": [3, 1]}, "mid": None}

    await pg_store.state_storage.write({KEY: dict(value)})

    stored = _without_e_tag((await pg_store.state_storage.read([KEY]))[KEY])
    assert stored == value
    assert list(stored) == ["zeta", "alpha", "mid"]
    assert list(stored["alpha"]) == ["y", "b"]


async def test_postgres_conflicting_writers_of_one_key_cannot_both_win(
    pg_store: PostgresStore,
) -> None:
    await pg_store.state_storage.write({KEY: {"n": 0}})
    read = (await pg_store.state_storage.read([KEY]))[KEY]

    results = await asyncio.gather(
        *(pg_store.state_storage.write({KEY: {"n": n, "e_tag": read["e_tag"]}}) for n in (1, 2)),
        return_exceptions=True,
    )

    assert sorted(type(result).__name__ for result in results) == ["KeyError", "NoneType"]
