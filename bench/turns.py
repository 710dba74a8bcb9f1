"""Turns per second and latency over loopback, side by side, from one run.

Four scenarios, served by a separate process (bench/servers.py) so that the servers' CPU is spent
on them alone, as in a deployment, and driven from this process by one pooled aiohttp
ClientSession:

    bare    a bare aiohttp handler: parse the JSON body, answer 201 with a small JSON
    echo    the stock botbuilder EchoBot (ActivityHandler + stock CloudAdapter + adapter.process)
    help    this bot's `help` turn through create_app's /api/messages (help card sent)
    assess  this bot's assess dialog, one question answered per turn ("1", then "back", ...)

Replies go to a trivial fake Bot Connector in this process (counts sends; keeps bodies only while a
conversation is being set up). Concurrency N = N workers, each owning one conversation and sending
its next turn when the previous one completed. Rounds interleave every scenario at every
concurrency, so noise on the shared machine hits all of them alike; ratios are computed per round,
then the median is taken.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import datetime
from importlib import metadata
from pathlib import Path
from typing import Any

import aiohttp
from aiohttp import web

from bench.hosting import connector_app, host

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
JSON_HEADERS = {"Content-Type": "application/json"}
BOT_ID = "28:csf-bench-bot"
PROJECT_ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Plan:
    """How much to run: rounds, turns per scenario per round at each concurrency, warm-up turns."""

    rounds: int
    turns: dict[int, int]
    warmup_turns: int
    profile_turns: int = 160

    @staticmethod
    def full() -> Plan:
        return Plan(rounds=3, turns={1: 60, 4: 120, 16: 240}, warmup_turns=32)

    @staticmethod
    def quick() -> Plan:
        return Plan(rounds=2, turns={1: 8, 4: 16, 16: 32}, warmup_turns=16)


# --- the fake Bot Connector ---------------------------------------------------------------------


class FakeConnector:
    """The bot's `serviceUrl`: accepts every send with `{"id": ...}`, counts it, keeps nothing.

    Bodies are parsed and kept only for conversations in `watched` (used while setting up).
    """

    def __init__(self) -> None:
        self.url = ""
        self.sends = 0
        self.watched: dict[str, list[dict[str, Any]]] = {}

    def app(self) -> web.Application:
        async def send(request: web.Request) -> web.Response:
            self.sends += 1
            body = await request.read()
            if self.watched:
                conversation = request.match_info["conversation"]
                if conversation in self.watched:
                    self.watched[conversation].append(json.loads(body))
            return web.Response(body=b'{"id":"bench-1"}', content_type="application/json")

        async def create(request: web.Request) -> web.Response:
            await request.read()
            return web.Response(body=b'{"id":"a:bench-private"}', content_type="application/json")

        return connector_app(send, create)


# --- hosting the connector, and the servers' process ---------------------------------------------


@dataclass
class Servers:
    """The process of bench/servers.py: where each server listens, and its start-up figures."""

    process: asyncio.subprocess.Process
    urls: dict[str, str]
    import_ms: float
    startup_ms: float

    async def stats(self, session: aiohttp.ClientSession) -> dict[str, Any]:
        """The servers' process CPU seconds and memory, from its control server."""
        async with session.get(self.urls["control"] + "/stats") as response:
            stats: dict[str, Any] = await response.json()
            return stats

    async def control(self, session: aiohttp.ClientSession, action: str) -> str:
        async with session.post(self.urls["control"] + action) as response:
            return await response.text()


async def start_servers(data_dir: Path, stack: contextlib.AsyncExitStack) -> Servers:
    """Start `python -m bench.servers <data_dir>` and read the line saying where it listens."""
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bench.servers",
        str(data_dir),
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        cwd=PROJECT_ROOT,
    )

    async def stop() -> None:
        if process.stdin is not None:
            process.stdin.close()  # the servers stop when their standard input closes
        try:
            await asyncio.wait_for(process.wait(), timeout=10)
        except TimeoutError:
            process.kill()  # only the process this benchmark started
            await process.wait()

    stack.push_async_callback(stop)
    assert process.stdout is not None
    line = await asyncio.wait_for(process.stdout.readline(), timeout=60)
    if not line:
        raise RuntimeError("bench.servers exited before it was ready (see its stderr above)")
    ready = json.loads(line)
    urls = {name: ready[name] for name in ("bare", "echo", "bot", "control")}
    return Servers(process, urls, ready["import_ms"], ready["startup_ms"])


# --- Teams-shaped activities ---------------------------------------------------------------------


def activity(service_url: str, conversation_id: str, activity_id: str, **fields: Any) -> bytes:
    """A Teams personal-chat message activity, encoded once.

    A personal chat belongs to one user, so the sender is derived from the conversation id: each
    worker's conversation has its own user, as in Teams (one user with 16 personal chats would
    move the user's "last conversation" on every turn, which no real user does).
    """
    user = "bench-user-" + conversation_id.rsplit(":", 1)[-1]
    body: dict[str, Any] = {
        "type": "message",
        "id": activity_id,
        "timestamp": "2026-11-02T09:30:00.000Z",
        "serviceUrl": service_url,
        "channelId": "msteams",
        "from": {"id": f"29:{user}", "name": "Bench User", "aadObjectId": f"aad-{user}"},
        "conversation": {
            "id": conversation_id,
            "conversationType": "personal",
            "tenantId": "tenant-bench",
            "isGroup": False,
        },
        "recipient": {"id": BOT_ID, "name": "Success Framework"},
        "channelData": {"tenant": {"id": "tenant-bench"}},
        "locale": "en-US",
    }
    body.update(fields)
    return json.dumps(body).encode()


def _walk(node: Any) -> Any:
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from _walk(value)
    elif isinstance(node, list):
        for item in node:
            yield from _walk(item)


def _cards(bodies: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        attachment["content"]
        for body in bodies
        if body.get("type") == "message"
        for attachment in body.get("attachments") or []
        if attachment.get("contentType") == "application/vnd.microsoft.card.adaptive"
    ]


def _button_data(card: dict[str, Any], title: str) -> dict[str, Any]:
    for node in _walk(card):
        if node.get("type") == "Action.Submit" and node.get("title") == title:
            return dict(node.get("data") or {})
    raise RuntimeError(f"no {title!r} button in the card")


# --- conversations and measurement ---------------------------------------------------------------


@dataclass
class Conversation:
    """One conversation owned by one worker: the bodies it cycles through, and where it is."""

    bodies: list[bytes]
    position: int = 0

    def next_body(self) -> bytes:
        body = self.bodies[self.position % len(self.bodies)]
        self.position += 1
        return body


@dataclass
class Scenario:
    key: str
    url: str
    conversations: list[Conversation]


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


async def post(session: aiohttp.ClientSession, url: str, body: bytes) -> int:
    async with session.post(url, data=body, headers=JSON_HEADERS) as response:
        await response.read()
        return response.status


async def run_batch(
    session: aiohttp.ClientSession,
    connector: FakeConnector,
    servers: Servers,
    scenario: Scenario,
    concurrency: int,
    turns: int,
) -> Batch:
    """`concurrency` workers, each sending `turns / concurrency` turns in its own conversation."""
    per_worker = max(1, turns // concurrency)
    latencies: list[float] = []
    errors = 0

    async def worker(conversation: Conversation) -> None:
        nonlocal errors
        for _ in range(per_worker):
            body = conversation.next_body()
            started = time.perf_counter()
            try:
                status = await post(session, scenario.url, body)
            except (TimeoutError, aiohttp.ClientError):
                status = 0
            latencies.append(time.perf_counter() - started)
            if status not in (200, 201):
                errors += 1

    sends_before = connector.sends
    cpu_before = (await servers.stats(session))["cpu_seconds"]
    started = time.perf_counter()
    await asyncio.gather(*(worker(c) for c in scenario.conversations[:concurrency]))
    seconds = time.perf_counter() - started
    cpu_after = (await servers.stats(session))["cpu_seconds"]
    return Batch(
        turns=per_worker * concurrency,
        seconds=seconds,
        cpu_seconds=cpu_after - cpu_before,
        latencies=latencies,
        sends=connector.sends - sends_before,
        errors=errors,
    )


async def start_assessment(
    session: aiohttp.ClientSession,
    connector: FakeConnector,
    bot_url: str,
    conversation_id: str,
    number: int,
) -> Conversation:
    """Bring a conversation to question 1 of a new customer's assessment; check "1" and "back"."""
    url = bot_url + "/api/messages"
    service_url = connector.url

    async def turn(body: bytes) -> list[dict[str, Any]]:
        connector.watched[conversation_id] = []
        status = await post(session, url, body)
        if status not in (200, 201):
            raise RuntimeError(
                f"/api/messages answered {status} while setting up {conversation_id}"
            )
        return _cards(connector.watched.pop(conversation_id))

    def expect(cards: list[dict[str, Any]], text: str) -> None:
        if not cards or text not in json.dumps(cards[-1]):
            raise RuntimeError(
                f"{conversation_id}: expected a card with {text!r}, got {cards!r:.300}"
            )

    cards = await turn(
        activity(service_url, conversation_id, "setup-1", text=f"assess Bench{number}")
    )
    expect(cards, f"New customer: Bench{number}")
    cards = await turn(
        activity(service_url, conversation_id, "setup-2", value=_button_data(cards[0], "Yes"))
    )
    expect(cards, "Question 1 of")
    advance = activity(service_url, conversation_id, "bench-answer", text="1")
    back = activity(service_url, conversation_id, "bench-back", text="back")
    expect(await turn(advance), "Question 2 of")
    expect(await turn(back), "Question 1 of")
    return Conversation([advance, back])


# --- the run --------------------------------------------------------------------------------------


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


def _filesystem_of(path: Path) -> str:
    """The file system type holding `path` (from /proc/mounts), for the header."""
    try:
        mounts = [line.split() for line in Path("/proc/mounts").read_text().splitlines()]
    except OSError:
        return "?"
    resolved = str(path.resolve())
    best = ("", "?")
    for parts in mounts:
        if len(parts) < 3:
            continue
        inside = resolved == parts[1] or resolved.startswith(parts[1].rstrip("/") + "/")
        if inside and len(parts[1]) > len(best[0]):
            best = (parts[1], parts[2])
    return best[1]


def _progress(message: str) -> None:
    sys.stderr.write(message + "\n")
    sys.stderr.flush()


async def build_scenarios(
    session: aiohttp.ClientSession, connector: FakeConnector, servers: Servers
) -> dict[str, Scenario]:
    """Prepare one conversation per worker per scenario."""
    bare, echo, bot = (servers.urls[name] for name in ("bare", "echo", "bot"))
    count = max(CONCURRENCIES)

    def simple(prefix: str, text: str) -> list[Conversation]:
        return [
            Conversation(
                [activity(connector.url, f"a:bench-{prefix}-{i}", f"{prefix}-{i}", text=text)]
            )
            for i in range(count)
        ]

    _progress(f"setting up {count} assess conversations ...")
    assessing = [
        await start_assessment(session, connector, bot, f"a:bench-assess-{i}", i)
        for i in range(count)
    ]
    return {
        "bare": Scenario("bare", bare + "/api/messages", simple("bare", "hello")),
        "echo": Scenario("echo", echo + "/api/messages", simple("echo", "hello")),
        "help": Scenario("help", bot + "/api/messages", simple("help", "help")),
        "assess": Scenario("assess", bot + "/api/messages", assessing),
    }


async def run_rounds(
    session: aiohttp.ClientSession,
    connector: FakeConnector,
    servers: Servers,
    scenarios: dict[str, Scenario],
    plan: Plan,
) -> dict[tuple[str, int], Result]:
    """Warm up, then every scenario at every concurrency in each round (order rotated per round)."""
    _progress("warming up ...")
    for key in SCENARIOS:
        for concurrency in CONCURRENCIES:
            warm = await run_batch(
                session, connector, servers, scenarios[key], concurrency, plan.warmup_turns
            )
            if warm.errors:
                raise RuntimeError(f"{key} @{concurrency}: {warm.errors} turns failed in warm-up")

    results = {(key, c): Result() for key in SCENARIOS for c in CONCURRENCIES}
    for round_index in range(plan.rounds):
        shift = round_index % len(SCENARIOS)
        order = SCENARIOS[shift:] + SCENARIOS[:shift]
        for concurrency in CONCURRENCIES:
            for key in order:
                turns = plan.turns[concurrency] * TURN_MULTIPLIER[key]
                batch = await run_batch(
                    session, connector, servers, scenarios[key], concurrency, turns
                )
                results[(key, concurrency)].batches.append(batch)
                _progress(
                    f"round {round_index + 1}/{plan.rounds} c={concurrency:<2} {key:<6} "
                    f"{batch.turns:>5} turns {batch.seconds:6.2f} s {batch.rate:8.1f}/s"
                )
    return results


async def run(plan: Plan, *, profile: bool = False) -> Report:
    """Start the servers' process and the connector, run the interleaved rounds, stop both."""
    run_started = time.perf_counter()
    started_at = datetime.now().astimezone()
    connector = FakeConnector()
    profile_text = ""
    with tempfile.TemporaryDirectory(prefix="csf-bench-") as temp:
        async with contextlib.AsyncExitStack() as stack:
            served = await host(connector.app())
            stack.push_async_callback(served.close)
            connector.url = served.url + "/"
            session = await stack.enter_async_context(
                aiohttp.ClientSession(
                    connector=aiohttp.TCPConnector(limit=64),
                    timeout=aiohttp.ClientTimeout(total=60),
                )
            )
            servers = await start_servers(Path(temp) / "data", stack)
            scenarios = await build_scenarios(session, connector, servers)
            results = await run_rounds(session, connector, servers, scenarios, plan)
            if profile:
                profile_text = await profile_assess(
                    session, connector, servers, scenarios["assess"], plan
                )
            memory = await servers.stats(session)
            await servers.control(session, "/quit")
        data_dir_fs = _filesystem_of(Path(temp))
    return Report(
        plan=plan,
        started=started_at,
        results=results,
        startup_ms=servers.startup_ms,
        import_ms=servers.import_ms,
        data_dir_fs=data_dir_fs,
        rss_kib=memory["rss_kib"],
        hwm_kib=memory["hwm_kib"],
        profile=profile_text,
        wall_seconds=time.perf_counter() - run_started,
    )


async def profile_assess(
    session: aiohttp.ClientSession,
    connector: FakeConnector,
    servers: Servers,
    scenario: Scenario,
    plan: Plan,
) -> str:
    """cProfile of the servers' event-loop thread during the assess turn at c=16."""
    turns = plan.profile_turns
    _progress(f"profiling assess @16 for {turns} turns ...")
    await servers.control(session, "/profile/start")
    batch = await run_batch(session, connector, servers, scenario, 16, turns)
    text = await servers.control(session, "/profile/stop")
    return (
        f"cProfile of the servers' process, assess turn @16: {batch.turns} turns, "
        f"{batch.rate:.1f} turns/s under the profiler (event-loop thread only)\n{text}"
    )


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


def _targets(results: dict[tuple[str, int], Result]) -> list[str]:
    """Issue 9's targets for the assess turn, with the figures they are judged on."""
    throughput = _ratio(results, "assess", 16)
    p99 = results[("assess", 4)].percentile_ms(0.99)
    return [
        "targets (assess turn)",
        f"  >= 5x the EchoBot's turns/s @16: {_fmt_ratio(throughput[0])} "
        f"[{_fmt_ratio(throughput[1])}-{_fmt_ratio(throughput[2])}] "
        f"-> {'met' if throughput[0] >= 5 else 'NOT met'}",
        f"  p99 <= 50 ms @4: {p99:.1f} ms -> {'met' if p99 <= 50 else 'NOT met'}",
    ]


def format_report(report: Report) -> str:
    """The header, the table, start-up and memory, the ratios, and the profile if taken."""
    lines = [*_header(report), "", *_table(report.results), *_footer(report), ""]
    lines += _ratios(report.results)
    if report.profile:
        lines += ["", report.profile.rstrip()]
    return "\n".join(lines)


def main(quick: bool = False, *, profile: bool = False, rounds: int | None = None) -> str:
    """Run the turn benchmark and return the formatted report."""
    plan = Plan.quick() if quick else Plan.full()
    if rounds is not None:
        plan = Plan(rounds=rounds, turns=plan.turns, warmup_turns=plan.warmup_turns)
    return format_report(asyncio.run(run(plan, profile=profile)))
