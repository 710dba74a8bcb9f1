"""The success plan (issue 17.3, seed 004) over /api/messages: set in `commit`, edited with
`plan`, shown by `status`, counted by `health`; a customer stored with free-text factors loads."""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Any

from aiohttp.test_utils import TestClient, TestServer

from bot.app import create_app
from bot.settings import Settings
from dialogs.commit.commitment_input import typed_factors
from engagement.clock import FixedClock
from engagement.lifecycle import new_customer, record_assessment, record_commitment
from engagement.models import Commitment, Goal, GoalOwnerSide, Person
from store import open_store
from tests.support.cards import texts, walk
from tests.support.connector import FakeConnector
from tests.support.conversation import Conversation
from tests.support.correctness import (
    GOAL,
    PERIOD,
    all_text,
    last_card,
    press,
    quick_check,
)
from tests.support.portfolio import assessment

PLAN = "in place, Carla Diaz (CIO) | in progress, Ben: web shop only | | missing: no budget"


async def _committed_with_plan(personal: Conversation, plan: str = PLAN) -> None:
    await quick_check(personal, "Contoso", 1)
    await personal.say("commit Contoso")
    await personal.say("1")
    await personal.say(GOAL)
    await personal.say("no")
    await personal.say(plan)
    review = last_card(await personal.say(PERIOD))
    assert "Stakeholders: \nIn place · owner: Carla Diaz (CIO)" in texts(review)
    await press(personal, review, "Confirm")


def _inputs(card: dict[str, Any]) -> dict[str, Any]:
    return {
        str(element["id"]): element.get("value", "")
        for element in walk(card)
        if str(element.get("type", "")).startswith("Input.")
    }


async def test_status_and_health_show_the_plan_set_in_commit(personal: Conversation) -> None:
    await _committed_with_plan(personal)
    status = texts(last_card(await personal.say("status Contoso")))
    assert "Success plan (iteration 1): 1 of 4 in place, 1 in progress, missing: " in status
    assert "Awareness, Training" in status
    assert "Scenarios\nIn progress · owner: Ben · gap: web shop only" in status
    health = texts(last_card(await personal.say("health Contoso")))
    assert "Success plan (SSAT)" in health
    assert "agree an owner for awareness, training with the customer" in health


async def test_plan_edits_the_factors_and_status_follows(personal: Conversation) -> None:
    await _committed_with_plan(personal)
    form = last_card(await personal.say("plan Contoso"))
    shown = _inputs(form)
    assert shown["stakeholders_status"] == "in_place"
    assert shown["scenarios_owner"] == "Ben"
    assert shown["training_gap"] == "no budget"
    changed = {
        **shown,
        "awareness_status": "in_place",
        "awareness_owner": "Comms team",
        "training_status": "in_progress",
        "training_gap": "AZ-104 booked for two admins",
    }
    saved = texts(last_card(await press(personal, form, "Save", **changed)))
    assert "Success plan saved" in saved
    assert "2 of 4 in place, 2 in progress" in saved
    status = texts(last_card(await personal.say("success plan Contoso")))  # the alias
    assert _inputs(last_card(await personal.say("plan Contoso")))["awareness_owner"] == (
        "Comms team"
    )
    assert "Success plan · Contoso · iteration 1" in status
    status = texts(last_card(await personal.say("status Contoso")))
    assert "Training\nIn progress · gap: AZ-104 booked for two admins" in status


async def test_a_bad_plan_card_comes_back_filled_in(personal: Conversation) -> None:
    await _committed_with_plan(personal)
    form = last_card(await personal.say("plan Contoso"))
    entered = {**_inputs(form), "scenarios_status": "done", "training_owner": "x" * 201}
    replies = await press(personal, form, "Save", **entered)
    assert "Scenarios: the status is in place, in progress or missing." in all_text(replies)
    assert "Training: the owner is too long" in all_text(replies)
    again = _inputs(last_card(replies))
    assert (again["awareness_status"], again["training_gap"]) == ("missing", "no budget")
    assert "web shop only" in texts(last_card(await personal.say("status Contoso")))


async def test_plan_before_a_statement_of_work_and_for_nobody(personal: Conversation) -> None:
    assert "Which customer? Type `plan <customer>`." in all_text(await personal.say("plan"))
    await quick_check(personal, "Contoso", 1)
    replies = await personal.say("plan Contoso")
    assert "has no statement of work yet" in all_text(replies)
    assert "`commit Contoso`" in all_text(replies)


async def test_a_plan_card_from_an_older_statement_of_work_changes_nothing(
    personal: Conversation,
) -> None:
    await _committed_with_plan(personal)
    form = last_card(await personal.say("plan Contoso"))
    stale = {**_inputs(form), "stakeholders_status": "missing"}
    data = {"action": "save_plan", "customer": "contoso", "iteration": 2, **stale}
    replies = await personal.submit(data)
    assert "out of date" in all_text(replies)
    assert "In place · owner: Carla Diaz" in texts(last_card(await personal.say("status Contoso")))


async def test_a_customer_stored_with_free_text_factors_loads(
    settings: Settings, clock: FixedClock, connector: FakeConnector
) -> None:
    """Stored before the success plan: each factor was free text. The text becomes the gap,
    in progress; an empty text is missing."""
    ada = Person(id="aad-ada", name="Ada")
    customer = new_customer("tenant-a", "contoso", "Contoso", ada, clock.now())
    record_assessment(customer, assessment(at=clock.now()), ["azure-governance"], clock.now())
    goal = Goal(
        id="g1",
        title="Landing zone",
        kpi="3 subscriptions",
        owner_side=GoalOwnerSide.PARTNER,
        due=date(2027, 3, 31),
    )
    start = clock.now().date()
    commitment = Commitment(
        workshops=["azure-governance"], goals=[goal], start=start, end=start + timedelta(days=60)
    )
    record_commitment(customer, commitment, clock.now())
    with open_store(settings.data_dir) as store:
        await store.customers.add(customer)
        path = store.customers.shard_path("tenant-a", "contoso")
    stored = json.loads(path.read_text(encoding="utf-8"))
    text = json.dumps(stored)
    old = {
        "stakeholders": "CIO sponsors it",
        "scenarios": "",
        "awareness": "",
        "training": "AZ-104",
    }
    documents = [d for table in stored.values() for d in table.values()]
    for document in documents:
        document["iterations"][0]["commitment"]["success_factors"] = old
    assert json.dumps(stored) != text
    path.write_text(json.dumps(stored), encoding="utf-8")

    async with TestClient(TestServer(create_app(settings, clock=clock))) as client:
        personal = Conversation(client, connector, conversation_id="a:personal-ada", user_id="ada")
        status = texts(last_card(await personal.say("status Contoso")))
        assert "Stakeholders\nIn progress · gap: CIO sponsors it" in status
        assert "Scenarios\nMissing" in status
        assert "Training\nIn progress · gap: AZ-104" in status
        form = _inputs(last_card(await personal.say("plan Contoso")))
        assert (form["stakeholders_status"], form["stakeholders_gap"]) == (
            "in_progress",
            "CIO sponsors it",
        )


async def test_a_german_user_types_the_plan_in_german_and_reads_it_in_german(
    personal: Conversation,
) -> None:
    await _committed_with_plan(personal)
    personal.locale = "de-DE"
    status = texts(last_card(await personal.say("status Contoso")))
    assert "Erfolgsplan (Iteration 1): 1 von 4 vorhanden, 1 in Arbeit, fehlt: " in status
    assert "In Arbeit · verantwortlich: Ben · Lücke: web shop only" in status
    form = last_card(await personal.say("erfolgsplan Contoso"))
    assert "Erfolgsplan · Contoso · Iteration 1" in texts(form)
    assert "Vorhanden" in texts(form)
    assert typed_factors("vorhanden, Carla | In  Arbeit: Pilot | fehlt")["scenarios_status"] == (
        "in_progress"
    )
