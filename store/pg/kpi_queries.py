"""The partner KPIs and health bands of a portfolio selection, counted by PostgreSQL.

The same figures `engagement.kpis.KpiTally` counts in Python (the contract tests hold the two
together): one scan of the tenant's summaries counting the totals, bands, phases, levels, stages
and the renewal pipeline at once (`count(*) FILTER` columns: no sort, no hash), and one query
each over the reviews and renewal outcomes of the fiscal year (served by partial indexes).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from psycopg import AsyncConnection

from engagement.health_factors import Band
from engagement.kpis import PIPELINE_DAYS, Kpis, fiscal_year, net_promoter_score
from engagement.models import LifecycleStage, MaturityLevel, Phase
from engagement.portfolio import BAND_ORDER


def _conditions(selection: str) -> list[tuple[tuple[str, Any], str]]:
    """(what, condition) of every count the figures need, all from one scan of the tenant."""
    conditions: list[tuple[tuple[str, Any], str]] = [
        (("stored", None), "true"),
        (("stale", None), "as_of < %(stale_before)s"),
        (("selected", None), selection),
        (("overdue", None), f"{selection} AND renewal_date < %(today)s"),
    ]
    conditions += [
        (("pipeline", days), f"{selection} AND renewal_date >= %(today)s"
         f" AND renewal_date <= %(in_{days})s")
        for days in PIPELINE_DAYS
    ]  # fmt: skip
    conditions += [(("band", b), f"{selection} AND band = '{b.value}'") for b in BAND_ORDER]
    conditions += [(("phase", p), f"{selection} AND phase = '{p.value}'") for p in Phase]
    conditions += [(("level", v), f"{selection} AND level = '{v.value}'") for v in MaturityLevel]
    conditions.append((("level", None), f"{selection} AND level IS NULL"))
    conditions += [(("stage", v), f"{selection} AND stage = '{v.value}'") for v in LifecycleStage]
    return conditions


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
    tenant: str,
    selection: str,
    parameters: dict[str, Any],
    now: datetime,
    fiscal_start_month: int,
) -> tuple[tuple[int, int, int], Kpis, dict[Band, int]]:
    """(stored, stale, selected), the KPIs and the customers per health band of the summaries
    `selection` picks among those `tenant` picks (clauses with named `parameters`), at `now`:
    one scan of the tenant's rows counting everything at once, and the fiscal year's reviews
    and renewal outcomes (partial indexes: only customers that have any)."""
    today = now.date()
    year = fiscal_year(today, fiscal_start_month)
    values = {
        **parameters,
        "today": today,
        "year_start": _midnight(year.start),
        "year_end": _midnight(year.end),
        **{f"in_{days}": today + timedelta(days=days) for days in PIPELINE_DAYS},
    }
    conditions = _conditions(selection)
    columns = ", ".join(f"count(*) FILTER (WHERE {condition})" for _, condition in conditions)
    query = f"SELECT {columns} FROM customer_summaries WHERE {tenant}"
    row = await (await connection.execute(query, values)).fetchone()
    counted = dict(zip((what for what, _ in conditions), row or (), strict=False))
    where = f"{tenant} AND {selection}"
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
        customers=counted[("selected", None)],
        csat_average=sum(c * n for c, n in csats) / reviewed if reviewed else None,
        csat_reviews=reviewed,
        nps=net_promoter_score(npss),
        renewals={days: counted[("pipeline", days)] for days in PIPELINE_DAYS},
        renewals_overdue=counted[("overdue", None)],
        by_phase={p: counted[("phase", p)] for p in Phase if p != Phase.CLOSED},
        by_level={v: counted[("level", v)] for v in [*MaturityLevel, None]},
        renewed=renewed,
        lost=sum(lost.values()),
        lost_reasons=dict(sorted(lost.items(), key=lambda item: (-item[1], item[0]))),
        by_stage={v: counted[("stage", v)] for v in LifecycleStage},
    )
    totals = (counted[("stored", None)], counted[("stale", None)], counted[("selected", None)])
    return totals, kpis, {band: counted[("band", band)] for band in BAND_ORDER}
