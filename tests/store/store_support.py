"""Helpers shared by the store tests (imported by module name: tests/store is on sys.path)."""

from __future__ import annotations

from datetime import UTC, datetime

from engagement.lifecycle import new_customer
from engagement.models import Customer, Person
from store import Store
from store.pg import PostgresStore

# Either backend (the `backend` fixture): the contract tests use only what both offer.
Backend = Store | PostgresStore

NOW = datetime(2025, 3, 1, 9, 30, tzinfo=UTC)
OWNER = Person(id="aad-owner-1", name="Olga Owner")


def make_customer(tenant_id: str, customer_id: str, name: str | None = None) -> Customer:
    """A fresh customer (version 0) with its first iteration open in assess."""
    return new_customer(tenant_id, customer_id, name or customer_id.title(), OWNER, NOW)
