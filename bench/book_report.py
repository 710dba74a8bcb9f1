"""The report of bench/book.py: figures per book size, then issue 20's targets, met or not."""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from typing import Any

from bench.targets import Target

WIDTH = 26
TURNS = [
    ("status turn", "status"),
    ("touch turn", "touch"),
    ("assess turn (question 1)", "assess"),
    ("portfolio turn (page 1)", "portfolio"),
    ("concurrent status p99", "concurrent_p99"),
    ("concurrent status max", "concurrent_max"),
    ("portfolio mine turn", "mine"),
    ("portfolio renewals 90 turn", "renewals"),
    ("kpis turn", "kpis"),
    ("customers turn", "customers"),
]
WORK = [  # (label, result group, key, format)
    ("summary build, s", "", "build_{c}_s", ".2f"),
    ("reminder index build, s", "first_start_{c}", "build_s", ".2f"),
    ("  loop stall max, ms", "first_start_{c}", "build_stall_ms", ".0f"),
    ("find due, first start", "first_start_{c}", "", ""),
    ("export, s", "exchange_{c}", "export_s", ".2f"),
    ("  loop stall max, ms", "exchange_{c}", "export_stall_ms", ".0f"),
    ("import, s", "exchange_{c}", "import_s", ".2f"),
    ("  loop stall max, ms", "exchange_{c}", "import_stall_ms", ".0f"),
    ("find due, after import", "exchange_{c}", "imported_", ""),
]


def spread(values: Sequence[float], scale: float = 1000) -> str:
    med = statistics.median(values) * scale
    return f"{med:8.1f} [{min(values) * scale:.1f}-{max(values) * scale:.1f}]"


def _finds(group: dict[str, Any], prefix: str) -> str:
    """`due` per sweep tick, ms: median of the warm ticks [first (cold) - max]."""
    if f"{prefix}find_p50_ms" not in group:
        return "-"
    p50, first, most = (group[f"{prefix}find_{k}_ms"] for k in ("p50", "first", "max"))
    return f"{p50:.1f} [{first:.1f} cold, max {most:.1f}]"


def format_report(results: dict[str, Any], counts: list[int], rounds: int) -> list[str]:
    lines = [
        f"Book of business: medians of {rounds} interleaved rounds, [min-max] of the rounds, ms",
        f"{'':26}" + "".join(f"{c:>{WIDTH},}" for c in counts),
    ]
    for label, key in TURNS:
        cells = "".join(f"{spread(results[f'samples_{c}'][key]):>{WIDTH}}" for c in counts)
        lines.append(f"{label:<26}{cells}")
    lines.append(
        f"{'bot RSS after, MB':<26}"
        + "".join(f"{results[f'rss_{c}_mb']:>{WIDTH}.0f}" for c in counts)
    )
    lines.append("Work on the whole book, once per size (find due: ms per sweep of 500)")
    for label, group, key, style in WORK:
        cells = ""
        for c in counts:
            if not group:
                cell = format(results[key.format(c=c)], style)
            elif style == "":
                cell = _finds(results.get(group.format(c=c), {}), key)
            else:
                value = results.get(group.format(c=c), {}).get(key)
                cell = "-" if value is None else format(value, style)
            cells += f"{cell:>{WIDTH}}"
        lines.append(f"{label:<26}{cells}")
    errors = {c: results[f"errors_{c}"] for c in counts}
    lines.append(f"failed turns: {errors}")
    lines.extend(_targets(results, counts))
    return lines


NOT_MEASURED = [
    "import of more than 10,000 customers (an export file holds 10,000 at most)",
    "another disk or more cores than this machine's",
]


def book_targets(results: dict[str, Any], counts: list[int]) -> list[Target]:
    """Issue 20's targets judged on this run's figures (medians of the rounds)."""
    small, middle = counts[0], counts[1]
    targets = []
    for count, limit in ((middle, 150), (100_000, 1000)):
        if count in counts:
            ms = statistics.median(results[f"samples_{count}"]["portfolio"]) * 1000
            targets.append(
                Target(f"portfolio at {count:,} <= {limit} ms", f"{ms:.0f} ms", ms <= limit)
            )
    for count in counts[1:]:
        p99 = statistics.median(results[f"samples_{count}"]["concurrent_p99"]) * 1000
        name = f"concurrent status p99 while portfolio runs at {count:,} <= 50 ms"
        targets.append(Target(name, f"{p99:.0f} ms", p99 <= 50))
    for large in counts[1:]:
        for key in ("status", "touch", "assess"):
            pairs = zip(
                results[f"samples_{large}"][key], results[f"samples_{small}"][key], strict=True
            )
            ratios = [big / base for big, base in pairs]
            ratio = statistics.median(ratios)
            targets.append(
                Target(
                    f"{key} turn at {large:,} <= 1.25x at {small}",
                    f"{ratio:.2f}x [{min(ratios):.2f}-{max(ratios):.2f}]",
                    ratio <= 1.25,
                )
            )
    rss = results[f"rss_{middle}_mb"]
    targets.append(
        Target(f"bot RSS after use at {middle:,} <= 150 MB", f"{rss:.0f} MB", rss <= 150)
    )
    seconds = results[f"exchange_{middle}"].get("import_s")
    if seconds is not None:
        targets.append(Target(f"import of {middle:,} <= 30 s", f"{seconds:.1f} s", seconds <= 30))
    for count in counts[1:]:
        group = results[f"exchange_{count}"]
        for work in ("export", "import"):
            stall = group.get(f"{work}_stall_ms")
            if stall is not None:
                name = f"{work} of {count:,}: longest event-loop stall <= 50 ms (the turn p99)"
                targets.append(Target(name, f"{stall:.0f} ms", stall <= 50))
    finds = [
        group[key]
        for c in counts
        for group, key in (
            (results[f"first_start_{c}"], "find_max_ms"),
            (results[f"exchange_{c}"], "imported_find_max_ms"),
        )
        if key in group
    ]
    worst = max(finds)
    targets.append(
        Target(
            f"finding due reminders among {counts[-1]:,} <= 100 ms in every state (worst tick)",
            f"{worst:.0f} ms",
            worst <= 100,
        )
    )
    return targets


def not_measured(counts: list[int]) -> list[str]:
    """What this run of bench/book.py could not measure."""
    missing = [] if 100_000 in counts else ["100,000 customers (run with --big: ~15 minutes)"]
    return missing + NOT_MEASURED


def _targets(results: dict[str, Any], counts: list[int]) -> list[str]:
    lines = ["targets (issue 20):"]
    lines += [target.line() for target in book_targets(results, counts)]
    missing = ["the assess turn vs the stock EchoBot (bench/turns.py)", *not_measured(counts)]
    lines.append("  not measured here: " + "; ".join(missing))
    return lines
