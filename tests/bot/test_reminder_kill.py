"""SIGKILL a sweeping process at random moments: no reminder is lost, duplicates only in flight.

The child (`sweep_child.py`) sweeps a store of due reminders against the fake connector running
in this process. Each round kills it with SIGKILL at a seeded random point: right after one of its
durable steps (`intent`, `sent`), or while the connector is accepting one of its sends (the
window between Teams accepting and the local `sent` write, the one place a duplicate can come
from). After the kills every reminder is recorded sent (and was received) or is still pending and
due in the index; then a last, uninterrupted sweep delivers the rest.
"""

from __future__ import annotations

import asyncio
import os
import random
import signal
import sys
from collections import Counter
from datetime import timedelta
from pathlib import Path

from engagement.reminder_records import DeliveryState
from engagement.reminders import due_reminders
from tests.bot.sweep_child import UNCERTAIN
from tests.support.connector import FakeConnector, Sent
from tests.support.reminders import ANY_TIME, NOW, TENANT, Person, build_rig, customer, reminder_ids

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
SEED = 20261102
KILLS = 3
OWNERS = 4
CUSTOMERS = 16
# Recipients are served concurrently, but at most UNCERTAIN sends are between their in-flight mark
# and their recorded outcome (OUTBOUND_UNCERTAIN_SENDS): a crash can repeat at most those. A
# restart cannot tell which of them Teams accepted (no idempotency key, no read-back), so it sends
# them all again; see bot/reminder_sweep.py, "Delivery guarantee".
IN_FLIGHT = UNCERTAIN


async def _seed(data_dir: Path, connector: FakeConnector) -> dict[str, str]:
    """Due check-ins for CUSTOMERS customers of OWNERS owners; returns reminder id -> customer."""
    rig = build_rig(data_dir, connector)
    expected: dict[str, str] = {}
    try:
        for owner_number in range(OWNERS):
            owner = Person(id=f"aad-owner-{owner_number}", name=f"Owner {owner_number}")
            await rig.personal_chat(owner, f"a:personal-{owner_number}")
            for number in range(owner_number, CUSTOMERS, OWNERS):
                made = customer(f"c{number:02}", created=NOW - timedelta(days=20), owner=owner)
                await rig.add(made)
                (due,) = due_reminders(made, NOW, ANY_TIME)
                expected[due.id] = made.id
    finally:
        await rig.close()
    return expected


async def _run_and_kill(
    data_dir: Path, connector: FakeConnector, rng: random.Random
) -> tuple[bool, str]:
    """One child run, killed at a random point; (killed, where)."""
    child = await asyncio.create_subprocess_exec(
        sys.executable,
        str(HERE / "sweep_child.py"),
        str(data_dir),
        NOW.isoformat(),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        env={**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), str(HERE)])},
    )
    assert child.stdout is not None
    assert child.stderr is not None
    at_accept = rng.random() < 0.5
    target = rng.randint(1, 6)
    where = f"{'accept' if at_accept else 'line'} {target}"
    accepted = 0

    async def kill_while_accepting(sent: Sent) -> None:
        nonlocal accepted
        accepted += 1
        if accepted == target and child.returncode is None:
            child.send_signal(signal.SIGKILL)  # before the connector answers

    connector.on_accept = kill_while_accepting if at_accept else None
    lines = 0
    async with asyncio.timeout(20):
        while True:
            line = await child.stdout.readline()
            if not line or line.startswith(b"done"):
                break
            lines += 1
            if not at_accept and lines == target:
                child.send_signal(signal.SIGKILL)
                break
        errors = await child.stderr.read()
        returncode = await child.wait()
    connector.on_accept = None
    killed = returncode == -signal.SIGKILL
    assert killed or returncode == 0, errors.decode()
    return killed, where


async def test_no_reminder_is_lost_when_the_sweeper_is_killed(
    tmp_path: Path, connector: FakeConnector
) -> None:
    data_dir = tmp_path / "data"
    expected = await _seed(data_dir, connector)
    rng = random.Random(SEED)
    kills = []
    for _ in range(KILLS):
        killed, where = await _run_and_kill(data_dir, connector, rng)
        if killed:
            kills.append(where)

    received = Counter(rid for sent in connector.messages() for rid in reminder_ids(sent))
    rig = build_rig(data_dir, connector)
    try:
        due_customers = {entry.customer_id for entry in await rig.reminders.due(NOW, 1000)}
        for reminder_id, customer_id in expected.items():
            record = (await rig.reminders.records(TENANT, customer_id)).get(reminder_id)
            if record is not None and record.state == DeliveryState.SENT:
                assert received[reminder_id] >= 1, f"{reminder_id} recorded sent, never received"
            else:
                assert record is None or record.state in {
                    DeliveryState.PENDING,
                    DeliveryState.SENDING,
                }
                assert customer_id in due_customers, f"{reminder_id} is neither sent nor due"
        duplicates = sum(count - 1 for count in received.values())
        assert duplicates <= len(kills) * IN_FLIGHT, (duplicates, kills)

        await rig.sweeper.sweep(NOW)  # the next start delivers the rest
        final = Counter(rid for sent in connector.messages() for rid in reminder_ids(sent))
        assert set(final) == set(expected)
        assert sum(count - 1 for count in final.values()) <= len(kills) * IN_FLIGHT
        for reminder_id, customer_id in expected.items():
            record = (await rig.reminders.records(TENANT, customer_id))[reminder_id]
            assert record.state == DeliveryState.SENT
        assert kills, "the seed should kill at least once"
    finally:
        await rig.close()
