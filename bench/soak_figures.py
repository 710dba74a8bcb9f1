"""Figures of the reminder soak (bench/reminder_soak.py) from the connector's request times."""

from __future__ import annotations

import itertools
from collections import Counter


def main_phase_end(requests: list[float], up: list[tuple[float, float]], end: float) -> float:
    """The first pause of more than 5 s between two requests of one process (after it only
    reminders waiting for their `retry_at`, a minute or more, are left), else `end`."""
    for start, stop in up:
        mine = sorted(t for t in requests if start <= t <= stop)
        pause = next((a for a, b in itertools.pairwise(mine) if b - a > 5), None)
        if pause is not None:
            return pause
    return end


def sending_rate(
    requests: list[float], up: list[tuple[float, float]], until: float
) -> tuple[float, float]:
    """Requests per second until `until`, each process counted from its first request to the
    end of its interval in `up` (restarting is not sending time): (rate, sending seconds)."""
    active = 0.0
    count = 0
    for start, stop in up:
        inside = sorted(t for t in requests if start <= t <= min(stop, until))
        if inside:
            active += min(stop, until) - inside[0]
            count += len(inside)
    return (count / active if active else 0.0), active


def duplicates_by_crash(
    accepted: list[tuple[float, str]], crashes: list[tuple[float, str]]
) -> dict[str, int]:
    """Each repeated acceptance, by the crash that came between it and the one before it."""
    found: Counter[str] = Counter()
    last: dict[str, float] = {}
    for at, reminder in sorted(accepted):
        if reminder in last:
            between = [
                f"{n + 1}. {name}" for n, (t, name) in enumerate(crashes) if last[reminder] < t < at
            ]
            found[between[0] if between else "no crash in between"] += 1
        last[reminder] = at
    return dict(found)
