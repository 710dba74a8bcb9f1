"""Every card button's data is parsed once, at the edge, into the model its routing-table entry
names (one discriminated union on `action`): data that does not fit is answered there with the
model's reply and changes nothing; handlers receive models, never dicts (issue 19.2)."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from bot.commands import CARD_ACTIONS, CARD_SUBMIT, RUN_COMMAND_ACTION
from dialogs.common.card_actions import (
    ChooseSubmit,
    EnsureAnywaySubmit,
    QuickCheckSubmit,
    ReadinessSubmit,
    ReviewSubmit,
    SaveQuickCheckSubmit,
    SnoozeSubmit,
    Submit,
    UseAssessmentSubmit,
)
from tests.support.conversation import Conversation

BROKEN: list[tuple[dict[str, Any], type[Submit]]] = [
    ({"action": "quick_check", "customer": "Contoso", "q_cloud": "a"}, QuickCheckSubmit),
    ({"action": "quick_check", "card": "c1", "iteration": "1"}, QuickCheckSubmit),
    ({"action": "quick_check", "card": "c1", "create": "yes"}, QuickCheckSubmit),
    ({"action": "save_quick_check", "card": "c1", "answers": "all"}, SaveQuickCheckSubmit),
    (
        {"action": "use_assessment", "customer": "contoso", "assessed_at": "soon"},
        UseAssessmentSubmit,
    ),
    ({"action": "ensure_anyway", "customer": "contoso"}, EnsureAnywaySubmit),
    ({"action": "review", "customer": "contoso", "iteration": "one"}, ReviewSubmit),
    ({"action": "readiness", "step": 0, "answers": "9", "started": "abcdefgh12"}, ReadinessSubmit),
    ({"action": "readiness", "step": True, "answers": "", "started": "a"}, ReadinessSubmit),
    ({"action": "snooze", "customer": "contoso", "reminder": "r", "days": 0}, SnoozeSubmit),
    ({"action": "snooze", "customer": "contoso", "reminder": "r", "days": 365}, SnoozeSubmit),
    ({"action": "snooze", "customer": "contoso", "days": 1}, SnoozeSubmit),
]


@pytest.mark.parametrize(("value", "model"), BROKEN, ids=lambda v: str(v)[:40])
async def test_data_that_does_not_fit_is_refused_at_the_edge(
    personal: Conversation, value: dict[str, Any], model: type[Submit]
) -> None:
    replies = await personal.submit({**value, "msteams": {"displayText": "x"}})
    assert [(r.text, r.cards) for r in replies] == [(model.stale, [])]
    listing = await personal.say("customers")
    assert "contoso" not in " ".join(r.text or "" for r in listing).casefold()


async def test_an_unknown_action_reaches_no_handler(personal: Conversation) -> None:
    replies = await personal.submit({"action": "something_else", "customer": "contoso"})
    assert [r.text for r in replies] == [
        "That card is no longer active, so nothing was changed. Type `help` to see what I can do."
    ]


def test_every_model_names_one_action_and_the_table_each_once() -> None:
    actions = [entry.action for entry in CARD_ACTIONS]
    assert len(set(actions)) == len(actions)
    assert "quick_check" in actions
    assert RUN_COMMAND_ACTION not in actions


def test_the_union_parses_each_action_into_its_model_and_refuses_the_rest() -> None:
    parsed = CARD_SUBMIT.validate_python(
        {"action": "ensure_anyway", "customer": "c", "iteration": 2}
    )
    assert parsed == EnsureAnywaySubmit(action="ensure_anyway", customer="c", iteration=2)
    command = CARD_SUBMIT.validate_python({"action": RUN_COMMAND_ACTION, "command": "help"})
    assert type(command).action_name() == RUN_COMMAND_ACTION
    choose = CARD_SUBMIT.validate_python({"action": "choose", "prompt": "k", "choice": "a"})
    assert choose == ChooseSubmit(action="choose", prompt="k", choice="a")
    with pytest.raises(ValidationError):
        CARD_SUBMIT.validate_python({"action": "something_else", "prompt": "k"})


async def test_a_prompt_button_whose_data_does_not_fit_is_asked_again(
    personal: Conversation,
) -> None:
    await personal.say("assess Contoso")
    replies = await personal.submit({"action": "choose", "prompt": ["k"], "choice": 1})
    assert replies
    assert all("went wrong" not in (r.text or "") for r in replies)
