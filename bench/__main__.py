"""`python -m bench [--quick] [--big] [--profile] [--rounds N]`: the turn benchmark
(bench/turns.py), the store cost benchmark (bench/store_cost.py) and the big book
(bench/book.py), then one summary of issue 20's targets, met or NOT met, and what this run could
not measure.

See bench/README.md for what each figure means.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib
import inspect
import sys
from pathlib import Path
from typing import Any

STORE_COST = Path(__file__).with_name("store_cost.py")


def _call_store_cost(quick: bool) -> int:
    """Run bench/store_cost.py's `main()` (owned by another benchmark), whatever its signature."""
    module = importlib.import_module("bench.store_cost")
    entry = getattr(module, "main", None)
    if not callable(entry):
        print("bench/store_cost.py has no main(): skipped")
        return 0
    source = STORE_COST.read_text(encoding="utf-8")
    argv = ["--quick"] if quick and "--quick" in source else []
    parameters = list(inspect.signature(entry).parameters.values())
    saved_argv = sys.argv
    sys.argv = ["bench.store_cost", *argv]  # for a main() that calls argparse itself
    try:
        result: Any
        if not parameters or all(p.default is not inspect.Parameter.empty for p in parameters):
            first = parameters[0] if parameters else None
            if first is not None and first.name == "quick":
                result = entry(quick)
            elif first is not None and first.name in {"argv", "args"}:
                result = entry(argv)
            else:
                result = entry()
        elif parameters[0].name == "quick":
            result = entry(quick)
        else:
            result = entry(argv)
        if inspect.iscoroutine(result):
            result = asyncio.run(result)
    except SystemExit as stop:  # an argparse-based main() exits
        result = stop.code
    finally:
        sys.argv = saved_argv
    if isinstance(result, str):
        print(result)
        return 0
    if isinstance(result, int):
        return result
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="a short run (a few seconds per part)")
    parser.add_argument(
        "--profile",
        action="store_true",
        help="also cProfile the assess turn at 16 concurrent conversations; print the top entries",
    )
    parser.add_argument(
        "--rounds", type=int, default=None, help="interleaved rounds (default 5, quick 2)"
    )
    parser.add_argument("--no-store", action="store_true", help="skip bench/store_cost.py")
    parser.add_argument("--no-book", action="store_true", help="skip bench/book.py")
    parser.add_argument(
        "--big", action="store_true", help="bench/book.py also at 100,000 customers (~15 min)"
    )
    args = parser.parse_args(argv)
    if args.rounds is not None and args.rounds < 1:
        parser.error("--rounds must be at least 1")

    from bench import book, turns
    from bench.book_report import book_targets, format_report, not_measured
    from bench.targets import summary
    from bench.turn_report import format_report as format_turns
    from bench.turn_report import turn_targets

    report = turns.measure(args.quick, profile=args.profile, rounds=args.rounds)
    print(format_turns(report))
    sys.stdout.flush()
    targets = turn_targets(report.results)
    missing = []

    if not args.no_store and STORE_COST.exists():
        print()
        print("=" * 30 + " bench/store_cost.py " + "=" * 30)
        sys.stdout.flush()
        _call_store_cost(args.quick)
    if args.no_book:
        missing.append(
            "the big book: portfolio, whole turns at sizes, import, export, RSS, "
            "reminders (run without --no-book)"
        )
    else:
        print()
        print("=" * 30 + " bench/book.py " + "=" * 30)
        sys.stdout.flush()
        rounds = max(args.rounds or 5, 5)  # issue 20: medians of at least five rounds
        results, counts = book.measure(args.quick, args.big, rounds)
        print("\n".join(format_report(results, counts, rounds)))
        targets += book_targets(results, counts)
        missing += not_measured(counts)
    if args.quick:
        missing.insert(
            0,
            "10,000 customers: --quick measures 1,000 instead; its figures are "
            "judged against the 10,000 targets",
        )
    print()
    print("\n".join(summary(targets, missing)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
