"""Which workshops to recommend for a maturity level.

The level's own workshops come first, by rank. When they are fewer than `limit`, workshops of the
adjacent levels fill up: the next level up first, as the growth path the customer is on, then the
level below. If the customer was at a higher level in an earlier iteration (a step back, e.g. a
new team or business unit took over), the level below comes first instead: the basics need
reinforcing before growth. Each workshop appears once, even when it lists several levels.
"""

from __future__ import annotations

from engagement.catalog import Catalog, Workshop
from engagement.models import MaturityLevel


def recommend(
    catalog: Catalog,
    level: MaturityLevel,
    previous_level: MaturityLevel | None = None,
    limit: int = 4,
) -> list[Workshop]:
    """Up to `limit` workshops for a customer at `level`, best first (see the module docstring)."""
    stepped_back = previous_level is not None and previous_level.rank > level.rank
    offsets = (0, -1, 1) if stepped_back else (0, 1, -1)
    chosen: list[Workshop] = []
    for offset in offsets:
        rank = level.rank + offset
        if not 1 <= rank <= len(MaturityLevel):
            continue
        for workshop in catalog.workshops_for(MaturityLevel.from_rank(rank)):
            if len(chosen) >= limit:
                return chosen
            if all(workshop.id != c.id for c in chosen):
                chosen.append(workshop)
    return chosen
