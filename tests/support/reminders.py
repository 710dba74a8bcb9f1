"""Builders for the reminder tests: customers with due reminders, a sweeper rig, button clicks.

A `Rig` is the real thing minus create_app: a Store (customers, references), a TinyReminderStore,
the app's adapter (`build_adapter`, i.e. ReusingCloudAdapter with its middleware and turn-error
handler) sending to the local fake connector, and a ReminderSweeper with recorded sleeps.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from botbuilder.core import ConversationState, MemoryStorage, TurnContext

from bot.adapter import build_adapter
from bot.commands import CARD_SUBMIT
from bot.outbound.pacing import RateLimiter
from bot.outbound.sending import AdapterTransport, ReminderSender
from bot.reminder_sweep import ReminderSweeper
from bot.settings import Settings
from dialogs.common.card_actions import DoneSubmit, LogTouchSubmit, ReminderSubmit, SnoozeSubmit
from engagement.clock import FixedClock
from engagement.lifecycle import new_customer
from engagement.models import (
    Agreement,
    AgreementSide,
    Commitment,
    Customer,
    Delivery,
    Goal,
    GoalOwnerSide,
    Person,
    Phase,
    Touch,
)
from engagement.reminder_index import SchedulingCustomerRepository
from engagement.reminders import ReminderPolicy
from store import Store, open_store
from store.reminders import TinyReminderStore, open_reminder_store
from tests.support.connector import FakeConnector, Sent

NOW = datetime(2026, 11, 2, 9, 30, tzinfo=UTC)  # a Monday, 10:30 in Berlin
TENANT = "tenant-r"
OWNER = Person(id="aad-olga", name="Olga Owner")
OTHER = Person(id="aad-per", name="Per Partner")
PERSONAL = "a:personal-olga"
# Weekends allowed and the whole day open, so tests not about working hours never wait for them.
ANY_TIME = ReminderPolicy(
    working_hours_start=datetime.min.time(),
    working_hours_end=datetime.max.time().replace(microsecond=0),
    weekend_sending=True,
)


def customer(
    customer_id: str = "contoso",
    *,
    created: datetime = NOW - timedelta(days=1),
    touched: Sequence[datetime] = (),
    owner: Person = OWNER,
    renewal: date | None = None,
) -> Customer:
    """A customer created at `created` (in assess since then), with touches at `touched`."""
    made = new_customer(TENANT, customer_id, customer_id.title(), owner, created)
    made.touches = [Touch(at=at, by=owner) for at in touched]
    made.renewal_date = renewal
    return made


def in_phase(made: Customer, phase: Phase, since: datetime) -> Customer:
    """`made` moved to `phase` at `since` (no lifecycle checks: a fixture)."""
    made.current.phase = phase
    made.current.phase_changed_at = since
    return made


def with_goals(
    made: Customer, *goals: tuple[str, date], phase: Phase = Phase.DELIVER, since: datetime = NOW
) -> Customer:
    """`made` with an agreed commitment of `goals` (id, due), in `phase` since `since`."""
    made.current.commitment = Commitment(
        workshops=["w1"],
        goals=[
            Goal(
                id=goal_id,
                title=f"Goal {goal_id}",
                kpi="k",
                owner_side=GoalOwnerSide.CUSTOMER,
                due=due,
            )
            for goal_id, due in goals
        ],
        start=since.date(),
        end=since.date() + timedelta(days=90),
        agreements=[
            Agreement(side=AgreementSide.PARTNER, by=OWNER, at=since),
            Agreement(side=AgreementSide.CUSTOMER, by=OTHER, at=since),
        ],
    )
    return in_phase(made, phase, since)


def with_delivery(made: Customer, on: date, delivery_id: str = "d1") -> Customer:
    """`made` with one more delivery on `on`."""
    delivery = Delivery(
        id=delivery_id,
        workshop_id="w1",
        on=on,
        by=OWNER,
        at=datetime.combine(on, datetime.min.time(), tzinfo=UTC),
    )
    made.current.deliveries = [*made.current.deliveries, delivery]
    return made


def reference(service_url: str, conversation_id: str, user: Person = OWNER) -> dict[str, Any]:
    """A serialized conversation reference as TeamsBot stores it."""
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
        "locale": "en-US",
        "serviceUrl": service_url,
    }


def reminder_ids(sent: Sent) -> list[str]:
    """The reminder ids a sent card is about (from its Done buttons)."""
    text = json.dumps(sent.cards)
    cards = json.loads(text)
    found: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            data = node.get("data")
            if isinstance(data, dict) and data.get("action") == "reminder_done":
                found.append(str(data["reminder"]))
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(cards)
    return found


@dataclass
class Rig:
    """Everything a sweep needs, over one data directory and the fake connector."""

    data_dir: Path
    connector: FakeConnector
    store: Store
    reminders: TinyReminderStore
    sweeper: ReminderSweeper
    adapter: Any
    customers: SchedulingCustomerRepository
    clock: FixedClock
    sleeps: list[float] = field(default_factory=list)
    turn_errors: list[BaseException] = field(default_factory=list)
    trace: list[tuple[str, list[str]]] = field(default_factory=list)

    async def add(self, *customers: Customer) -> None:
        """Store customers through the SchedulingCustomerRepository, as the app does."""
        for made in customers:
            await self.customers.add(made)

    async def personal_chat(self, user: Person = OWNER, conversation_id: str = PERSONAL) -> None:
        """The user's personal chat with the bot is known (reference + preference)."""
        await self.store.references.put(
            TENANT, conversation_id, reference(self.connector.url, conversation_id, user)
        )
        await self.reminders.remember_user_conversation(
            TENANT, user.id, conversation_id, is_personal=True
        )

    async def close(self) -> None:
        await self.adapter.close()
        self.store.close()


def build_rig(
    data_dir: Path,
    connector: FakeConnector,
    *,
    policy: ReminderPolicy = ANY_TIME,
    timeout: float = 5.0,
    attempts: int = 3,
    limiter: RateLimiter | None = None,
    trace: Callable[[str, Sequence[str]], None] | None = None,
    sleep: Callable[[float], Awaitable[None]] | None = None,
    wait: bool = True,
    uncertain_sends: int = 1,
) -> Rig:
    """A fresh rig over `data_dir` (a second rig over the same directory = a restart)."""
    store = open_store(data_dir)
    reminders = open_reminder_store(data_dir / "reminders")
    clock = FixedClock(NOW)
    customers = SchedulingCustomerRepository(store.customers, reminders, policy, clock)
    settings = Settings(_env_file=None, DATA_DIR=data_dir)  # type: ignore[call-arg]
    adapter = build_adapter(settings, ConversationState(MemoryStorage()))
    sleeps: list[float] = []
    turn_errors: list[BaseException] = []
    steps: list[tuple[str, list[str]]] = []

    async def record_sleep(seconds: float) -> None:
        sleeps.append(seconds)

    async def record_turn_error(context: TurnContext, error: Exception) -> None:
        turn_errors.append(error)

    adapter.on_turn_error = record_turn_error

    def record_step(step: str, ids: Sequence[str]) -> None:
        steps.append((step, list(ids)))
        if trace is not None:
            trace(step, ids)

    sender = ReminderSender(
        AdapterTransport(adapter, ""),
        limiter or RateLimiter(1000, 1000),
        timeout=timeout,
        attempts=attempts,
        sleep=sleep or record_sleep,
    )
    sweeper = ReminderSweeper(
        customers=customers,
        reminders=reminders,
        references=store.references,
        sender=sender,
        policy=policy,
        trace=record_step,
        wait=wait,
        uncertain_sends=uncertain_sends,
    )
    return Rig(
        data_dir,
        connector,
        store,
        reminders,
        sweeper,
        adapter,
        customers,
        clock,
        sleeps,
        turn_errors,
        steps,
    )


def click(value: dict[str, Any]) -> ReminderSubmit:
    """A reminder button's data as the bot's edge parses it for the handler."""
    parsed = CARD_SUBMIT.validate_python(value)
    assert isinstance(parsed, LogTouchSubmit | SnoozeSubmit | DoneSubmit)
    return parsed
