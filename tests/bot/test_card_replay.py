"""A card instance counts once per customer, in whichever conversation it is pressed: a quick
check replayed into 20 conversations is one assessment, not 20 (issue 15)."""

from __future__ import annotations

from typing import Any

from tests.support.cards import choice_sets, submit_data
from tests.support.connector import FakeConnector
from tests.support.conversation import Conversation
from tests.support.quick_check import quick_check_card


def _answered(card: dict[str, Any]) -> dict[str, Any]:
    value = dict(submit_data(card, "Show level"))
    for choice_set in choice_sets(card):
        value[choice_set["id"]] = choice_set["choices"][1]["value"]
    return value


async def test_a_quick_check_card_replayed_in_20_conversations_counts_once(
    personal: Conversation, connector: FakeConnector
) -> None:
    await personal.submit(_answered(await quick_check_card(personal, "Contoso")))
    # Contoso is in the commit phase now, where a new quick check replaces the draft.
    value = _answered(await quick_check_card(personal, "Contoso"))
    first = await personal.submit(value)
    assert first[0].cards  # the result
    for number in range(20):
        replay = Conversation(
            personal.client, connector, f"a:personal-replay-{number}", user_id=f"user-{number}"
        )
        replies = await replay.submit(value)
        assert [r.cards for r in replies] == [[]]
        assert "already counted for contoso" in replies[0].text
    again = await personal.submit(value)  # and in the first conversation, as before
    assert "already" in again[0].text
