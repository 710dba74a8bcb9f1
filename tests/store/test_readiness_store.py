"""The TinyDB readiness store: history per tenant, oldest first; a repeated id is not stored."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from engagement.readiness import ReadinessAssessment, SectionScore
from store import open_store

T0 = datetime(2026, 11, 2, 9, 30, tzinfo=UTC)


def _assessment(assessment_id: str, tenant: str, days: int, total: int) -> ReadinessAssessment:
    return ReadinessAssessment(
        id=assessment_id,
        tenant_id=tenant,
        taken_by_id="u",
        taken_by_name="Ada",
        taken_at=T0 + timedelta(days=days),
        scores={"one": 3},
        sections=(SectionScore(id="only", name="Only", points=total),),
        total=total,
        out_of=100,
        level="High",
    )


async def test_history_is_per_tenant_oldest_first_and_survives_reopening(tmp_path: Path) -> None:
    with open_store(tmp_path) as store:
        assert await store.readiness.history("t1") == []
        assert await store.readiness.add(_assessment("b", "t1", 30, 70))
        assert await store.readiness.add(_assessment("a", "t1", 0, 40))
        assert await store.readiness.add(_assessment("a", "t2", 5, 90))
        assert not await store.readiness.add(_assessment("a", "t1", 60, 10))
    with open_store(tmp_path) as store:
        assert [(a.id, a.total) for a in await store.readiness.history("t1")] == [
            ("a", 40),
            ("b", 70),
        ]
        assert [a.total for a in await store.readiness.history("t2")] == [90]
