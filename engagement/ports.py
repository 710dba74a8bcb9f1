"""What the domain needs from storage, as async Protocols. Implementations live in store/."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol, runtime_checkable

from engagement.book import PortfolioAnswer, PortfolioRequest
from engagement.models import Customer
from engagement.readiness import ReadinessAssessment
from engagement.reminder_records import (
    DeliveryRecord,
    IndexEntry,
    Rescheduled,
    UserPreferences,
)
from engagement.summary import NameListing


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


@runtime_checkable
class CustomerStream(Protocol):
    """A repository that can hand out a whole tenant's customers a few at a time (optional).

    For work over the whole book (an export, an import's check of existing ids): memory and the
    event loop hold a few customers at a time, never all of them as objects.
    """

    def each(self, tenant_id: str) -> AsyncIterator[Customer]:
        """Every customer of one tenant, ordered by name, decoded one at a time in slices."""
        ...

    async def ids(self, tenant_id: str) -> set[str]:
        """The ids of the tenant's customers."""
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


class StateStorage(Protocol):
    """Conversation state (the dialog stack and per-conversation scratch) as opaque items by key.

    The shape of botbuilder's `Storage` without depending on it (bot/state.py adapts it):
    items are whatever the conversation layer stores (dicts or objects with an `e_tag`).
    Optimistic concurrency on `e_tag`: an incoming e_tag of None or "*" always writes, one that
    differs from the stored e_tag raises `KeyError` and writes nothing; every write that changes
    an item gives it a fresh e_tag, copied back into the written item.
    """

    async def read(self, keys: list[str]) -> dict[str, Any]:
        """The stored items of those `keys` that exist; missing keys are left out."""
        ...

    async def write(self, changes: Mapping[str, Any]) -> None:
        """Store each item under its key, honouring e_tags (all keys are checked first)."""
        ...

    async def delete(self, keys: list[str]) -> None:
        """Remove the items of `keys`; missing keys are ignored."""
        ...


class ReminderStore(Protocol):
    """Storage for reminders: the next-due index, delivery records, user preferences."""

    async def due(self, now: datetime, limit: int) -> list[IndexEntry]:
        """Index entries with `due <= now`, earliest first, at most `limit`."""
        ...

    async def scheduled(self, tenant_id: str, customer_id: str) -> datetime | None:
        """The customer's index time, or None when it has none."""
        ...

    async def schedule(
        self,
        tenant_id: str,
        customer_id: str,
        due: datetime | None,
        *,
        replacing: IndexEntry | None = None,
    ) -> None:
        """Set the customer's index time (None removes it), also dropping `replacing`."""
        ...

    async def schedule_no_later(self, tenant_id: str, customer_id: str, due: datetime) -> None:
        """Move the customer's index time earlier to `due` if it is later or missing."""
        ...

    async def schedule_many_no_later(self, entries: Sequence[IndexEntry]) -> None:
        """`schedule_no_later` for many customers at once (an import): a batch, not one write
        per customer. A store may keep a later entry of a customer beside the new one (the
        sweep drops it when it looks); it never leaves a customer later than asked."""
        ...

    async def release(self, entries: Sequence[IndexEntry]) -> None:
        """Give back entries `due` returned that the sweep did not look at, unchanged (a store
        whose `due` claims entries for one replica lets the others have them at once)."""
        ...

    async def reschedule(self, swept: Sequence[Rescheduled], started: datetime) -> None:
        """After a sweep that started at `started`: `schedule` every swept customer, dropping
        the entries it looked at. An index time set after `started` (a customer saved during
        the sweep) is kept when it is earlier than the sweep's."""
        ...

    async def records(self, tenant_id: str, customer_id: str) -> dict[str, DeliveryRecord]:
        """The customer's delivery records by reminder id."""
        ...

    async def put_records(self, records: Iterable[DeliveryRecord]) -> None:
        """Insert or replace records (each durable when this returns)."""
        ...

    async def preferences(self, tenant_id: str, user_id: str) -> UserPreferences:
        """The user's preferences (defaults when none were stored)."""
        ...

    async def put_preferences(self, preferences: UserPreferences) -> None:
        """Insert or replace the user's preferences."""
        ...

    async def customer_conversation(self, tenant_id: str, customer_id: str) -> str | None:
        """The conversation where the customer was last managed, if known."""
        ...

    async def remember_customer_conversation(
        self, tenant_id: str, customer_id: str, conversation_id: str
    ) -> None:
        """Note that the customer was just managed in `conversation_id`."""
        ...

    async def remember_user_conversation(
        self,
        tenant_id: str,
        user_id: str,
        conversation_id: str,
        *,
        is_personal: bool,
        time_zone: str | None = None,
        client_language: str | None = None,
    ) -> None:
        """Note where the user talked to the bot (a personal chat becomes their reminder chat),
        and their time zone and client language when the turn told them."""
        ...


class CustomerSummaries(Protocol):
    """The per-tenant book of customer summaries (`engagement.summary`), kept current on every
    customer save by the backend that stores the customers.

    `portfolio`, `kpis`, `customers` and finding a customer by part of its name read only this,
    never every customer. A backend stores what `engagement.summary.summarize` computes (the
    domain's own rules) and answers as `engagement.book.answer_portfolio` / `list_by_name`
    would over all of the tenant's summaries: the TinyDB store keeps each tenant's summaries in
    memory, ordered and counted (`engagement.book_index`); a SQL backend can filter, order
    (`portfolio.risk_order`) and count with indexes. Summaries whose health is from an earlier
    day are recomputed by the backend (`CustomerSummary.stale_on`); the answer may use them
    meanwhile.
    """

    async def portfolio(self, tenant_id: str, request: PortfolioRequest) -> PortfolioAnswer:
        """One page of the tenant's customers selected by `request.query`, riskiest first, with
        the selection's KPIs and health bands when `request.figures` is set."""
        ...

    async def by_name(self, tenant_id: str, *, contains: str = "", limit: int = 50) -> NameListing:
        """The first `limit` customers ordered by name (casefolded, then id) whose name contains
        `contains` (casefolded), and how many contain it."""
        ...

    async def owned_by(self, tenant_id: str, owner_id: str) -> list[str]:
        """The ids of the tenant's customers that `owner_id` owns, sorted (`reminders`: the
        user's customers without reading every customer)."""
        ...


class ReadinessStore(Protocol):
    """Each organisation's completed readiness self-assessments (seed 002 checklist)."""

    async def add(self, assessment: ReadinessAssessment) -> bool:
        """Store a completed assessment; False (and nothing written) when the tenant already has
        one with that id (a repeated final submit)."""
        ...

    async def history(self, tenant_id: str) -> list[ReadinessAssessment]:
        """Every assessment of the tenant, oldest first."""
        ...


@dataclass(frozen=True)
class Download:
    """A file waiting to be fetched."""

    name: str
    content_type: str
    body: bytes
    expires: datetime


class DownloadShelf(Protocol):
    """Where offered files wait, by token; `take` hands a file out once."""

    async def put(
        self,
        token: str,
        download: Download,
        now: datetime,
    ) -> None:
        """Keep the file under `token` until `expires`; may drop what expired by `now`."""
        ...

    async def take(self, token: str) -> Download | None:
        """The file of `token`, removed as it is read; or None."""
        ...
