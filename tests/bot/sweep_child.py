"""Child process of the kill test: sweeps until nothing is due, announcing each durable step.

Usage: python sweep_child.py DATA_DIR NOW_ISO. Prints (and flushes) one line per step, right
after it was written durably: `intent <ids>` (records say `sending`) and `sent <ids>` (records say
`sent`); `done` when no index entry is due any more. The parent SIGKILLs it at a random line, or
while the connector is accepting a send, and then checks that nothing was lost.
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Sequence
from datetime import datetime, time
from pathlib import Path

from botbuilder.core import ConversationState, MemoryStorage

from bot.adapter import build_adapter
from bot.outbound.pacing import RateLimiter
from bot.outbound.sending import AdapterTransport, ReminderSender
from bot.reminder_sweep import ReminderSweeper
from bot.settings import Settings
from engagement.reminders import ReminderPolicy
from store import open_store
from store.reminders import open_reminder_store

POLICY = ReminderPolicy(
    working_hours_start=time(0), working_hours_end=time(23, 59, 59), weekend_sending=True
)
BATCH = 4  # a few customers per sweep, so kills also land between sweeps
UNCERTAIN = 1  # OUTBOUND_UNCERTAIN_SENDS: "at most one duplicate per crash"


def announce(step: str, ids: Sequence[str]) -> None:
    sys.stdout.write(f"{step} {' '.join(ids)}\n")
    sys.stdout.flush()


async def sweep_until_done(data_dir: Path, now: datetime) -> None:
    store = open_store(data_dir)
    reminders = open_reminder_store(data_dir / "reminders")
    settings = Settings(_env_file=None, DATA_DIR=data_dir)  # type: ignore[call-arg]
    adapter = build_adapter(settings, ConversationState(MemoryStorage()))
    sweeper = ReminderSweeper(
        customers=store.customers,
        reminders=reminders,
        references=store.references,
        sender=ReminderSender(AdapterTransport(adapter, ""), RateLimiter(1000, 1000)),
        policy=POLICY,
        batch=BATCH,
        trace=announce,
        uncertain_sends=UNCERTAIN,
    )
    try:
        while await reminders.due(now, 1):
            await sweeper.sweep(now)
        announce("done", [])
    finally:
        await adapter.close()
        store.close()


if __name__ == "__main__":
    asyncio.run(sweep_until_done(Path(sys.argv[1]), datetime.fromisoformat(sys.argv[2])))
