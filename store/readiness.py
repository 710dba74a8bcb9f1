"""TinyReadinessStore: an organisation's readiness self-assessments, one file per tenant."""

from __future__ import annotations

from tinydb import Query

from engagement.readiness import ReadinessAssessment
from store.shards import ShardSet


class TinyReadinessStore:
    """Assessments in `<root>/<2 hex>/<tenant digest>.json`, one document per assessment.

    Implements `engagement.ports.ReadinessStore`. A tenant takes the checklist a few times a
    year, so its file stays small; each call is one small synchronous TinyDB operation.

    Args:
        shards: Where the readiness shards live.
    """

    def __init__(self, shards: ShardSet) -> None:
        self._shards = shards

    async def add(self, assessment: ReadinessAssessment) -> bool:
        """Store the assessment unless the tenant already has one with its id."""
        table = self._shards.table(assessment.tenant_id)
        record = Query()
        same = (record.tenant_id == assessment.tenant_id) & (record.id == assessment.id)
        if table.contains(same):
            return False
        table.insert(assessment.model_dump(mode="json"))
        return True

    async def history(self, tenant_id: str) -> list[ReadinessAssessment]:
        """Every assessment of the tenant, oldest first."""
        documents = self._shards.table(tenant_id).search(Query().tenant_id == tenant_id)
        assessments = [ReadinessAssessment.model_validate(dict(d)) for d in documents]
        return sorted(assessments, key=lambda assessment: assessment.taken_at)
