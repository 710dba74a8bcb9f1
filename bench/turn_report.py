"""The turn benchmark's plan, its figures and the report printed from them (bench/turns.py runs
the rounds)."""

from __future__ import annotations

import os
import platform
import statistics
from dataclasses import dataclass, field
from datetime import datetime
from importlib import metadata

from bench.targets import Target

CONCURRENCIES = (1, 4, 16)
SCENARIOS = ("bare", "echo", "help", "assess")
LABELS = {
    "bare": "bare aiohttp",
    "echo": "stock EchoBot",
    "help": "help turn",
    "assess": "assess turn",
}
BASELINE = "echo"
# The bare handler is ~100x cheaper than a bot turn: give it more turns so its figure is stable.
TURN_MULTIPLIER = {"bare": 10, "echo": 1, "help": 1, "assess": 1}


@dataclass(frozen=True)
class Plan:
    """How much to run: rounds, turns per scenario per round at each concurrency, warm-up turns."""

    rounds: int
    turns: dict[int, int]
    warmup_turns: int
    profile_turns: int = 160

    @staticmethod
    def full() -> Plan:
        return Plan(rounds=5, turns={1: 60, 4: 120, 16: 240}, warmup_turns=32)

    @staticmethod
    def quick() -> Plan:
        return Plan(rounds=2, turns={1: 8, 4: 16, 16: 32}, warmup_turns=16)


# --- figures --------------------------------------------------------------------------------------


@dataclass
class Batch:
    """One scenario at one concurrency in one round."""

    turns: int
    seconds: float
    cpu_seconds: float
    latencies: list[float]
    sends: int
    errors: int

    @property
    def rate(self) -> float:
        return self.turns / self.seconds if self.seconds > 0 else 0.0


@dataclass
class Result:
    """Every batch of one scenario at one concurrency."""

    batches: list[Batch] = field(default_factory=list)

    @property
    def turns(self) -> int:
        return sum(b.turns for b in self.batches)

    @property
    def rate(self) -> float:
        seconds = sum(b.seconds for b in self.batches)
        return self.turns / seconds if seconds > 0 else 0.0

    @property
    def cpu_ms_per_turn(self) -> float:
        return 1000 * sum(b.cpu_seconds for b in self.batches) / max(self.turns, 1)

    @property
    def sends_per_turn(self) -> float:
        return sum(b.sends for b in self.batches) / max(self.turns, 1)

    @property
    def errors(self) -> int:
        return sum(b.errors for b in self.batches)

    def percentile_ms(self, fraction: float) -> float:
        values = sorted(x for b in self.batches for x in b.latencies)
        if not values:
            return float("nan")
        rank = min(len(values) - 1, max(0, round(fraction * len(values) + 0.5) - 1))
        return 1000 * values[rank]


@dataclass
class Report:
    plan: Plan
    started: datetime
    results: dict[tuple[str, int], Result]
    startup_ms: float
    data_dir_fs: str
    rss_kib: int = 0
    hwm_kib: int = 0
    profile: str = ""
    wall_seconds: float = 0.0
    import_ms: float | None = None


# --- the report -----------------------------------------------------------------------------------


def _ratio(
    results: dict[tuple[str, int], Result], key: str, concurrency: int
) -> tuple[float, float, float]:
    """Throughput vs the EchoBot: per round scenario rate / EchoBot rate; median, min, max."""
    paired = zip(
        results[(BASELINE, concurrency)].batches, results[(key, concurrency)].batches, strict=True
    )
    ratios = [other.rate / base.rate for base, other in paired if base.rate > 0]
    if not ratios:
        return float("nan"), float("nan"), float("nan")
    return statistics.median(ratios), min(ratios), max(ratios)


def _fmt_ratio(value: float) -> str:
    if value != value:  # nan
        return "n/a"
    if value < 0.1:
        return f"{value:.3f}x"
    return f"{value:.2f}x" if value < 10 else f"{value:.1f}x"


def versions() -> str:
    def version(name: str) -> str:
        try:
            return metadata.version(name)
        except metadata.PackageNotFoundError:
            return "?"

    return (
        f"Python {platform.python_version()}  botbuilder {version('botbuilder-core')}  "
        f"aiohttp {version('aiohttp')}  msrest {version('msrest')}"
    )


def _header(report: Report) -> list[str]:
    plan = report.plan
    per_round = ", ".join(f"c={c}: {plan.turns[c]}" for c in CONCURRENCIES)
    return [
        f"CSF bot turn benchmark  {report.started:%Y-%m-%d %H:%M %Z}",
        f"{versions()}  {platform.system()} {platform.machine()}, {os.cpu_count()} CPUs",
        "loopback 127.0.0.1; servers in one process (bench/servers.py), client and fake "
        f"connector in this one; {plan.rounds} interleaved rounds; "
        f"DATA_DIR on {report.data_dir_fs}",
        f"turns per scenario per round: {per_round} (bare aiohttp x{TURN_MULTIPLIER['bare']})",
    ]


def _table(results: dict[tuple[str, int], Result]) -> list[str]:
    lines = [
        f"{'scenario':<15}{'conc':>5}{'turns':>7}{'turns/s':>10}{'p50 ms':>9}{'p99 ms':>9}"
        f"{'CPU ms/turn':>13}{'sends/turn':>12}{'errors':>8}{'vs EchoBot':>13}",
        "-" * 101,
    ]
    for concurrency in CONCURRENCIES:
        for key in SCENARIOS:
            result = results[(key, concurrency)]
            if key == BASELINE:
                ratio = "1 (base)"
            else:
                ratio = _fmt_ratio(_ratio(results, key, concurrency)[0])
            lines.append(
                f"{LABELS[key]:<15}{concurrency:>5}{result.turns:>7}{result.rate:>10.1f}"
                f"{result.percentile_ms(0.50):>9.1f}{result.percentile_ms(0.99):>9.1f}"
                f"{result.cpu_ms_per_turn:>13.2f}{result.sends_per_turn:>12.2f}"
                f"{result.errors:>8}{ratio:>13}"
            )
        lines.append("")
    return lines


def _footer(report: Report) -> list[str]:
    lines = []
    if report.import_ms is not None:
        lines.append(f"import of botbuilder + msrest + the bot: {report.import_ms:.0f} ms")
    lines += [
        f"start-up, create_app -> first 200 from /healthz: {report.startup_ms:.1f} ms",
        f"servers' process RSS after the run: {report.rss_kib / 1024:.1f} MiB "
        f"(peak {report.hwm_kib / 1024:.1f} MiB; every server, not the bot alone)",
        f"run time: {report.wall_seconds:.1f} s",
    ]
    return lines


def _ratios(results: dict[tuple[str, int], Result]) -> list[str]:
    lines = [
        "ratios: throughput vs the stock EchoBot at the same concurrency",
        "  (scenario turns/s / EchoBot turns/s, paired per round; median [min-max] over rounds;",
        "   above 1 = more turns per second than the EchoBot)",
    ]
    for key in ("bare", "help", "assess"):
        for concurrency in CONCURRENCIES:
            median, low, high = _ratio(results, key, concurrency)
            name = f"{LABELS[key]} vs EchoBot @{concurrency}:"
            lines.append(
                f"  {name:<30}{_fmt_ratio(median):>8}  [{_fmt_ratio(low)}-{_fmt_ratio(high)}]"
            )
    lines += _targets(results)
    lines.append("latency")
    for key, short in (("echo", "EchoBot"), ("help", "help"), ("assess", "assess")):
        for concurrency in CONCURRENCIES:
            result = results[(key, concurrency)]
            p50 = f"p50 {short} @{concurrency}:"
            p99 = f"p99 {short} @{concurrency}:"
            lines.append(
                f"  {p50:<18}{result.percentile_ms(0.5):7.1f} ms"
                f"    {p99:<18}{result.percentile_ms(0.99):7.1f} ms"
            )
    return lines


def turn_targets(results: dict[tuple[str, int], Result]) -> list[Target]:
    """The assess turn's targets (issues 9 and 20), with the figures they are judged on."""
    median, low, high = _ratio(results, "assess", 16)
    p99 = results[("assess", 4)].percentile_ms(0.99)
    return [
        Target(
            "assess turn >= 5x the stock EchoBot's turns/s @16 (median of rounds)",
            f"{_fmt_ratio(median)} [{_fmt_ratio(low)}-{_fmt_ratio(high)}]",
            median >= 5,
        ),
        Target("assess turn p99 <= 50 ms @4", f"{p99:.1f} ms", p99 <= 50),
    ]


def _targets(results: dict[tuple[str, int], Result]) -> list[str]:
    return ["targets (assess turn)", *(target.line() for target in turn_targets(results))]


def format_report(report: Report) -> str:
    """The header, the table, start-up and memory, the ratios, and the profile if taken."""
    lines = [*_header(report), "", *_table(report.results), *_footer(report), ""]
    lines += _ratios(report.results)
    if report.profile:
        lines += ["", report.profile.rstrip()]
    return "\n".join(lines)
