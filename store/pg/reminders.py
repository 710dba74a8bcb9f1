"""PgReminderStore: the reminder index as a claimable queue, delivery records, preferences.

Every replica sweeps. `due` *claims* the customers it returns: one statement picks due rows with
`FOR UPDATE SKIP LOCKED`, stamps them with a fresh claim token and a lease, and returns them, so
two replicas never get the same customer while the lease runs (shared/research/scale-out.md
measured 0 duplicates in 13 runs of this query against 10,000 rows, and 10,000+ with a plain
SELECT then UPDATE). `reschedule` is the fenced completion: it writes the next index time and
releases the claim only where the row still carries the sweep's token. A sweep that died
(SIGKILL, lost network) leaves its rows claimed until the lease runs out; then any replica claims
them again, and the delivery records decide what is still to send (at least once, see
bot/reminder_sweep.py).

A turn that saves a customer while a sweep holds it cannot move the claimed row's index time
(the sweep will overwrite it), so it notes the time it asked for in `requested`; the sweep's
`reschedule` keeps that time when it is earlier than its own.

`IndexEntry.location` carries the claim token.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta

from psycopg.types.json import Json
from psycopg_pool import AsyncConnectionPool
from pydantic import ValidationError

from engagement.reminder_records import (
    SETTLED_STATES,
    DeliveryRecord,
    IndexEntry,
    Rescheduled,
    UserPreferences,
)
from engagement.working_hours import zone_or_none

DEFAULT_LEASE = timedelta(minutes=5)
RECORD_RETENTION = timedelta(days=400)  # settled records older than this are dropped on write

_CLAIM = """
WITH picked AS (
    SELECT tenant_id, customer_id FROM reminder_customers
    WHERE due <= %(now)s AND (lease_until IS NULL OR lease_until <= %(now)s)
    ORDER BY due LIMIT %(limit)s
    FOR UPDATE SKIP LOCKED
)
UPDATE reminder_customers AS r
SET claim_token = %(token)s, lease_until = %(lease_until)s, requested = NULL
FROM picked WHERE r.tenant_id = picked.tenant_id AND r.customer_id = picked.customer_id
RETURNING r.tenant_id, r.customer_id, r.due
"""
_COMPLETE = """
UPDATE reminder_customers
SET due = CASE WHEN requested IS NOT NULL AND (%(due)s::timestamptz IS NULL OR requested < %(due)s)
               THEN requested ELSE %(due)s END,
    claim_token = NULL, lease_until = NULL, requested = NULL
WHERE tenant_id = %(tenant_id)s AND customer_id = %(customer_id)s AND claim_token = %(token)s
"""
_RELEASE = """
UPDATE reminder_customers
SET due = CASE WHEN requested IS NOT NULL AND requested < due THEN requested ELSE due END,
    claim_token = NULL, lease_until = NULL, requested = NULL
WHERE tenant_id = %s AND customer_id = %s AND claim_token = %s
"""
_SCHEDULE = """
INSERT INTO reminder_customers AS r (tenant_id, customer_id, due)
VALUES (%(tenant_id)s, %(customer_id)s, %(due)s)
ON CONFLICT (tenant_id, customer_id) DO UPDATE
SET due = EXCLUDED.due,
    requested = CASE WHEN r.claim_token IS NULL OR r.claim_token = %(token)s THEN NULL
                     ELSE LEAST(r.requested, EXCLUDED.due) END,
    claim_token = CASE WHEN r.claim_token = %(token)s THEN NULL ELSE r.claim_token END,
    lease_until = CASE WHEN r.claim_token = %(token)s THEN NULL ELSE r.lease_until END
"""
_NO_LATER = """
INSERT INTO reminder_customers AS r (tenant_id, customer_id, due)
VALUES (%(tenant_id)s, %(customer_id)s, %(due)s)
ON CONFLICT (tenant_id, customer_id) DO UPDATE
SET due = LEAST(r.due, EXCLUDED.due),
    requested = CASE WHEN r.claim_token IS NULL THEN r.requested
                     ELSE LEAST(r.requested, EXCLUDED.due) END
WHERE r.due IS NULL OR r.due > EXCLUDED.due OR r.claim_token IS NOT NULL
"""
_PUT_RECORD = """
INSERT INTO reminder_records (tenant_id, customer_id, reminder_id, state, due_on, record)
VALUES (%s, %s, %s, %s, %s, %s)
ON CONFLICT (tenant_id, customer_id, reminder_id) DO UPDATE
SET state = EXCLUDED.state, due_on = EXCLUDED.due_on, record = EXCLUDED.record
"""
_PRUNE = """
DELETE FROM reminder_records
WHERE tenant_id = %s AND customer_id = %s AND state = ANY(%s) AND due_on < %s
"""
_PREFERENCE_COLUMNS = (
    "digest",
    "paused_until",
    "time_zone",
    "personal_conversation_id",
    "last_conversation_id",
    "last_digest_on",
    "language",
    "client_language",
)
_GET_PREFERENCES = f"""
SELECT {", ".join(_PREFERENCE_COLUMNS)} FROM user_preferences
WHERE tenant_id = %s AND user_id = %s
"""
_PUT_PREFERENCES = f"""
INSERT INTO user_preferences (tenant_id, user_id, {", ".join(_PREFERENCE_COLUMNS)})
VALUES (%s, %s, {", ".join("%s" for _ in _PREFERENCE_COLUMNS)})
ON CONFLICT (tenant_id, user_id) DO UPDATE
SET {", ".join(f"{name} = EXCLUDED.{name}" for name in _PREFERENCE_COLUMNS)}
"""
_REMEMBER_USER = """
INSERT INTO user_preferences AS p
    (tenant_id, user_id, last_conversation_id, personal_conversation_id, time_zone,
     client_language)
VALUES (%(tenant_id)s, %(user_id)s, %(conversation_id)s, %(personal)s, %(zone)s, %(language)s)
ON CONFLICT (tenant_id, user_id) DO UPDATE
SET last_conversation_id = EXCLUDED.last_conversation_id,
    personal_conversation_id = COALESCE(EXCLUDED.personal_conversation_id,
                                        p.personal_conversation_id),
    time_zone = COALESCE(EXCLUDED.time_zone, p.time_zone),
    client_language = COALESCE(EXCLUDED.client_language, p.client_language)
WHERE p.last_conversation_id IS DISTINCT FROM EXCLUDED.last_conversation_id
   OR (EXCLUDED.personal_conversation_id IS NOT NULL
       AND p.personal_conversation_id IS DISTINCT FROM EXCLUDED.personal_conversation_id)
   OR (EXCLUDED.time_zone IS NOT NULL AND p.time_zone IS DISTINCT FROM EXCLUDED.time_zone)
   OR (EXCLUDED.client_language IS NOT NULL
       AND p.client_language IS DISTINCT FROM EXCLUDED.client_language)
"""
_REMEMBER_CUSTOMER = """
INSERT INTO reminder_customers AS r (tenant_id, customer_id, conversation_id)
VALUES (%s, %s, %s)
ON CONFLICT (tenant_id, customer_id) DO UPDATE SET conversation_id = EXCLUDED.conversation_id
WHERE r.conversation_id IS DISTINCT FROM EXCLUDED.conversation_id
"""


class PgReminderStore:
    """Implements `engagement.ports.ReminderStore` over PostgreSQL (see the module docstring).

    Args:
        pool: The database's connection pool.
        lease: How long a claim keeps other replicas off a customer; far longer than a sweep's
            sends take (Teams' HTTP timeout is 30 s), short enough that a crashed replica's
            customers are looked at again soon.
    """

    def __init__(self, pool: AsyncConnectionPool, lease: timedelta = DEFAULT_LEASE) -> None:
        self._pool = pool
        self._lease = lease

    # --- the index: claimed, not broadcast ------------------------------------------------------

    async def due(self, now: datetime, limit: int = 1000) -> list[IndexEntry]:
        """Claim up to `limit` customers due by `now` (earliest first) for `lease`."""
        token = uuid.uuid4()
        async with self._pool.connection() as connection:
            cursor = await connection.execute(
                _CLAIM,
                {"now": now, "limit": limit, "token": token, "lease_until": now + self._lease},
            )
            rows = await cursor.fetchall()
        entries = [IndexEntry(tenant, customer, due, str(token)) for tenant, customer, due in rows]
        entries.sort(key=lambda entry: (entry.due, entry.tenant_id, entry.customer_id))
        return entries

    async def scheduled(self, tenant_id: str, customer_id: str) -> datetime | None:
        """The customer's index time, or None."""
        async with self._pool.connection() as connection:
            cursor = await connection.execute(
                "SELECT due FROM reminder_customers WHERE tenant_id = %s AND customer_id = %s",
                [tenant_id, customer_id],
            )
            row = await cursor.fetchone()
        return None if row is None else row[0]

    async def schedule(
        self,
        tenant_id: str,
        customer_id: str,
        due: datetime | None,
        *,
        replacing: IndexEntry | None = None,
    ) -> None:
        """Set the customer's index time exactly (None: no entry); releases `replacing`'s claim."""
        token = _token(replacing.location) if replacing is not None else None
        async with self._pool.connection() as connection:
            await connection.execute(
                _SCHEDULE,
                {"tenant_id": tenant_id, "customer_id": customer_id, "due": due, "token": token},
            )

    async def schedule_no_later(self, tenant_id: str, customer_id: str, due: datetime) -> None:
        """Move the customer's index time to `due` unless it already is at or before it."""
        async with self._pool.connection() as connection:
            await connection.execute(
                _NO_LATER, {"tenant_id": tenant_id, "customer_id": customer_id, "due": due}
            )

    async def schedule_many_no_later(self, entries: Sequence[IndexEntry]) -> None:
        """`schedule_no_later` for every entry, in one batch (an import)."""
        rows = [
            {"tenant_id": entry.tenant_id, "customer_id": entry.customer_id, "due": entry.due}
            for entry in entries
        ]
        if not rows:
            return
        async with self._pool.connection() as connection, connection.cursor() as cursor:
            await cursor.executemany(_NO_LATER, rows)

    async def release(self, entries: Sequence[IndexEntry]) -> None:
        """Release the claims of `entries` (still ours) without changing their index times."""
        rows = [
            (entry.tenant_id, entry.customer_id, token)
            for entry in entries
            if (token := _token(entry.location)) is not None
        ]
        if not rows:
            return
        async with self._pool.connection() as connection, connection.cursor() as cursor:
            await cursor.executemany(_RELEASE, rows)

    async def reschedule(self, swept: Sequence[Rescheduled], started: datetime) -> None:
        """Complete a sweep's claims: next index times, only where the claim is still ours.
        An item without claimed entries (an import indexing its customers) is scheduled."""
        rows = [
            {
                "tenant_id": item.tenant_id,
                "customer_id": item.customer_id,
                "due": item.due,
                "token": token,
            }
            for item in swept
            for token in (
                {_token(entry.location) for entry in item.looked} - {None}
                if item.looked
                else {None}  # nothing claimed: scheduled
            )
        ]
        claimed = [row for row in rows if row["token"] is not None]
        unclaimed = [row for row in rows if row["token"] is None]
        if not rows:
            return
        async with self._pool.connection() as connection, connection.cursor() as cursor:
            if claimed:
                await cursor.executemany(_COMPLETE, claimed)
            if unclaimed:
                await cursor.executemany(_SCHEDULE, unclaimed)

    # --- delivery records and the customer's conversation ----------------------------------------

    async def records(self, tenant_id: str, customer_id: str) -> dict[str, DeliveryRecord]:
        """The customer's delivery records by reminder id."""
        async with self._pool.connection() as connection:
            cursor = await connection.execute(
                "SELECT reminder_id, record FROM reminder_records"
                " WHERE tenant_id = %s AND customer_id = %s",
                [tenant_id, customer_id],
            )
            rows = await cursor.fetchall()
        records: dict[str, DeliveryRecord] = {}
        for reminder_id, data in rows:
            try:
                records[reminder_id] = DeliveryRecord.model_validate(data)
            except ValidationError:
                continue
        return records

    async def put_records(self, records: Iterable[DeliveryRecord]) -> None:
        """Insert or replace records in one transaction; prunes old settled ones."""
        batch = list(records)
        if not batch:
            return
        horizon = (max(record.updated_at for record in batch) - RECORD_RETENTION).date()
        settled = [state.value for state in SETTLED_STATES]
        customers = {(record.tenant_id, record.customer_id) for record in batch}
        rows = [
            (
                record.tenant_id,
                record.customer_id,
                record.id,
                record.state.value,
                record.due_on,
                Json(record.model_dump(mode="json")),
            )
            for record in batch
        ]
        prune = [(tenant, customer, settled, horizon) for tenant, customer in customers]
        async with (
            self._pool.connection() as connection,
            connection.transaction(),
            connection.cursor() as cursor,
        ):
            await cursor.executemany(_PUT_RECORD, rows)
            await cursor.executemany(_PRUNE, prune)

    async def customer_conversation(self, tenant_id: str, customer_id: str) -> str | None:
        """The conversation where the customer was last managed, if known."""
        async with self._pool.connection() as connection:
            cursor = await connection.execute(
                "SELECT conversation_id FROM reminder_customers"
                " WHERE tenant_id = %s AND customer_id = %s",
                [tenant_id, customer_id],
            )
            row = await cursor.fetchone()
        return row[0] if row is not None and row[0] else None

    async def remember_customer_conversation(
        self, tenant_id: str, customer_id: str, conversation_id: str
    ) -> None:
        """Note that the customer was just managed in `conversation_id` (no write if unchanged)."""
        async with self._pool.connection() as connection:
            await connection.execute(_REMEMBER_CUSTOMER, [tenant_id, customer_id, conversation_id])

    # --- user preferences -------------------------------------------------------------------------

    async def preferences(self, tenant_id: str, user_id: str) -> UserPreferences:
        """The user's preferences; defaults when none were stored."""
        async with self._pool.connection() as connection:
            cursor = await connection.execute(_GET_PREFERENCES, [tenant_id, user_id])
            row = await cursor.fetchone()
        if row is None:
            return UserPreferences(tenant_id=tenant_id, user_id=user_id)
        values = dict(zip(_PREFERENCE_COLUMNS, row, strict=True))
        return UserPreferences(tenant_id=tenant_id, user_id=user_id, **values)

    async def put_preferences(self, preferences: UserPreferences) -> None:
        """Insert or replace the user's preferences."""
        values = [getattr(preferences, name) for name in _PREFERENCE_COLUMNS]
        async with self._pool.connection() as connection:
            await connection.execute(
                _PUT_PREFERENCES, [preferences.tenant_id, preferences.user_id, *values]
            )

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
        """Note where the user talked to the bot: one upsert that touches only these columns.

        A personal chat becomes the user's reminder conversation; a time zone Teams reported is
        kept when it is a known IANA name, the client's language when the turn had one. Other
        columns (digest, pause, chosen language) are left alone, so a concurrent
        `put_preferences` on another replica is not overwritten.
        """
        zone = time_zone if time_zone and zone_or_none(time_zone) is not None else None
        async with self._pool.connection() as connection:
            await connection.execute(
                _REMEMBER_USER,
                {
                    "tenant_id": tenant_id,
                    "user_id": user_id,
                    "conversation_id": conversation_id,
                    "personal": conversation_id if is_personal else None,
                    "zone": zone,
                    "language": client_language,
                },
            )


def _token(location: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(location)
    except ValueError:
        return None
