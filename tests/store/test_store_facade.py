"""open_store / Store: lazy opening, health probe, idempotent close, bounded shard cache."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from store_support import make_customer

from store import StoreClosed, open_store
from store.shards import ShardCache, ShardSet, digest
from store.summary_codec import bucket_of

TENANT = "11111111-aaaa-4aaa-8aaa-000000000001"


def _all_files(directory: Path) -> list[Path]:
    return sorted(path for path in directory.rglob("*") if path.is_file())


def test_open_creates_the_data_directory_and_nothing_else(data_dir: Path) -> None:
    with open_store(data_dir):
        assert data_dir.is_dir()
        assert _all_files(data_dir) == []


def test_healthy_while_open_and_not_after_close(data_dir: Path) -> None:
    store = open_store(data_dir)
    assert store.healthy()

    store.close()
    store.close()  # idempotent

    assert not store.healthy()


def test_not_healthy_when_the_directory_is_gone(data_dir: Path) -> None:
    with open_store(data_dir) as store:
        for path in _all_files(data_dir):
            path.unlink()
        data_dir.rmdir()

        assert not store.healthy()


async def test_use_after_close_raises_store_closed(data_dir: Path) -> None:
    store = open_store(data_dir)
    store.close()

    with pytest.raises(StoreClosed):
        await store.customers.get(TENANT, "contoso")
    with pytest.raises(StoreClosed):
        await store.state_storage.write({"key": {"n": 1}})


async def test_customer_files_are_named_by_hashes_under_the_tenant(data_dir: Path) -> None:
    hostile_tenant = "../../etc;rm -rf /@x"
    with open_store(data_dir) as store:
        await store.customers.add(make_customer(hostile_tenant, "contoso"))
        path = store.customers.shard_path(hostile_tenant, "contoso")

    summary = data_dir / "summaries" / digest(hostile_tenant) / f"{bucket_of('contoso')}.json"
    assert sorted(_all_files(data_dir)) == sorted([path, summary])
    assert path == data_dir / "customers" / digest(hostile_tenant) / f"{digest('contoso')}.json"


async def test_a_small_cache_still_serves_every_customer(data_dir: Path) -> None:
    with open_store(data_dir, cache_size=2) as store:
        for n in range(5):
            await store.customers.add(make_customer(TENANT, f"c{n}"))
        for n in range(5):
            customer = await store.customers.get(TENANT, f"c{n}")
            assert customer is not None
            assert customer.id == f"c{n}"
        assert [customer.id for customer in await store.customers.list(TENANT)] == [
            f"c{n}" for n in range(5)
        ]


def test_shard_cache_keeps_at_most_its_capacity(tmp_path: Path) -> None:
    cache = ShardCache(capacity=3)
    shards = ShardSet(tmp_path, cache)
    for n in range(10):
        shards.table(f"key-{n}").insert({"key": f"key-{n}"})

    assert len(cache) == 3
    assert shards.path("key-9") in cache
    assert shards.path("key-0") not in cache
    assert shards.table("key-0").all() == [{"key": "key-0"}]  # reopened from its file
    cache.close()


async def test_list_skips_leftover_temporary_files(data_dir: Path) -> None:
    with open_store(data_dir) as store:
        await store.customers.add(make_customer(TENANT, "contoso"))
        directory = store.customers.shard_path(TENANT, "contoso").parent
        # What a write interrupted between mkstemp and os.replace leaves behind.
        (directory / ".half-written.json.abc123.tmp").write_text('{"_default": {"1": {"te')

        assert [customer.id for customer in await store.customers.list(TENANT)] == ["contoso"]
    assert sorted(os.listdir(directory))[0].endswith(".tmp")


async def test_a_replaced_shard_is_served_from_memory_afterwards(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shards = ShardSet(tmp_path / "state", ShardCache(capacity=4))
    await shards.replace_documents("k", [{"key": "k", "n": 1}])

    def no_disk(path: Path) -> None:
        raise AssertionError(f"read {path} from disk")

    monkeypatch.setattr("store.atomic_storage.read_json_file", no_disk)
    assert shards.table("k").all() == [{"key": "k", "n": 1}]


async def test_after_a_failed_replace_the_shard_is_read_from_disk_again(tmp_path: Path) -> None:
    shards = ShardSet(tmp_path / "state", ShardCache(capacity=4))
    await shards.replace_documents("k", [{"key": "k", "n": 1}])

    def failing(path: Path, text: str) -> None:
        raise OSError("disk full")

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("store.shards.write_text_atomic", failing)
        with pytest.raises(OSError, match="disk full"):
            await shards.replace_documents("k", [{"key": "k", "n": 2}])

    assert shards.table("k").all() == [{"key": "k", "n": 1}]
