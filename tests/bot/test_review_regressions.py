"""Regressions found in review: stale dates, typed answers vs commands, wrong submit types,
privacy in shared chats, state kept after a failed turn, buttons during a flow."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from pydantic import ValidationError

from bot.adapter import APOLOGY
from bot.app import STORE_KEY
from bot.settings import Settings
from engagement.clock import FixedClock
from tests.bot.test_full_cycle import GOOD_REVIEW, _commit_and_agree, _deliver
from tests.dialogs.commit.test_commit_conversation import (
    GOAL,
    PERIOD,
    _card,
    _press,
    _quick_checked,
    _text,
    _to_review,
)
from tests.support.cards import choice_sets, submit_data, texts
from tests.support.connector import FakeConnector
from tests.support.conversation import Conversation
from tests.support.quick_check import quick_check_card


async def test_confirming_after_a_date_passed_sends_back_to_the_form(
    personal: Conversation, clock: FixedClock
) -> None:
    await _quick_checked(personal)
    card = _card(await personal.say("commit Contoso"))
    replies = await _press(personal, card, "Next", workshops=choice_sets(card)[0]["value"])
    replies = await _press(personal, _card(replies), "Save goal", **{**GOAL, "due": "today"})
    replies = await personal.say("no")
    replies = await _press(personal, _card(replies), "Skip")
    review = _card(await _press(personal, _card(replies), "Next", **{**PERIOD, "start": "today"}))
    clock.set(datetime(2026, 11, 3, 9, 0, tzinfo=UTC))  # midnight passed
    replies = await _press(personal, review, "Confirm")
    assert APOLOGY not in _text(replies)
    assert "in the past" in _text(replies)
    assert "Statement of work · Contoso" in texts(_card(replies))  # the form, still filled in


async def test_typed_answers_that_start_with_a_command_word_stay_answers(
    personal: Conversation,
) -> None:
    replies = await personal.say("assess")
    replies = await personal.say("Catalog Systems")
    assert "New customer: Catalog Systems" in texts(replies[0].cards[0])
    await personal.say("cancel")
    await _quick_checked(personal)
    card = _card(await personal.say("commit Contoso"))
    await _press(personal, card, "Next", workshops=choice_sets(card)[0]["value"])
    replies = await personal.say("Health checks automated | 5 checks green | partner | 2027-03-31")
    assert "Add another goal?" in texts(_card(replies))


async def test_wrongly_typed_submit_values_are_refused_not_crashed(personal: Conversation) -> None:
    await _quick_checked(personal)
    review = await _to_review(personal)
    replies = await _press(personal, review, "Edit", edit_part=["period"], __text__=5)
    assert APOLOGY not in _text(replies)
    assert "Press Confirm" in _text(replies)
    await personal.say("cancel")
    await _commit_and_agree(personal)
    await _deliver(personal)
    form = _card(await personal.say("ensure Contoso"))
    replies = await _press(
        personal, form, "Close the iteration", **{**GOOD_REVIEW, "status_g1": ["x"]}
    )
    assert APOLOGY not in _text(replies)
    assert "Pick the outcome" in _text(replies)


async def test_a_failed_turn_keeps_the_record_of_counted_cards(
    personal: Conversation, monkeypatch: pytest.MonkeyPatch
) -> None:
    card = await quick_check_card(personal, "Contoso")
    value = dict(submit_data(card, "Show level"))
    for choice_set in choice_sets(card):
        value[choice_set["id"]] = choice_set["choices"][2]["value"]
    await personal.submit(value)

    def broken(*_: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr("dialogs.account.account.status_view", broken)
    replies = await personal.say("status Contoso")
    assert APOLOGY in _text(replies)
    monkeypatch.undo()
    replies = await personal.submit(value)
    assert "already scored" in _text(replies)


@pytest.mark.parametrize(
    "command", ["status Contoso", "customers", "history Contoso", "sow Contoso"]
)
async def test_account_answers_in_shared_chats_go_to_the_asker_privately(
    personal: Conversation, connector: FakeConnector, command: str
) -> None:
    await _quick_checked(personal)
    await _commit_and_agree(personal)
    group = Conversation(
        personal.client, connector, "19:meeting_abc@thread.v2", conversation_type="groupChat"
    )
    replies = await group.say(command, mention=True)
    shared = [r for r in replies if r.conversation_id == group.conversation_id]
    private = [r for r in replies if r.conversation_id != group.conversation_id]
    assert len(shared) == 1
    assert not shared[0].cards
    assert "Contoso" not in shared[0].text
    assert "private chat" in shared[0].text
    assert "Contoso" in str([r.body for r in private])


async def test_a_command_button_during_a_flow_is_treated_like_the_typed_command(
    personal: Conversation,
) -> None:
    await _quick_checked(personal)
    await personal.say("commit Contoso")
    replies = await personal.submit(
        {"action": "run_command", "command": "status", "argument": "Contoso"}
    )
    assert "Status · Contoso" in texts(replies[0].cards[0])
    assert "workshops" in texts(replies[-1].cards[0])  # the flow asks its question again
    replies = await personal.say("cancel")
    assert replies[0].text.startswith("Cancelled")
    await personal.say("commit Contoso")
    replies = await personal.submit(
        {"action": "run_command", "command": "assess", "argument": "Contoso"}
    )
    assert "I stopped the unfinished flow" in _text(replies)


def test_local_mode_refuses_to_listen_beyond_loopback() -> None:
    with pytest.raises(ValidationError, match=r"HOST=0\.0\.0\.0 without MicrosoftAppId"):
        Settings(_env_file=None, HOST="0.0.0.0")  # type: ignore[call-arg]
    assert Settings(_env_file=None, HOST="::1").host == "::1"  # type: ignore[call-arg]


def test_export_links_need_https_with_authentication() -> None:
    secured = Settings(_env_file=None, MicrosoftAppId="x", HOST="0.0.0.0")  # type: ignore[call-arg]
    assert not secured.export_links_work
    with pytest.raises(ValidationError, match="https"):
        Settings(  # type: ignore[call-arg]
            _env_file=None, MicrosoftAppId="x", PUBLIC_BASE_URL="http://bot.example.com"
        )
    public = Settings(  # type: ignore[call-arg]
        _env_file=None, MicrosoftAppId="x", PUBLIC_BASE_URL="https://bot.example.com/"
    )
    assert public.export_links_work
    assert public.base_url == "https://bot.example.com"


async def test_a_delivery_recorded_by_another_turn_meanwhile_keeps_the_flow(
    personal: Conversation, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The save finds the card already recorded (a second submit that raced the first): the
    user is told so, and the flow waiting in the chat is not thrown away."""
    await _quick_checked(personal)
    await _commit_and_agree(personal)
    customers = personal.client.server.app[STORE_KEY].customers
    before = await customers.get("tenant-a", "contoso")
    form = await _deliver(personal)
    await personal.say("assess Fabrikam")  # a flow waits for its first answer
    real_get = customers.get
    stale = [before]

    async def first_look_from_before(tenant_id: str, customer_id: str) -> Any:
        return stale.pop() if stale else await real_get(tenant_id, customer_id)

    monkeypatch.setattr(customers, "get", first_look_from_before)
    replies = await _press(
        personal,
        form,
        "Record delivery",
        workshop="azure-governance",
        on="2026-11-02",
        attendees="12",
    )
    assert APOLOGY not in _text(replies)
    assert "That delivery is already recorded." in _text(replies)
    monkeypatch.undo()
    replies = await personal.say("yes")
    assert APOLOGY not in _text(replies)
    assert "Question 1 of" in str([texts(card) for r in replies for card in r.cards])
