"""The partner KPIs and health bands of a portfolio selection, counted by PostgreSQL.

The same figures `engagement.kpis.KpiTally` counts in Python (the contract tests hold the two
together): one grouped scan of the selected summaries for bands, phases, levels, stages and the
renewal pipeline, and one each over the reviews and renewal outcomes of the fiscal year.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from psycopg import AsyncConnection

from engagement.health_factors import Band
from engagement.kpis import PIPELINE_DAYS, Kpis, fiscal_year, net_promoter_score
from engagement.models import LifecycleStage, MaturityLevel, Phase
from engagement.portfolio import BAND_ORDER

_PHASES = {phase.value: phase for phase in Phase}
_LEVELS = {level.value: level for level in MaturityLevel}
_BANDS = {band.value: band for band in Band}
_STAGES = {stage.value: stage for stage in LifecycleStage}


def _pipeline_columns() -> str:
    """count(*) FILTER columns: overdue, then one per pipeline horizon (0 <= days <= horizon)."""
    columns = ["count(*) FILTER (WHERE renewal_date < %(today)s)"]
    columns += [
        f"count(*) FILTER (WHERE renewal_date >= %(today)s AND renewal_date <= %(in_{days})s)"
        for days in PIPELINE_DAYS
    ]
    return ", ".join(columns)


def _grouped(where: str) -> str:
    return f"""
SELECT GROUPING(band, phase, level, stage), band, phase, level, stage, count(*),
       {_pipeline_columns()}
FROM customer_summaries WHERE {where}
GROUP BY GROUPING SETS ((band), (phase), (level), (stage), ())
"""


def _reviews(where: str) -> str:
    return f"""
SELECT (r->>1)::float8, (r->>2)::int, count(*)
FROM customer_summaries, json_array_elements(reviews) AS r
WHERE {where} AND reviews IS NOT NULL
  AND (r->>0)::timestamptz >= %(year_start)s AND (r->>0)::timestamptz < %(year_end)s
GROUP BY 1, 2
"""


def _outcomes(where: str) -> str:
    return f"""
SELECT (o->>1)::boolean, o->>2, count(*)
FROM customer_summaries, json_array_elements(renewal_outcomes) AS o
WHERE {where} AND renewal_outcomes IS NOT NULL
  AND (o->>0)::timestamptz >= %(year_start)s AND (o->>0)::timestamptz < %(year_end)s
GROUP BY 1, 2
"""


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time(0), UTC)


async def count_figures(
    connection: AsyncConnection,
    where: str,
    parameters: dict[str, Any],
    now: datetime,
    fiscal_start_month: int,
) -> tuple[Kpis, dict[Band, int]]:
    """The KPIs and the customers per health band of the summaries selected by `where`
    (a clause with named parameters `parameters`), at `now`."""
    today = now.date()
    year = fiscal_year(today, fiscal_start_month)
    values = {
        **parameters,
        "today": today,
        "year_start": _midnight(year.start),
        "year_end": _midnight(year.end),
        **{f"in_{days}": today + timedelta(days=days) for days in PIPELINE_DAYS},
    }
    bands = dict.fromkeys(BAND_ORDER, 0)
    phases: dict[Phase, int] = {}
    levels: dict[MaturityLevel | None, int] = {}
    stages: dict[LifecycleStage, int] = {}
    customers, overdue, pipeline = 0, 0, dict.fromkeys(PIPELINE_DAYS, 0)
    for row in await (await connection.execute(_grouped(where), values)).fetchall():
        grouping, band, phase, level, stage, count = row[:6]
        if grouping == 0b0111:
            bands[_BANDS[band]] = count
        elif grouping == 0b1011:
            phases[_PHASES[phase]] = count
        elif grouping == 0b1101:
            levels[_LEVELS[level] if level else None] = count
        elif grouping == 0b1110:
            if stage:
                stages[_STAGES[stage]] = count
        else:
            customers, overdue = count, row[6]
            pipeline = dict(zip(PIPELINE_DAYS, row[7:], strict=True))
    csats: list[tuple[float, int]] = []
    npss: list[int] = []
    for csat, nps, count in await (await connection.execute(_reviews(where), values)).fetchall():
        csats.append((csat, count))
        npss += [nps] * count
    renewed = 0
    lost: dict[str, int] = {}
    for was_renewed, reason, count in await (
        await connection.execute(_outcomes(where), values)
    ).fetchall():
        if was_renewed:
            renewed += count
        else:
            lost[reason] = lost.get(reason, 0) + count
    reviewed = sum(count for _, count in csats)
    kpis = Kpis(
        fiscal_year=year,
        customers=customers,
        csat_average=sum(c * n for c, n in csats) / reviewed if reviewed else None,
        csat_reviews=reviewed,
        nps=net_promoter_score(npss),
        renewals=pipeline,
        renewals_overdue=overdue,
        by_phase={phase: phases.get(phase, 0) for phase in Phase if phase != Phase.CLOSED},
        by_level={level: levels.get(level, 0) for level in [*MaturityLevel, None]},
        renewed=renewed,
        lost=sum(lost.values()),
        lost_reasons=dict(sorted(lost.items(), key=lambda item: (-item[1], item[0]))),
        by_stage={stage: stages.get(stage, 0) for stage in LifecycleStage},
    )
    return kpis, bands
