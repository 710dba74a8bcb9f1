"""PgReadinessStore: an organisation's readiness self-assessments, one row each."""

from __future__ import annotations

from psycopg.types.json import Json
from psycopg_pool import AsyncConnectionPool

from engagement.readiness import ReadinessAssessment

_ADD = """
INSERT INTO readiness_assessments (tenant_id, id, taken_at, doc) VALUES (%s, %s, %s, %s)
ON CONFLICT (tenant_id, id) DO NOTHING
"""


class PgReadinessStore:
    """Implements `engagement.ports.ReadinessStore` over `readiness_assessments`.

    Args:
        pool: The database's connection pool.
    """

    def __init__(self, pool: AsyncConnectionPool) -> None:
        self._pool = pool

    async def add(self, assessment: ReadinessAssessment) -> bool:
        """Store the assessment unless the tenant already has one with its id (one statement,
        so a final submit repeated on two replicas stores it once)."""
        async with self._pool.connection() as connection:
            cursor = await connection.execute(
                _ADD,
                [
                    assessment.tenant_id,
                    assessment.id,
                    assessment.taken_at,
                    Json(assessment.model_dump(mode="json")),
                ],
            )
            return cursor.rowcount == 1

    async def history(self, tenant_id: str) -> list[ReadinessAssessment]:
        """Every assessment of the tenant, oldest first."""
        async with self._pool.connection() as connection:
            cursor = await connection.execute(
                "SELECT doc FROM readiness_assessments WHERE tenant_id = %s ORDER BY taken_at, id",
                [tenant_id],
            )
            rows = await cursor.fetchall()
        return [ReadinessAssessment.model_validate(row[0]) for row in rows]
