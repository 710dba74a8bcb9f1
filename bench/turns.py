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
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import aiohttp

from bench.hosting import host
from bench.turn_report import (
    CONCURRENCIES,
    SCENARIOS,
    TURN_MULTIPLIER,
    Batch,
    Plan,
    Report,
    Result,
    format_report,
)
from bench.turn_setup import (
    FakeConnector,
    Servers,
    activity,
    adaptive_cards,
    button_data,
    start_servers,
)

JSON_HEADERS = {"Content-Type": "application/json"}


# --- conversations and measurement ----------------------------------------------------------------


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
        return adaptive_cards(connector.watched.pop(conversation_id))

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
        activity(service_url, conversation_id, "setup-2", value=button_data(cards[0], "Yes"))
    )
    expect(cards, "Question 1 of")
    advance = activity(service_url, conversation_id, "bench-answer", text="1")
    back = activity(service_url, conversation_id, "bench-back", text="back")
    expect(await turn(advance), "Question 2 of")
    expect(await turn(back), "Question 1 of")
    return Conversation([advance, back])


# --- the run --------------------------------------------------------------------------------------


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


def measure(quick: bool = False, *, profile: bool = False, rounds: int | None = None) -> Report:
    """Run the turn benchmark and return its figures."""
    plan = Plan.quick() if quick else Plan.full()
    if rounds is not None:
        plan = Plan(rounds=rounds, turns=plan.turns, warmup_turns=plan.warmup_turns)
    return asyncio.run(run(plan, profile=profile))


def main(quick: bool = False, *, profile: bool = False, rounds: int | None = None) -> str:
    """Run the turn benchmark and return the formatted report."""
    return format_report(measure(quick, profile=profile, rounds=rounds))
