"""Domain errors. They carry ids and facts, never user-facing wording: dialogs word the message."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from engagement.models import Phase


class DomainError(Exception):
    """Base class for every expected, explainable failure of a domain rule."""


class PhaseError(DomainError):
    """A move the current phase does not allow (ensure before deliver, commit unassessed)."""

    def __init__(self, customer_id: str, current: Phase, attempted: str, needed: str) -> None:
        self.customer_id = customer_id
        self.current = current
        self.attempted = attempted
        self.needed = needed
        super().__init__(
            f"{customer_id}: cannot {attempted} in phase {current.value}; first {needed}"
        )


class CustomerNotFound(DomainError):
    """No customer with this id exists in the tenant."""

    def __init__(self, tenant_id: str, customer_id: str) -> None:
        self.tenant_id = tenant_id
        self.customer_id = customer_id
        super().__init__(f"customer {customer_id!r} not found")


class CustomerAlreadyExists(DomainError):
    """A customer with this id already exists in the tenant."""

    def __init__(self, tenant_id: str, customer_id: str) -> None:
        self.tenant_id = tenant_id
        self.customer_id = customer_id
        super().__init__(f"customer {customer_id!r} already exists")


class CardAlreadyCounted(DomainError):
    """This card instance was already counted for the customer (pressed again, maybe in
    another conversation)."""

    def __init__(self, customer_id: str, card: str) -> None:
        self.customer_id = customer_id
        self.card = card
        super().__init__(f"card {card!r} already counted for {customer_id!r}")


class ConcurrencyConflict(DomainError):
    """The record changed since it was read (optimistic concurrency): re-read and retry."""

    def __init__(self, key: str, expected_version: int, actual_version: int | None) -> None:
        self.key = key
        self.expected_version = expected_version
        self.actual_version = actual_version
        super().__init__(f"{key}: expected version {expected_version}, store has {actual_version}")


class InvalidCustomerName(DomainError):
    """The name gives no usable id (empty, only punctuation, too long)."""

    def __init__(self, name: str, reason: str) -> None:
        self.name = name
        self.reason = reason
        super().__init__(f"invalid customer name: {reason}")
