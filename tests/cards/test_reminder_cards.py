"""Reminder cards: hostile text stays text, actions carry their ids, sizes stay under the limit."""

from __future__ import annotations

import json
from typing import Any

import pytest

from cards.reminders import (
    MAX_DIGEST_ITEMS,
    ReminderItemView,
    UpcomingView,
    reminder_card,
    reminder_digest_card,
    reminder_list_card,
)
from cards.renderer import MAX_CARD_BYTES, CardRenderError, render_card
from tests.support.cards import of_type
from tests.support.cards import runs as texts

HOSTILE = 'Ada "Bobby" O\'Neil \\ </script> & <b>\n ${user} **bold** [x](http://evil) {{ y }} 🎉'


def item(number: int = 1, text: str = "Contoso") -> ReminderItemView:
    return ReminderItemView(
        reminder_id=f"check_in-{number:032x}",
        customer_id=f"c{number}",
        customer_name=text,
        title=f"Check in with {text}",
        why=f"Because {text}",
        due="Mon 2 Nov 2026",
        overdue=number % 2 == 0,
    )


def test_a_reminder_card_has_the_five_one_click_actions() -> None:
    card = reminder_card(item())
    assert card["version"] == "1.5"
    assert [a["title"] for a in actions(card)] == [
        "Log touch",
        "Snooze 1 day",
        "Snooze 1 week",
        "Open status",
        "Done",
    ]
    rid = item().reminder_id
    assert [a["data"] for a in actions(card)] == [
        {"action": "log_touch", "customer": "c1", "reminder": rid},
        {"action": "snooze", "customer": "c1", "reminder": rid, "days": 1},
        {"action": "snooze", "customer": "c1", "reminder": rid, "days": 7},
        {"action": "run_command", "command": "status", "argument": "Contoso"},
        {"action": "reminder_done", "customer": "c1", "reminder": rid},
    ]
    # Two buttons fit a phone's width; the other three sit in the "..." menu.
    assert [a["mode"] for a in actions(card)] == ["primary"] * 2 + ["secondary"] * 3


def test_hostile_text_round_trips_as_plain_text() -> None:
    card = reminder_card(item(text=HOSTILE))
    assert HOSTILE in texts(card)
    assert f"Check in with {HOSTILE}" in texts(card)
    assert actions(card)[3]["data"]["argument"] == HOSTILE
    assert json.loads(json.dumps(card)) == card
    assert all(block["type"] != "TextBlock" for block in card["body"])  # no Markdown anywhere


@pytest.mark.parametrize("count", [1, 3, MAX_DIGEST_ITEMS, 25])
def test_a_digest_lists_each_item_with_its_actions(count: int) -> None:
    items = [item(number, HOSTILE) for number in range(1, count + 1)]
    card = reminder_digest_card(items)
    shown = min(count, MAX_DIGEST_ITEMS)
    done = [a["data"]["reminder"] for a in actions(card) if a["data"]["action"] == "reminder_done"]
    assert done == [i.reminder_id for i in items[:shown]]
    assert texts(card)[0] == ("1 reminder" if count == 1 else f"{count} reminders")
    assert (f"… and {count - shown} more" in " ".join(texts(card))) is (count > shown)


def test_an_empty_digest_is_refused() -> None:
    with pytest.raises(ValueError, match="at least one"):
        reminder_digest_card([])


def test_huge_texts_are_shortened_to_fit_but_ids_never() -> None:
    huge = "x" * 50_000
    name = "N" * 100  # the longest customer name there can be; it is submit data too
    items = [
        ReminderItemView(f"goal_due-{n:032x}", f"c{n}", name, huge, huge, huge)
        for n in range(MAX_DIGEST_ITEMS)
    ]
    card = reminder_digest_card(items)
    assert len(json.dumps(card, separators=(",", ":"))) <= MAX_CARD_BYTES
    assert [a["data"]["reminder"] for a in actions(card)[::5]] == [i.reminder_id for i in items]
    assert [a["data"]["argument"] for a in actions(card)[3::5]] == [name] * MAX_DIGEST_ITEMS
    assert max(len(text) for text in texts(reminder_card(items[0]))) <= 300


def test_absurd_ids_raise_instead_of_sending_a_card_teams_rejects() -> None:
    absurd = ReminderItemView("r" * 30_000, "c", "C", "t", "w", "d")
    with pytest.raises(CardRenderError, match="bytes"):
        reminder_card(absurd)


@pytest.mark.parametrize("count", [0, 1, 3, 40])
def test_the_list_card(count: int) -> None:
    rows = [
        UpcomingView("due now" if n == 0 else f"Mon {n} Nov", HOSTILE, "Check in", "why", n == 0)
        for n in range(count)
    ]
    card = reminder_list_card("Reminders", rows, "Nothing is due.")
    shown = texts(card)
    assert shown[0] == "Reminders"
    assert ("Nothing is due." in shown) is (count == 0)
    assert shown.count(HOSTILE) == min(count, 30)
    assert ("… and 10 more" in shown) is (count == 40)


def test_the_templates_name_a_missing_value() -> None:
    with pytest.raises(CardRenderError, match="'digest' is undefined"):
        render_card("reminder")
    with pytest.raises(CardRenderError, match="'rows' is undefined"):
        render_card("reminder_list", heading="h", empty="e", more="")


def actions(card: dict[str, Any]) -> list[dict[str, Any]]:
    return of_type(card, "Action.Submit")
