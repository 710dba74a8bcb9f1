"""Customer summaries as rows of `customer_summaries` (migrations/0003), and back.

Written in the same transaction as the customer they summarise (store/pg/customers.py), so a
summary is never older than a committed customer save; a newer stored summary is never replaced
by an older one (`version`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from psycopg import AsyncConnection
from psycopg.types.json import Json

from engagement.health_factors import Band, HealthPolicy
from engagement.models import Customer, LifecycleStage, MaturityLevel, Phase
from engagement.portfolio import BAND_RANK
from engagement.summary import CustomerSummary, RenewalFact, ReviewScore, summarize

COLUMNS = (
    "tenant_id, customer_id, version, name, name_key, owner_id, owner_name, iteration, phase, "
    "level, score, band, band_rank, renewal_date, last_touch, license_utilisation, stage, as_of, "
    "reviews, renewal_outcomes"
)
_UPSERT = f"""
INSERT INTO customer_summaries ({COLUMNS})
VALUES ({", ".join(["%s"] * 20)})
ON CONFLICT (tenant_id, customer_id) DO UPDATE SET
    version = EXCLUDED.version, name = EXCLUDED.name, name_key = EXCLUDED.name_key,
    owner_id = EXCLUDED.owner_id, owner_name = EXCLUDED.owner_name,
    iteration = EXCLUDED.iteration, phase = EXCLUDED.phase, level = EXCLUDED.level,
    score = EXCLUDED.score, band = EXCLUDED.band, band_rank = EXCLUDED.band_rank,
    renewal_date = EXCLUDED.renewal_date, last_touch = EXCLUDED.last_touch,
    license_utilisation = EXCLUDED.license_utilisation, stage = EXCLUDED.stage,
    as_of = EXCLUDED.as_of, reviews = EXCLUDED.reviews,
    renewal_outcomes = EXCLUDED.renewal_outcomes
WHERE customer_summaries.version <= EXCLUDED.version
"""
_PHASES = {phase.value: phase for phase in Phase}
_LEVELS = {level.value: level for level in MaturityLevel}
_BANDS = {band.value: band for band in Band}
_STAGES = {stage.value: stage for stage in LifecycleStage}


def parameters(summary: CustomerSummary) -> list[Any]:
    """The values of one `customer_summaries` row, in `COLUMNS` order."""
    reviews = [[r.closed_at.isoformat(), r.csat, r.nps] for r in summary.reviews]
    outcomes = [[o.at.isoformat(), o.renewed, o.reason] for o in summary.renewal_outcomes]
    return [
        summary.tenant_id,
        summary.customer_id,
        summary.version,
        summary.name,
        summary.name.casefold(),
        summary.owner_id,
        summary.owner_name,
        summary.iteration,
        summary.phase.value,
        summary.level.value if summary.level else None,
        summary.score,
        summary.band.value,
        BAND_RANK[summary.band],
        summary.renewal_date,
        summary.last_touch,
        summary.license_utilisation,
        summary.stage.value if summary.stage else None,
        summary.as_of,
        Json(reviews) if reviews else None,
        Json(outcomes) if outcomes else None,
    ]


def summary_of(row: Sequence[Any]) -> CustomerSummary:
    """The summary of a row selected as `COLUMNS`."""
    (tenant_id, customer_id, version, name, _key, owner_id, owner_name, iteration, phase) = row[:9]
    level, score, band, _rank, renewal, touched, used, stage, as_of, reviews, outcomes = row[9:]
    return CustomerSummary(
        tenant_id=tenant_id,
        customer_id=customer_id,
        version=int(version),
        name=name,
        owner_id=owner_id,
        owner_name=owner_name,
        iteration=iteration,
        phase=_PHASES[phase],
        level=_LEVELS[level] if level else None,
        score=score,
        band=_BANDS[band],
        renewal_date=renewal,
        last_touch=touched,
        license_utilisation=used,
        reviews=tuple(ReviewScore(datetime.fromisoformat(c), s, n) for c, s, n in reviews or ()),
        as_of=as_of,
        renewal_outcomes=tuple(
            RenewalFact(datetime.fromisoformat(at), renewed, reason)
            for at, renewed, reason in outcomes or ()
        ),
        stage=_STAGES[stage] if stage else None,
    )


async def write_summaries(
    connection: AsyncConnection,
    customers: Iterable[Customer],
    now: datetime,
    policy: HealthPolicy,
) -> None:
    """Upsert the summaries of `customers` as stored (their `version` is the stored one)."""
    rows = [parameters(summarize(customer, now, policy)) for customer in customers]
    if not rows:
        return
    async with connection.cursor() as cursor:
        await cursor.executemany(_UPSERT, rows)
