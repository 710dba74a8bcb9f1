"""Reminder soak: 1,000 due reminders, a misbehaving Teams, and a bot killed three times.

`python -m bench.reminder_soak [--reminders 1000] [--gone 50] [--rate 20] [--uncertain N]`

Not a test (nothing asserts): it prints what happened. On 127.0.0.1 only:

1. A data directory is seeded with `--reminders` customers, each with its own owner whose personal
   chat with the bot is known, each with a check-in due (every owner gets exactly one card).
2. A fake Teams connector answers each send with 429 (Retry-After: 1) 12 % of the time, 500 12 %,
   hangs 1 % (never answers: the bot must time out), and 403 for `--gone` of the conversations;
   everything else is accepted (201 with an id) and recorded with the reminder ids in the card.
3. `python app.py` runs over that directory (reminders at any hour, a sweep every second,
   `REMINDER_TENANT_SENDS_PER_SECOND=--rate`); it is SIGKILLed twice and SIGTERMed once while
   reminders are due, and restarted each time; the run ends when every reminder is delivered or
   undeliverable, or after `--minutes`.

Reported: requests per second reaching the connector while a process was sending (from its first
request to the signal that stops it: a restart, and the shutdown before it, is not sending time),
as a share of the configured per-tenant rate, over the main phase (until the first pause of more
than 5 s) and until 95 % of the reminders were settled (the last ones wait for their `retry_at`
backoff, not for the sender); the same share with each shutdown counted as sending time, and how
long each shutdown took (a SIGTERMed bot starts no new delivery and waits up to 10 s for the
sends in flight, a hanging one included);
delivered / undeliverable (with reasons) / left, from the store's records; duplicates (a reminder
accepted twice) and the crash each one came from: expected only where a process died between
Teams accepting a send and its record; per crash, the possible duplicates (records marked in flight
without an outcome when the process had ended, at most `--uncertain`, OUTBOUND_UNCERTAIN_SENDS)
against the actual ones, and the "possible duplicate" warnings the restarted bots logged.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import signal
import socket
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from aiohttp import web

from bench.soak_figures import duplicates_by_crash, main_phase_end, sending_rate
from bot.settings import Settings
from engagement.clock import FixedClock
from engagement.lifecycle import new_customer
from engagement.models import Person
from engagement.reminder_index import SchedulingCustomerRepository
from engagement.reminder_records import DeliveryState
from engagement.reminders import ReminderPolicy
from store import open_store

ROOT = Path(__file__).resolve().parent.parent
TENANT = "tenant-soak"
ANY_TIME = ReminderPolicy(
    working_hours_start=datetime.min.time(),
    working_hours_end=datetime.max.time().replace(microsecond=0),
    weekend_sending=True,
)


@dataclass
class Connector:
    """The fake Teams connector: fault injection plus a record of every request."""

    gone: set[str]
    rng: random.Random
    requests: list[float] = field(default_factory=list)  # monotonic time of each request
    outcomes: Counter[str] = field(default_factory=Counter)
    accepted: list[tuple[float, str]] = field(default_factory=list)  # (time, reminder id)
    refused: dict[str, float] = field(default_factory=dict)  # gone conversation -> first ask

    def first_accepts(self) -> dict[str, float]:
        """Each accepted reminder's first acceptance time."""
        first: dict[str, float] = {}
        for at, reminder in self.accepted:
            first.setdefault(reminder, at)
        return first

    url: str = ""

    async def send(self, request: web.Request) -> web.Response:
        body = await request.json()
        self.requests.append(time.monotonic())
        conversation = request.match_info["conversation"]
        if conversation in self.gone:
            self.outcomes["403"] += 1
            self.refused.setdefault(conversation, time.monotonic())
            return web.json_response({"error": {"code": "BotNotInConversation"}}, status=403)
        roll = self.rng.random()
        if roll < 0.01:
            self.outcomes["hang"] += 1
            await asyncio.sleep(3600)  # cancelled when the connector stops
        if roll < 0.13:
            self.outcomes["429"] += 1
            return web.json_response(
                {"error": {"code": "Throttled"}}, status=429, headers={"Retry-After": "1"}
            )
        if roll < 0.25:
            self.outcomes["500"] += 1
            return web.json_response({"error": {"code": "ServiceError"}}, status=500)
        self.outcomes["201"] += 1
        now = time.monotonic()
        for reminder_id in reminder_ids(body):
            self.accepted.append((now, reminder_id))
        return web.json_response({"id": f"activity-{len(self.requests)}"}, status=201)


def reminder_ids(node: Any) -> list[str]:
    """The reminder ids of a card (from its Done buttons)."""
    found: list[str] = []
    if isinstance(node, dict):
        data = node.get("data")
        if isinstance(data, dict) and data.get("action") == "reminder_done":
            found.append(str(data.get("reminder")))
        for value in node.values():
            found.extend(reminder_ids(value))
    elif isinstance(node, list):
        for value in node:
            found.extend(reminder_ids(value))
    return found


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


async def seed(data_dir: Path, count: int, connector_url: str) -> list[str]:
    """`count` owners, each with a known personal chat and one customer with a check-in due."""
    now = datetime.now(UTC)
    store = open_store(data_dir)
    try:
        customers = SchedulingCustomerRepository(
            store.customers, store.reminders, ANY_TIME, FixedClock(now)
        )
        conversations = []
        for number in range(count):
            owner = Person(id=f"aad-user-{number}", name=f"User {number}")
            conversation = f"a:soak-{number}"
            conversations.append(conversation)
            await store.references.put(
                TENANT, conversation, reference_for(connector_url, conversation, owner)
            )
            await store.reminders.remember_user_conversation(
                TENANT, owner.id, conversation, is_personal=True
            )
            created = now - timedelta(days=20)
            await customers.add(
                new_customer(TENANT, f"customer-{number}", f"Customer {number}", owner, created)
            )
        return conversations
    finally:
        store.close()


def reference_for(service_url: str, conversation_id: str, user: Person) -> dict[str, Any]:
    return {
        "activityId": None,
        "user": {"id": f"29:{user.id}", "name": user.name, "aadObjectId": user.id},
        "bot": {"id": "28:csf-bot", "name": "Success Framework"},
        "conversation": {
            "id": conversation_id,
            "conversationType": "personal",
            "tenantId": TENANT,
            "isGroup": False,
        },
        "channelId": "msteams",
        "serviceUrl": service_url,
    }


async def records(data_dir: Path, count: int) -> tuple[Counter[str], Counter[str]]:
    """States of every reminder record, and the reasons of the undeliverable ones."""
    store = open_store(data_dir)
    states: Counter[str] = Counter()
    reasons: Counter[str] = Counter()
    try:
        for number in range(count):
            found = await store.reminders.records(TENANT, f"customer-{number}")
            if not found:
                states["no record"] += 1
            for record in found.values():
                states[record.state.value] += 1
                if record.state == DeliveryState.UNDELIVERABLE:
                    reasons[record.last_error] += 1
    finally:
        store.close()
    return states, reasons


class Bot:
    """`python app.py` over the soak's data directory; started, killed and restarted."""

    def __init__(self, data_dir: Path, rate: float, log: Path, uncertain: int) -> None:
        self.env = {
            **os.environ,
            "DATA_DIR": str(data_dir),
            "HOST": "127.0.0.1",
            "PORT": str(free_port()),
            "MicrosoftAppId": "",
            "LOG_LEVEL": "WARNING",
            "REMINDER_SWEEP_SECONDS": "1",
            "REMINDER_WORKDAY_START": "00:00",
            "REMINDER_WORKDAY_END": "23:59",
            "REMINDER_WEEKENDS": "true",
            "REMINDER_TENANT_SENDS_PER_SECOND": f"{rate:g}",
            "OUTBOUND_UNCERTAIN_SENDS": str(uncertain),
        }
        self.log = log
        self.process: asyncio.subprocess.Process | None = None
        self.up: list[tuple[float, float]] = []  # (started, told to stop) monotonic
        self.lived: list[tuple[float, float]] = []  # (started, ended): with the shutdown
        self._started = 0.0

    async def start(self) -> None:
        with self.log.open("ab") as sink:
            self.process = await asyncio.create_subprocess_exec(
                sys.executable, "app.py", cwd=ROOT, env=self.env, stdout=sink, stderr=sink
            )
        self._started = time.monotonic()

    async def stop(self, how: signal.Signals) -> float:
        """Signal the process and wait for its end; returns when it ended (monotonic)."""
        assert self.process is not None
        self.process.send_signal(how)
        signalled = time.monotonic()
        await self.process.wait()
        ended = time.monotonic()
        self.up.append((self._started, signalled))
        self.lived.append((self._started, ended))
        self.process = None
        return ended


async def soak(args: argparse.Namespace) -> dict[str, Any]:
    rng = random.Random(args.seed)
    work = Path(tempfile.mkdtemp(prefix="reminder-soak-"))
    data_dir = work / "data"
    connector = Connector(gone=set(), rng=rng)
    app = web.Application()
    app.router.add_post("/v3/conversations/{conversation}/activities", connector.send)
    app.router.add_post("/v3/conversations/{conversation}/activities/{activity}", connector.send)
    runner = web.AppRunner(app, shutdown_timeout=1)
    await runner.setup()
    port = free_port()
    site = web.TCPSite(runner, "127.0.0.1", port)
    await site.start()
    connector.url = f"http://127.0.0.1:{port}"
    print(f"seeding {args.reminders} customers in {data_dir} ...", file=sys.stderr)
    conversations = await seed(data_dir, args.reminders, connector.url)
    connector.gone = set(rng.sample(conversations, args.gone))
    bot = Bot(data_dir, args.rate, work / "bot.log", args.uncertain)
    # Killed when 15 %, 40 % and 65 % of the reminders are settled: always while many are due.
    kills = [(0.15, signal.SIGKILL), (0.40, signal.SIGKILL), (0.65, signal.SIGTERM)]
    crashes: list[tuple[float, str]] = []
    marked: list[int] = []  # records marked in flight but not recorded, at each crash
    began = time.monotonic()
    await bot.start()
    deadline = began + args.minutes * 60
    done_at: float | None = None
    try:
        while time.monotonic() < deadline:
            await asyncio.sleep(0.1)
            settled = len({reminder for _, reminder in connector.accepted}) + len(connector.refused)
            if kills and settled >= kills[0][0] * args.reminders:
                _, how = kills.pop(0)
                print(
                    f"{time.monotonic() - began:6.1f} s, {settled} settled: {how.name}",
                    file=sys.stderr,
                )
                # A crash is dated when the process has gone: what was accepted before came
                # from the old process (a dying process may still have sends in flight).
                crashes.append((await bot.stop(how), how.name))
                marked.append((await records(data_dir, args.reminders))[0]["sending"])
                await bot.start()
            if not kills and settled >= args.reminders:
                done_at = time.monotonic()
                break
    finally:
        if bot.process is not None:
            await bot.stop(signal.SIGTERM)
        await runner.cleanup()
    states, reasons = await records(data_dir, args.reminders)
    repeated = duplicates_by_crash(connector.accepted, crashes)
    log_text = (work / "bot.log").read_text(errors="replace")
    accepted = Counter(reminder for _, reminder in connector.accepted)
    end = done_at or time.monotonic()
    main_end = main_phase_end(connector.requests, bot.up, end)
    rate, active = sending_rate(connector.requests, bot.up, main_end)
    # Until 95 % were settled: the rest wait for their retry_at (backoff), not for the sender.
    settled_at = sorted([*connector.first_accepts().values(), *connector.refused.values()])
    t95 = settled_at[max(0, int(0.95 * args.reminders) - 1)] if settled_at else end
    rate95, active95 = sending_rate(connector.requests, bot.up, t95)
    # The same with each shutdown counted as sending time (a SIGTERMed bot starts no new
    # delivery but waits up to 10 s for sends in flight, e.g. a hanging one).
    with_shutdowns, _ = sending_rate(connector.requests, bot.lived, main_end)
    return {
        "reminders": args.reminders,
        "configured_tenant_rate_per_s": args.rate,
        "seconds_until_all_settled": round(end - began, 1),
        "main_phase_seconds": round(main_end - began, 1),
        "bot_sending_seconds_in_main_phase": round(active, 1),
        "requests": len(connector.requests),
        "requests_per_s_while_sending": round(rate, 2),
        "share_of_configured_rate": f"{100 * rate / args.rate:.0f} %",
        "share_of_configured_rate_counting_shutdowns": f"{100 * with_shutdowns / args.rate:.0f} %",
        "shutdown_seconds": [
            round(ended - told, 1) for (_, told), (_, ended) in zip(bot.up, bot.lived, strict=True)
        ],
        "seconds_until_95_percent_settled": round(t95 - began, 1),
        "requests_per_s_until_95_percent_settled": round(rate95, 2),
        "share_of_configured_rate_until_95_percent_settled": f"{100 * rate95 / args.rate:.0f} %",
        "bot_sending_seconds_until_95_percent_settled": round(active95, 1),
        "connector_outcomes": dict(connector.outcomes),
        "delivered_unique": len(accepted),
        "duplicates": sum(n - 1 for n in accepted.values() if n > 1),
        "duplicates_by_crash": repeated,
        "uncertain_sends": args.uncertain,
        "per_crash_possible_vs_actual_duplicates": {
            f"{n + 1}. {name}": {"possible": count, "actual": repeated.get(f"{n + 1}. {name}", 0)}
            for n, ((_, name), count) in enumerate(zip(crashes, marked, strict=True))
        },
        "possible_duplicates_logged": log_text.count("possible duplicate"),
        "record_states": dict(states),
        "undeliverable_reasons": dict(reasons),
        "note": "a crash can repeat the sends Teams accepted but the bot had not recorded: "
        "`possible` counts the records marked in flight when it died (at most uncertain_sends)",
        "bot_log": str(work / "bot.log"),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.reminder_soak", description=__doc__)
    parser.add_argument("--reminders", type=int, default=1000)
    parser.add_argument("--gone", type=int, default=50, help="conversations answering 403")
    parser.add_argument("--rate", type=float, default=20.0, help="sends/s per tenant")
    parser.add_argument("--minutes", type=float, default=6.0, help="give up after this long")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--uncertain",
        type=int,
        default=Settings.model_fields["outbound_uncertain_sends"].default,
        help="OUTBOUND_UNCERTAIN_SENDS: sends in flight but not recorded, at most",
    )
    args = parser.parse_args(argv)
    report = asyncio.run(soak(args))
    print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
