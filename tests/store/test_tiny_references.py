"""Conversation references, TinyDB and PostgreSQL: put/get, stale marks, tenants, active ones."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from botbuilder.schema import ChannelAccount, ConversationAccount, ConversationReference
from store_support import Backend

from engagement.ports import ConversationReferences
from store import Store, open_store

TENANT = "11111111-aaaa-4aaa-8aaa-000000000001"
OTHER_TENANT = "22222222-bbbb-4bbb-8bbb-000000000002"
CONVERSATION = "a:1Xq9;messageid=1712345678901@thread.tacv2"


def _reference(conversation_id: str = CONVERSATION) -> dict[str, Any]:
    reference = ConversationReference(
        activity_id="1712345678901",
        bot=ChannelAccount(id="28:bot-app-id", name="CSF"),
        channel_id="msteams",
        conversation=ConversationAccount(id=conversation_id, tenant_id=TENANT),
        service_url="https://smba.trafficmanager.net/emea/",
        user=ChannelAccount(id="29:user", name="Ada"),
    )
    serialized: dict[str, Any] = reference.serialize()
    return serialized


def test_implements_the_domain_port(backend: Backend) -> None:
    references: ConversationReferences = backend.references
    assert references is backend.references


async def test_put_then_get_round_trips_a_bot_framework_reference(backend: Backend) -> None:
    await backend.references.put(TENANT, CONVERSATION, _reference())

    stored = await backend.references.get(TENANT, CONVERSATION)

    assert stored == _reference()
    assert stored is not None
    assert ConversationReference().deserialize(stored).conversation.id == CONVERSATION


async def test_unknown_conversation_is_none(backend: Backend) -> None:
    assert await backend.references.get(TENANT, CONVERSATION) is None


async def test_reference_is_scoped_to_its_tenant(backend: Backend) -> None:
    await backend.references.put(TENANT, CONVERSATION, _reference())

    assert await backend.references.get(OTHER_TENANT, CONVERSATION) is None
    assert await backend.references.all_active(OTHER_TENANT) == []


async def test_stale_reference_reads_as_none_until_put_again(backend: Backend) -> None:
    await backend.references.put(TENANT, CONVERSATION, _reference())

    await backend.references.mark_stale(TENANT, CONVERSATION)
    assert await backend.references.get(TENANT, CONVERSATION) is None

    await backend.references.put(TENANT, CONVERSATION, _reference())
    assert await backend.references.get(TENANT, CONVERSATION) == _reference()


async def test_putting_the_same_reference_again_writes_nothing(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    await store.references.put(TENANT, CONVERSATION, _reference())
    written: list[Path] = []
    monkeypatch.setattr(
        "store.atomic_storage.write_text_atomic", lambda path, text: written.append(path)
    )

    for _ in range(3):
        await store.references.put(TENANT, CONVERSATION, _reference())

    assert written == []


async def test_marking_an_unknown_conversation_stale_is_harmless(backend: Backend) -> None:
    await backend.references.mark_stale(TENANT, CONVERSATION)

    assert await backend.references.get(TENANT, CONVERSATION) is None


async def test_all_active_lists_only_the_fresh_references(backend: Backend) -> None:
    for n in range(3):
        await backend.references.put(
            TENANT, f"{CONVERSATION}-{n}", _reference(f"{CONVERSATION}-{n}")
        )
    await backend.references.mark_stale(TENANT, f"{CONVERSATION}-1")

    active = await backend.references.all_active(TENANT)

    assert sorted(reference["conversation"]["id"] for reference in active) == [
        f"{CONVERSATION}-0",
        f"{CONVERSATION}-2",
    ]


async def test_stale_mark_survives_reopening(data_dir: Path) -> None:
    with open_store(data_dir) as first:
        await first.references.put(TENANT, CONVERSATION, _reference())
        await first.references.mark_stale(TENANT, CONVERSATION)
    with open_store(data_dir) as second:
        assert await second.references.get(TENANT, CONVERSATION) is None
        assert await second.references.all_active(TENANT) == []


async def test_putting_an_unchanged_reference_writes_nothing(tmp_path: Path) -> None:
    store = open_store(tmp_path / "data")
    try:
        await store.references.put("t", "c", {"serviceUrl": "http://127.0.0.1/"})
        files = list((tmp_path / "data").rglob("*.json"))
        stamps = {p: p.stat().st_mtime_ns for p in files}
        await store.references.put("t", "c", {"serviceUrl": "http://127.0.0.1/"})
        assert {p: p.stat().st_mtime_ns for p in files} == stamps
        await store.references.put("t", "c", {"serviceUrl": "http://127.0.0.2/"})
        assert await store.references.get("t", "c") == {"serviceUrl": "http://127.0.0.2/"}
    finally:
        store.close()
