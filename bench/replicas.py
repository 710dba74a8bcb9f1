"""Replicas as real processes: N `python app.py` on one PostgreSQL database, one SIGKILLed.

`python -m bench.replicas [--reminders 1000] [--replicas 3] [--lease 10] [--rate 50]`
(needs a database: `DATABASE_URL=postgresql://...`, or run it under `scripts/with-test-postgres`,
which exports the `PG*` variables of a throwaway server).

Not a test (nothing asserts; `tests/bot/test_replica_processes.py` runs a smaller copy):

1. The database is emptied; `--reminders` customers will each have their own owner whose
   personal chat is known and a check-in due now (every owner gets exactly one card).
2. A fake Teams connector (a real local HTTP server) accepts every send (201) and notes the
   reminder ids of each card and which replica sent it (the sending socket's process, read
   from /proc).
3. `--replicas` processes start together (reminders at any hour, a sweep every second,
   `REMINDER_LEASE_SECONDS=--lease`, `REMINDER_TENANT_SENDS_PER_SECOND=--rate` each); once
   all answer /healthz the reminders are seeded (they sweep meanwhile: the start).
4. When a quarter of the reminders were accepted and replica 0 is among the senders, its
   further sends are held unanswered (as a network that stopped answering); once what Teams
   accepted from it is recorded, it is SIGKILLed while those sends hang: its claimed customers
   stay claimed until their lease ends, then the others take them. (A kill between Teams
   accepting a send and its record, the one window for a duplicate, is
   `tests/reminders/test_reminder_kill.py`'s subject, not this run's.)

Reported: deliveries per reminder (want exactly 1 each), duplicates, missing, what the killed
replica had sent and had in flight, and the drain time (start to the last first delivery).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import signal
import sys
import time
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import aiohttp
import psycopg
from aiohttp import web

from bench.reminder_soak import ANY_TIME, free_port, reference_for, reminder_ids
from engagement.clock import FixedClock
from engagement.lifecycle import new_customer
from engagement.models import Person
from engagement.reminder_index import SchedulingCustomerRepository
from engagement.reminders import due_reminders
from store.pg import PostgresStore

ROOT = Path(__file__).resolve().parent.parent
TENANT = "tenant-replicas"


def local_ports(pid: int) -> set[int]:
    """The local TCP ports of the sockets process `pid` holds (Linux /proc)."""
    inodes = set()
    try:
        for fd in os.listdir(f"/proc/{pid}/fd"):
            try:
                target = os.readlink(f"/proc/{pid}/fd/{fd}")
            except OSError:  # closed meanwhile
                continue
            if target.startswith("socket:["):
                inodes.add(target[8:-1])
        ports = set()
        for table in ("tcp", "tcp6"):
            with open(f"/proc/{pid}/net/{table}", encoding="ascii") as lines:
                for line in list(lines)[1:]:
                    columns = line.split()
                    if columns[9] in inodes:
                        ports.add(int(columns[1].rsplit(":", 1)[1], 16))
        return ports
    except OSError:  # the process is gone
        return set()


@dataclass
class FakeTeams:
    """The Teams connector: accepts every send, notes its reminder ids and sending process."""

    pids: list[int] = field(default_factory=list)
    accepted: list[tuple[float, str, int]] = field(default_factory=list)  # (time, id, pid)
    held_pid: int | None = None
    held: int = 0
    url: str = ""
    _owners: dict[int, int] = field(default_factory=dict)  # port -> pid
    holding: asyncio.Event = field(default_factory=asyncio.Event)  # a send is held
    _release: asyncio.Event = field(default_factory=asyncio.Event)

    def owner(self, port: int) -> int:
        """The replica process that holds local port `port` (0 when unknown). A cached owner is
        checked again: a closed connection's port may be reused by another replica."""
        cached = self._owners.get(port)
        if cached is not None and port in local_ports(cached):
            return cached
        self._owners = {found: pid for pid in self.pids for found in local_ports(pid)}
        return self._owners.get(port, 0)

    async def send(self, request: web.Request) -> web.Response:
        body = await request.json()
        peer = request.transport.get_extra_info("peername") if request.transport else None
        pid = self.owner(int(peer[1])) if peer else 0
        if self.held_pid is not None and pid in (self.held_pid, 0):  # unknown: maybe doomed
            self.held += 1
            self.holding.set()
            await self._release.wait()  # never accepted: the process dies meanwhile
            return web.json_response({"error": {"code": "ServiceError"}}, status=503)
        now = time.monotonic()
        ids = reminder_ids(body)
        self.accepted.extend((now, reminder_id, pid) for reminder_id in ids)
        return web.json_response({"id": f"activity-{len(self.accepted)}"}, status=201)

    def deliveries(self) -> Counter[str]:
        """How often each reminder id was accepted."""
        return Counter(reminder_id for _, reminder_id, _ in self.accepted)

    async def serve(self) -> web.AppRunner:
        """Start on 127.0.0.1 (a port the OS picks); sets `url`."""
        app = web.Application()
        app.router.add_post("/v3/conversations/{conversation}/activities", self.send)
        app.router.add_post("/v3/conversations/{conversation}/activities/{reply}", self.send)
        runner = web.AppRunner(app, shutdown_timeout=1)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        self.url = f"http://127.0.0.1:{runner.addresses[0][1]}/"
        return runner

    async def stop(self, runner: web.AppRunner) -> None:
        self._release.set()
        await runner.cleanup()


def replica_env(database_url: str, *, lease: float, rate: float) -> dict[str, str]:
    """The environment of one replica (a port of its own is added by `Replica`)."""
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "DATABASE_POOL_SIZE": "4",
        "HOST": "127.0.0.1",
        "MicrosoftAppId": "",
        "LOG_LEVEL": "WARNING",
        "REMINDER_SWEEP_SECONDS": "1",
        "REMINDER_WORKDAY_START": "00:00",
        "REMINDER_WORKDAY_END": "23:59",
        "REMINDER_WEEKENDS": "true",
        "REMINDER_SENDS_PER_SECOND": "7",
        "REMINDER_TENANT_SENDS_PER_SECOND": f"{rate:g}",
        "REMINDER_LEASE_SECONDS": f"{lease:g}",
    }


class Replica:
    """One `python app.py` process on its own port."""

    def __init__(self, env: Mapping[str, str], log: Path) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {**env, "PORT": str(self.port)}
        self.log = log
        self.process: asyncio.subprocess.Process | None = None

    @property
    def pid(self) -> int:
        return self.process.pid if self.process else 0

    async def start(self) -> None:
        with self.log.open("ab") as sink:
            self.process = await asyncio.create_subprocess_exec(
                sys.executable, "app.py", cwd=ROOT, env=self.env, stdout=sink, stderr=sink
            )

    async def healthy(self, session: aiohttp.ClientSession, within: float = 120) -> None:
        """Wait until GET /healthz answers 200 (raises after `within` seconds)."""
        deadline = time.monotonic() + within
        while time.monotonic() < deadline:
            if self.process is not None and self.process.returncode is not None:
                raise RuntimeError(f"replica exited: {self.log.read_text()[-2000:]}")
            try:
                async with session.get(f"{self.url}/healthz") as response:
                    if response.status == 200:
                        return
            except aiohttp.ClientError:
                pass
            await asyncio.sleep(0.1)
        raise TimeoutError(f"replica on port {self.port} not healthy: {self.log.read_text()}")

    async def stop(self, how: signal.Signals = signal.SIGTERM) -> None:
        if self.process is not None and self.process.returncode is None:
            self.process.send_signal(how)
            await self.process.wait()


def empty_database(database_url: str) -> None:
    """Delete every row of the bot's tables (a fresh database is migrated by the first start)."""
    with psycopg.connect(database_url, autocommit=True) as connection:
        rows = connection.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' "
            "AND tablename <> 'schema_migrations'"
        ).fetchall()
        for (name,) in rows:
            connection.execute(f'DELETE FROM "{name}"')


async def seed(database_url: str, count: int, connector_url: str) -> set[str]:
    """`count` owners with a personal chat and one customer each, a check-in due now; returns
    the due reminder ids."""
    now = datetime.now(UTC)
    store = PostgresStore(database_url, 8)
    await store.start()
    expected: set[str] = set()
    try:
        customers = SchedulingCustomerRepository(
            store.customers, store.reminders, ANY_TIME, FixedClock(now)
        )

        async def one(number: int) -> None:
            owner = Person(id=f"aad-user-{number}", name=f"User {number}")
            conversation = f"a:replica-{number}"
            await store.references.put(
                TENANT, conversation, reference_for(connector_url, conversation, owner)
            )
            await store.reminders.remember_user_conversation(
                TENANT, owner.id, conversation, is_personal=True
            )
            made = new_customer(
                TENANT, f"customer-{number}", f"Customer {number}", owner, now - timedelta(days=20)
            )
            expected.update(reminder.id for reminder in due_reminders(made, now, ANY_TIME))
            await customers.add(made)

        for start in range(0, count, 50):
            await asyncio.gather(*(one(n) for n in range(start, min(start + 50, count))))
    finally:
        await store.close()
    return expected


async def recorded(database_url: str, reminder_ids: set[str], within: float = 30) -> None:
    """Wait until every one of `reminder_ids` has a delivery record past `sending`."""
    deadline = time.monotonic() + within
    query = "SELECT reminder_id FROM reminder_records WHERE state NOT IN ('pending', 'sending')"
    async with await psycopg.AsyncConnection.connect(database_url, autocommit=True) as db:
        while time.monotonic() < deadline:
            rows = await (await db.execute(query)).fetchall()
            if reminder_ids <= {str(row[0]) for row in rows}:
                return
            await asyncio.sleep(0.05)


@dataclass
class Outcome:
    """What one run measured."""

    expected: int
    deliveries: Counter[int]  # deliveries per reminder -> how many reminders
    missing: int
    duplicates: int
    killed_sent: int
    killed_in_flight: int
    up: float  # seconds from starting the processes until every one answered /healthz
    seeded: float  # seconds the seeding took (from the start)
    kill_at: float  # seconds after the start (the seeding)
    drain: float  # seconds from the start to the last reminder's first delivery
    per_replica: list[int]


async def run(
    database_url: str,
    *,
    reminders: int,
    replicas: int = 3,
    lease: float = 10,
    rate: float = 50,
    kill_share: float = 0.25,
    settle: float = 2,
    within: float = 300,
    logs: Path,
) -> Outcome:
    """Start the replicas, seed, kill replica 0 after `kill_share` of the reminders, wait for
    every reminder (at most `within` s) plus `settle` s for late duplicates, stop."""
    teams = FakeTeams()
    runner = await teams.serve()
    processes: list[Replica] = []
    try:
        empty_database(database_url)
        env = replica_env(database_url, lease=lease, rate=rate)
        processes = [Replica(env, logs / f"replica-{n}.log") for n in range(replicas)]
        booted = time.monotonic()
        await asyncio.gather(*(replica.start() for replica in processes))
        teams.pids = [replica.pid for replica in processes]
        async with aiohttp.ClientSession() as session:
            await asyncio.gather(*(replica.healthy(session) for replica in processes))
        up = time.monotonic() - booted
        started = time.monotonic()  # the replicas sweep while the reminders come due
        expected = await seed(database_url, reminders, teams.url)
        seeded = time.monotonic() - started
        kill_at, killed_sent = 0.0, 0
        deadline = started + within
        while time.monotonic() < deadline:
            accepted = len(teams.deliveries())
            doomed = processes[0]
            if not kill_at and _kill_now(teams, doomed.pid, accepted / len(expected), kill_share):
                teams.held_pid = doomed.pid  # its sends from now on hang
                with contextlib.suppress(TimeoutError):  # mid-sweep: a send in flight
                    await asyncio.wait_for(teams.holding.wait(), 60)  # slow under load
                mine = {rid for _, rid, pid in teams.accepted if pid == doomed.pid}
                await recorded(database_url, mine)  # what Teams accepted from it is recorded
                await doomed.stop(signal.SIGKILL)
                kill_at = time.monotonic() - started
                killed_sent = sum(1 for *_, pid in teams.accepted if pid == doomed.pid)
            if set(teams.deliveries()) >= expected:
                break
            await asyncio.sleep(0.05)
        first: dict[str, float] = {}
        for at, reminder_id, _ in teams.accepted:
            first.setdefault(reminder_id, at)
        drain = max(first.values(), default=started) - started
        await asyncio.sleep(settle)
    finally:
        for replica in processes:
            await replica.stop()
        await teams.stop(runner)
    delivered = teams.deliveries()
    per_reminder = Counter(delivered.get(reminder_id, 0) for reminder_id in expected)
    by_pid = Counter(pid for *_, pid in teams.accepted)
    return Outcome(
        expected=len(expected),
        deliveries=per_reminder,
        missing=per_reminder.get(0, 0),
        duplicates=sum(times - 1 for times in delivered.values() if times > 1),
        killed_sent=killed_sent,
        killed_in_flight=teams.held,
        up=up,
        seeded=seeded,
        kill_at=kill_at,
        drain=drain,
        per_replica=[by_pid.get(replica.pid, 0) for replica in processes],
    )


def _kill_now(teams: FakeTeams, pid: int, done: float, share: float) -> bool:
    """Kill once `share` of the reminders arrived and the doomed replica is sending too (it is
    mid-sweep), or at twice the share whatever it does."""
    sending = any(sender == pid for *_, sender in teams.accepted)
    return (done >= share and sending) or done >= min(2 * share, 0.9)


def report(outcome: Outcome, arguments: Any) -> str:
    """The figures of one run, for people."""
    per = ", ".join(f"{times}x: {n}" for times, n in sorted(outcome.deliveries.items()))
    return "\n".join(
        [
            f"{arguments.replicas} replicas (processes), {outcome.expected} due reminders, "
            f"lease {arguments.lease:g} s, {arguments.rate:g} sends/s per replica",
            f"deliveries per reminder: {per}  (duplicates {outcome.duplicates}, "
            f"missing {outcome.missing})",
            f"replica 0 SIGKILLed at {outcome.kill_at:.1f} s after {outcome.killed_sent} "
            f"accepted sends, {outcome.killed_in_flight} sends hanging",
            f"accepted per replica: {outcome.per_replica}",
            f"replicas healthy {outcome.up:.1f} s after their start; seeding took "
            f"{outcome.seeded:.1f} s; drain time (seeding start to the last first delivery): "
            f"{outcome.drain:.1f} s",
        ]
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--reminders", type=int, default=1000)
    parser.add_argument("--replicas", type=int, default=3)
    parser.add_argument("--lease", type=float, default=10)
    parser.add_argument("--rate", type=float, default=50)
    parser.add_argument("--logs", type=Path, default=ROOT / "build" / "bench-replicas")
    arguments = parser.parse_args(argv)
    url = os.environ.get("DATABASE_URL") or "postgresql:///" + os.environ.get("PGDATABASE", "")
    arguments.logs.mkdir(parents=True, exist_ok=True)
    outcome = asyncio.run(
        run(
            url,
            reminders=arguments.reminders,
            replicas=arguments.replicas,
            lease=arguments.lease,
            rate=arguments.rate,
            logs=arguments.logs,
        )
    )
    print(report(outcome, arguments))
    return 0 if outcome.missing == 0 and outcome.duplicates == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
