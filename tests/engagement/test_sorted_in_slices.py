"""Sorting in slices: runs sorted apart, then merged, give the same order as one sort."""

from __future__ import annotations

import random

from engagement.slices import sorted_in_slices


async def test_runs_merged_are_in_the_order_of_one_sort() -> None:
    rng = random.Random(7)
    items = [(rng.choice("abcxyz"), rng.randrange(100)) for _ in range(53)]
    assert list(await sorted_in_slices(items, run=5)) == sorted(items)
    assert list(await sorted_in_slices([], run=5)) == []
