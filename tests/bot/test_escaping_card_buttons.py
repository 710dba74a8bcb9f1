"""Every card button of the routing table (`CARD_ACTIONS`), pressed along a whole iteration of a
customer with a hostile name, with hostile text typed into the free-text inputs, answers without
raw Markdown from that text (issue 15). The iteration ends with a detractor's review, whose
follow-up reminder is listed and then snoozed, done and touched from its card. After the cycle
every command of the routing table runs once more (now with a report, a statement of work and a
history to show). A button the walk does not press fails the test, so a new entry of
`CARD_ACTIONS` is walked too or noticed."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import pytest

from bot.app import STORE_KEY
from bot.commands import CARD_ACTIONS, COMMANDS
from bot.settings import Settings
from cards.reminders import reminder_card
from dialogs.reminders.reminder_texts import reminder_view
from engagement.clock import FixedClock
from engagement.reminders import ReminderKind, due_reminders
from tests.support.cards import choice_sets, of_type, submit_data, texts
from tests.support.connector import Sent
from tests.support.conversation import Conversation
from tests.support.correctness import GOAL, PERIOD, card_defaults
from tests.support.escaping import HOSTILE_NAMES, rendered, renders


def _last_card(replies: list[Sent]) -> dict[str, Any]:
    return next(r for r in reversed(replies) if r.cards).cards[0]


def _choices(card: dict[str, Any], pick: int) -> dict[str, Any]:
    """Option `pick` of every choice set of the card (the last one where there are fewer)."""
    return {
        choice_set["id"]: choice_set["choices"][min(pick, len(choice_set["choices"]) - 1)]["value"]
        for choice_set in choice_sets(card)
    }


@dataclass
class Walk:
    """Presses buttons as the user would and collects every reply that renders Markdown."""

    conversation: Conversation
    name: str
    pressed: set[str] = field(default_factory=set)
    found: dict[str, list[str]] = field(default_factory=dict)
    customer_id: str = ""

    def _check(self, label: str, replies: list[Sent]) -> list[Sent]:
        bad = rendered(replies)
        if bad:
            self.found[label] = bad
        return replies

    async def say(self, line: str) -> list[Sent]:
        return self._check(line, await self.conversation.say(line))

    async def submit(self, label: str, data: dict[str, Any]) -> list[Sent]:
        self.pressed.add(str(data.get("action")))
        return self._check(label, await self.conversation.submit(data))

    async def press(self, card: dict[str, Any], title: str, **inputs: Any) -> list[Sent]:
        """Press the button titled `title` with the card's preset values and `inputs`."""
        data = {**card_defaults(card), **submit_data(card, title), **inputs}
        return await self.submit(f"{title} ({data.get('action')})", data)

    async def run(self, command: str, argument: str | None = None) -> list[Sent]:
        """A button that types `command <the hostile name>` (no mention stripping, unlike text)."""
        line = {"command": command, "argument": self.name if argument is None else argument}
        return await self.submit(f"{command} button", {"action": "run_command", **line})


async def _quick_checks(walk: Walk) -> None:
    """Unnamed quick check saved to a new customer; a second new customer; a full assessment
    and a quick check beside it whose level is then used."""
    card = _last_card(await walk.say("quick check"))
    result = _last_card(await walk.press(card, "Show level", **_choices(card, 1)))
    ask = _last_card(await walk.press(result, "Save", customer_name=walk.name))
    await walk.press(ask, f"Create {walk.name}")
    ask = _last_card(await walk.run("quick check", f"New {walk.name}"))
    await walk.press(ask, f"Create New {walk.name}")
    await walk.run("assess")
    for _ in range(10):
        await walk.say("2")
    card = _last_card(await walk.run("quick check"))
    result = _last_card(await walk.press(card, "Show level", **_choices(card, 3)))
    await walk.press(result, "Use this quick check's level")


async def _iteration(walk: Walk) -> None:
    """Commit two workshops, deliver one, ensure anyway, close with a detractor's review."""
    await walk.run("commit")
    for line in ("1, 2", GOAL, "no", "skip"):
        await walk.say(line)
    review = _last_card(await walk.say(PERIOD))
    sow = _last_card(await walk.press(review, "Confirm"))
    walk.customer_id = submit_data(sow, "Record customer agreement")["customer"]
    await walk.press(sow, "Record customer agreement", agreed_by=walk.name)
    plan = _last_card(await walk.run("plan"))
    owners = {"stakeholders_owner": walk.name, "training_gap": walk.name}
    await walk.press(plan, "Save", stakeholders_status="in_place", **owners)
    form = _last_card(await walk.run("deliver"))
    delivery = {"on": "2026-11-02", "attendees": "9", "notes": walk.name}
    await walk.press(form, "Record delivery", materials_url=walk.name)  # not a web address
    await walk.press(form, "Record delivery", **delivery)
    ask = _last_card(await walk.run("ensure"))
    form = _last_card(await walk.press(ask, "Move to ensure anyway"))
    scores = {"csat_overall": "3", "csat_value": "3", "csat_team": "3", "nps": "4"}
    text = {"evidence_g1": walk.name, "comment": walk.name, "next_steps": walk.name}
    text["measured_g1"] = walk.name[:200]
    await walk.press(form, "Close the iteration", status_g1="partially", **scores, **text)


async def _follow_up(walk: Walk, settings: Settings, clock: FixedClock) -> None:
    """The next working day the detractor follow-up is due: listed, then pressed on its card."""
    clock.set(clock.now() + timedelta(days=1))
    listed = await walk.say("reminders")
    assert f"Call {walk.name}: an unhappy customer (NPS 4, CSAT 3.0)" in texts(_last_card(listed))
    store = walk.conversation.client.app[STORE_KEY]
    customer = await store.customers.get(walk.conversation.tenant_id, walk.customer_id)
    assert customer is not None
    policy = settings.reminder_policy
    due = due_reminders(customer, clock.now(), policy)
    (reminder,) = [r for r in due if r.kind == ReminderKind.DETRACTOR_FOLLOW_UP]
    card = reminder_card(reminder_view(reminder, clock.now(), policy.zone(None)))
    blocks = [str(block.get("text", "")) for block in of_type(card, "TextBlock")]
    assert not [text for text in blocks if renders(text)]
    for title in ("Snooze 1 day", "Done", "Log touch", "Open status"):
        await walk.press(card, title)


async def _readiness_and_cancel(walk: Walk) -> None:
    card = _last_card(await walk.run("readiness", ""))
    for _ in range(5):
        replies = await walk.press(card, card["actions"][0]["title"], **_choices(card, 2))
        card = _last_card(replies)
        if not card.get("actions"):
            break
    ask = _last_card(await walk.run("assess", f"Other {walk.name}"))
    question = _last_card(await walk.press(ask, "Yes"))
    await walk.press(question, "Cancel")


@pytest.mark.parametrize("name", HOSTILE_NAMES)
async def test_no_card_button_renders_markdown_from_user_text(
    personal: Conversation, settings: Settings, clock: FixedClock, name: str
) -> None:
    walk = Walk(personal, name)
    await _quick_checks(walk)
    await _iteration(walk)
    await _follow_up(walk, settings, clock)
    await _readiness_and_cancel(walk)
    for command in COMMANDS:
        await walk.run(command.name)
    assert {entry.action for entry in CARD_ACTIONS} - walk.pressed == set()
    assert walk.found == {}, "\n".join(f"{k!r}: {v!r}" for k, v in walk.found.items())
