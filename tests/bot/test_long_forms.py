"""A long form whose check fails comes back as the user filled it in, each problem at its field."""

from __future__ import annotations

from typing import Any

from tests.bot.test_full_cycle import _commit_and_agree, _deliver, _quick_check
from tests.dialogs.commit.test_commit_conversation import _card
from tests.support.cards import submit_data, texts
from tests.support.conversation import Conversation

ENTERED = {
    "status_g1": "achieved",
    "evidence_g1": "https://contoso.example/policy-report",
    "status_g2": "partially",
    "csat_overall": "4",  # value, team and NPS missing: all or none
    "comment": "A very good team",
    "next_steps": "",  # at least one is needed
}


def _inputs(card: dict[str, Any]) -> dict[str, Any]:
    return {
        e["id"]: e.get("value", "") for e in card["body"] if e.get("type", "").startswith("Input.")
    }


def _problem_after(card: dict[str, Any], element_id: str) -> str:
    """The attention text right under the input (or heading) with this id, if any."""
    body = card["body"]
    index = next(
        i
        for i, e in enumerate(body)
        if e.get("id") == element_id
        or (e.get("type") == "RichTextBlock" and element_id == texts(e))
    )
    following = body[index + 1] if index + 1 < len(body) else {}
    runs = following.get("inlines", []) if following.get("type") == "RichTextBlock" else []
    return "".join(r["text"] for r in runs if r.get("color") == "Attention")


async def test_a_failed_ensure_card_keeps_every_value_and_marks_the_wrong_fields(
    personal: Conversation,
) -> None:
    await _quick_check(personal, 1)
    await _commit_and_agree(personal)
    await _deliver(personal)
    form = _card(await personal.say("ensure Contoso"))
    replies = await personal.submit({**submit_data(form, "Close the iteration"), **ENTERED})
    again = _card(replies)
    assert _inputs(again) == {**_inputs(form), **ENTERED}  # nothing the user typed is lost
    assert "at least one next step" in _problem_after(again, "next_steps")
    assert "all three satisfaction questions" in _problem_after(
        again, "Customer satisfaction (1 = poor, 5 = excellent)"
    )
    assert _problem_after(again, "status_g1") == ""
    assert any("Please fix" in r.text for r in replies)  # and a line that says so
    fixed = {**ENTERED, "csat_value": "4", "csat_team": "5", "nps": "9", "next_steps": "Pilot AKS"}
    replies = await personal.submit({**submit_data(again, "Close the iteration"), **fixed})
    assert "Proof of execution · Contoso" in texts(_card(replies))
