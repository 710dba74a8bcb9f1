"""`readiness` over /api/messages: five section cards, the scored result, history, privacy."""

from __future__ import annotations

from typing import Any

from engagement.clock import FixedClock
from tests.support.cards import choice_sets, submit_actions, submit_data, texts, walk
from tests.support.connector import FakeConnector, Sent
from tests.support.conversation import Conversation

NEXT = "Next section"
LAST = "Show the result"


def _answers(card: dict[str, Any], score: int) -> dict[str, Any]:
    """Press the card's button with every element scored `score`."""
    ((_, data),) = submit_actions(card)
    return data | {choice["id"]: str(score) for choice in choice_sets(card)}


async def _take(chat: Conversation, scores: list[int], *, start: str = "readiness") -> Sent:
    """Answer all five sections, section i with scores[i]; returns the result message."""
    replies = await chat.say(start)
    card = replies[-1].cards[0]
    for score in scores:
        replies = await chat.submit(_answers(card, score))
        card = replies[-1].cards[0]
    return replies[-1]


async def test_readiness_walks_five_sections_and_scores_the_level(personal: Conversation) -> None:
    first = (await personal.say("readiness"))[0].cards[0]
    assert "Readiness 1 of 5: Partner strategy & roles" in texts(first)
    assert len(choice_sets(first)) == 10
    assert choice_sets(first)[0]["choices"][0]["title"] == "1 · Missing or undeveloped"
    assert submit_data(first, NEXT)["step"] == 0

    result = await _take(personal, [2, 3, 3, 2, 2], start="readiness")
    shown = texts(result.cards[0])
    assert "Partner readiness: Preparing" in shown
    assert "240 of 500 points" in shown
    assert "60 / 100" in shown
    assert "Establish a programmatic approach" in shown
    assert "In concept or formation stage: Overall customer journey map" in shown
    assert "First assessment" in shown

    again = texts((await personal.say("readiness"))[0].cards[0])
    assert "240 of 500 points" in again


async def test_a_retake_keeps_history_shows_the_trend_and_prefills_scores(
    personal: Conversation, clock: FixedClock
) -> None:
    await _take(personal, [2, 2, 2, 2, 2])
    clock.set(clock.now().replace(month=12))
    replies = await personal.say("readiness new")
    assert all(c.get("value") == "2" for c in choice_sets(replies[0].cards[0]))
    result = await _take(personal, [5, 5, 4, 4, 4], start="readiness again")
    shown = texts(result.cards[0])
    assert "Partner readiness: Optimizing" in shown
    assert "Up 240 points since 02 Nov 2026." in shown
    assert "02 Nov 2026: 200 / 500, Formulating (Ada Lovelace)" in shown
    assert [n for n in walk(result.cards[0]) if n.get("type") == "Chart.Line"]


async def test_clicking_the_last_button_twice_records_once(personal: Conversation) -> None:
    replies = await personal.say("readiness")
    card = replies[0].cards[0]
    for _ in range(4):
        card = (await personal.submit(_answers(card, 3)))[0].cards[0]
    last = _answers(card, 3)
    await personal.submit(last)
    replies = await personal.submit(last)
    assert "already recorded" in replies[0].text
    assert "History" in texts(replies[1].cards[0])
    assert "First assessment" in texts(replies[1].cards[0])


async def test_tampered_or_stale_cards_record_nothing(personal: Conversation) -> None:
    card = (await personal.say("readiness"))[0].cards[0]
    good = _answers(card, 3)
    for bad in (
        good | {"checklist": "older"},
        good | {"step": 3},
        good | {"answers": "9"},
        good | {"started": "../x"},
    ):
        replies = await personal.submit(bad)
        assert "out of date" in replies[0].text
    replies = await personal.submit(good | {"r_journey_map": "7"})
    assert "Please score every element" in replies[0].text
    assert "Readiness 1 of 5" in texts(replies[1].cards[0])
    assert "no readiness" not in (await personal.say("readiness"))[0].text.lower()


async def test_each_organisation_has_its_own_assessment(
    personal: Conversation, connector: FakeConnector
) -> None:
    await _take(personal, [1, 1, 1, 1, 1])
    other = Conversation(
        personal.client, connector, "a:personal-eve", user_id="eve", tenant_id="tenant-b"
    )
    replies = await other.say("readiness")
    assert "Readiness 1 of 5" in texts(replies[0].cards[0])


async def test_in_a_group_chat_the_cards_go_to_the_asker_privately(
    personal: Conversation, connector: FakeConnector
) -> None:
    group = Conversation(
        personal.client, connector, "19:team@thread.v2", conversation_type="groupChat"
    )
    replies = await group.say("readiness", mention=True)
    shared = [r for r in replies if r.conversation_id == group.conversation_id]
    assert [r.cards for r in shared] == [[]]
    private = [r for r in replies if r.conversation_id != group.conversation_id]
    assert "Readiness 1 of 5" in texts(private[0].cards[0])


async def test_readiness_is_in_help(personal: Conversation) -> None:
    assert "readiness [new]" in texts((await personal.say("help"))[0].cards[0])
