"""What the domain needs from storage, as async Protocols. Implementations live in store/."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

from engagement.models import Customer


class CustomerRepository(Protocol):
    """Tenant-scoped customer aggregates with optimistic concurrency on `version`."""

    async def get(self, tenant_id: str, customer_id: str) -> Customer | None:
        """The customer, or None when this tenant has none with that id."""
        ...

    async def add(self, customer: Customer) -> Customer:
        """Store a new customer (version 1). Raises CustomerAlreadyExists."""
        ...

    async def save(self, customer: Customer) -> Customer:
        """Store a changed customer if the stored version equals `customer.version`.

        Returns the stored copy with version + 1. Raises ConcurrencyConflict otherwise
        and CustomerNotFound when it was never added.
        """
        ...

    async def list(self, tenant_id: str) -> list[Customer]:
        """Every customer of one tenant, ordered by name."""
        ...


class ConversationReferences(Protocol):
    """Serialized Bot Framework conversation references, for proactive messages."""

    async def put(self, tenant_id: str, conversation_id: str, reference: dict[str, Any]) -> None:
        """Insert or refresh a reference (clears a stale mark)."""
        ...

    async def get(self, tenant_id: str, conversation_id: str) -> dict[str, Any] | None:
        """The reference, or None when unknown or stale."""
        ...

    async def mark_stale(self, tenant_id: str, conversation_id: str) -> None:
        """Teams said the bot is gone from this conversation: stop using the reference."""
        ...


class CustomerImportWriter(Protocol):
    """All-or-nothing bulk writes of customers (import)."""

    async def import_customers(
        self, tenant_id: str, add: Sequence[Customer], replace: Sequence[Customer]
    ) -> None:
        """Add `add` (version 1) and overwrite `replace` (stored version + 1), or write nothing.

        Raises CustomerAlreadyExists, writing nothing, when an id to add exists by now.
        """
        ...
