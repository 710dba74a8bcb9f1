"""The embedded store's summary rows: a `CustomerSummary` as a compact JSON row and back, and
the bucket files that hold them (see store/summaries.py)."""

from __future__ import annotations

import contextlib
import functools
import os
import sys
from collections.abc import Iterable
from datetime import date, datetime
from pathlib import Path
from typing import Any

import orjson

from engagement.health_factors import Band
from engagement.models import LifecycleStage, MaturityLevel, Phase
from engagement.summary import CustomerSummary, RenewalFact, ReviewScore
from store.shards import SHARD_SUFFIX, digest

# Bucket files per tenant at most: ~100 summaries each at 100,000 customers (256 until 2026-12:
# ~390, a 72 KB file read, rewritten and synced on every save; 4,096 made a bulk write create
# 4,096 files, about 2 s on the development machine's disk). Named in built.json: a tenant
# built with another count is rebuilt (store/summaries.py).
BUCKETS = 1024
_QUARTERS = {char: "048c"[int(char, 16) // 4] for char in "0123456789abcdef"}
BUILT = "built.json"  # see store/summaries.py
_PHASES = {phase.value: phase for phase in Phase}
_LEVELS = {level.value: level for level in MaturityLevel}
_BANDS = {band.value: band for band in Band}
_STAGES = {stage.value: stage for stage in LifecycleStage}
_datetime = datetime.fromisoformat
# Shared objects for values many summaries repeat (a loaded book keeps every summary: 100,000
# equal `as_of` moments, renewal dates and owners need not be 100,000 objects each).
_date = functools.lru_cache(maxsize=8192)(date.fromisoformat)
_moment = functools.lru_cache(maxsize=1024)(datetime.fromisoformat)

Row = list[Any]


def bucket_of(customer_id: str) -> str:
    """The bucket of a customer (see `bucket_of_file`)."""
    return bucket_of_file(digest(customer_id))


def bucket_of_file(name: str) -> str:
    """The bucket of a customer file's name (its id's hex digest): the first two characters and
    the third rounded down to 0, 4, 8 or c, as in `ab8`: BUCKETS of them."""
    return name[:2] + _QUARTERS.get(name[2:3], "0")


def encode(summary: CustomerSummary) -> Row:
    """A summary as a compact JSON row (its tenant and id are the file and the key)."""
    return [
        summary.version,
        summary.name,
        summary.owner_id,
        summary.owner_name,
        summary.iteration,
        summary.phase.value,
        summary.level.value if summary.level else None,
        summary.score,
        summary.band.value,
        summary.renewal_date.isoformat() if summary.renewal_date else None,
        summary.last_touch.isoformat() if summary.last_touch else None,
        summary.license_utilisation,
        [[r.closed_at.isoformat(), r.csat, r.nps] for r in summary.reviews],
        summary.as_of.isoformat(),
        [[o.at.isoformat(), o.renewed, o.reason] for o in summary.renewal_outcomes],
        summary.stage.value if summary.stage else None,
    ]


def decode(tenant_id: str, customer_id: str, row: Row) -> CustomerSummary:
    """The summary of a row written by `encode` (positional and with lookup tables: a
    portfolio decodes every row of the book)."""
    (version, name, owner_id, owner_name, iteration, phase, level, score, band) = row[:9]
    renewal, touched, used, reviews, as_of = row[9:14]
    outcomes = row[14] if len(row) > 14 else None
    stage = row[15] if len(row) > 15 else None
    return CustomerSummary(
        tenant_id,
        customer_id,
        version,
        name,
        sys.intern(owner_id),
        sys.intern(owner_name),
        iteration,
        _PHASES[phase],
        _LEVELS[level] if level else None,
        score,
        _BANDS[band],
        _date(renewal) if renewal else None,
        _datetime(touched) if touched else None,
        used,
        tuple(ReviewScore(_datetime(c), s, n) for c, s, n in reviews) if reviews else (),
        _moment(as_of),
        tuple(RenewalFact(_datetime(at), renewed, reason) for at, renewed, reason in outcomes)
        if outcomes
        else (),
        _STAGES[stage] if stage else None,
    )


def merged(current: dict[str, Row], rows: dict[str, Row], gone: Iterable[str]) -> dict[str, Row]:
    for customer_id, row in rows.items():
        old = current.get(customer_id)
        if old is None or old[0] <= row[0]:  # never replace a newer version
            current[customer_id] = row
    for customer_id in gone:
        current.pop(customer_id, None)
    return current


def read_bucket(path: Path) -> dict[str, Row]:
    with contextlib.suppress(FileNotFoundError):
        content = orjson.loads(path.read_bytes())
        if isinstance(content, dict):
            return content
    return {}


def json_file_names(directory: Path) -> list[str]:
    """The names of the JSON files in `directory`, sorted (none when it is missing)."""
    try:
        with os.scandir(directory) as entries:
            return sorted(
                entry.name
                for entry in entries
                if entry.name.endswith(SHARD_SUFFIX) and not entry.name.startswith(".")
            )
    except FileNotFoundError:
        return []


def bucket_names(directory: Path) -> list[str]:
    """The bucket files of a tenant's summaries directory, sorted (only those of the current
    layout: an earlier one's are ignored until a build removes them)."""
    return [name for name in json_file_names(directory) if _is_bucket(name)]


def other_layout_names(directory: Path) -> list[str]:
    """The bucket files of an earlier layout in a tenant's summaries directory."""
    return [name for name in json_file_names(directory) if name != BUILT and not _is_bucket(name)]


def _is_bucket(name: str) -> bool:
    return len(name) == 3 + len(SHARD_SUFFIX) and name[2] in "048c" and name != BUILT
