"""Dialog options are typed objects in the code and JSON in the dialog state: what a loop keeps
between turns survives a restart as plain JSON and is read back typed (issue 19.2)."""

from __future__ import annotations

import json

from dialogs.assess.questions_dialog import QuestionsOptions
from dialogs.commit.goals_dialog import GoalsOptions


def test_question_loop_options_are_json_and_read_back_typed() -> None:
    options = QuestionsOptions(customer_name="Contoso", run="r1", index=2, answers={"q1": "a"})
    stored = json.loads(json.dumps(options.model_dump()))
    assert QuestionsOptions.model_validate(stored) == options


def test_goal_loop_options_are_json_and_read_back_typed() -> None:
    goal = {"title": "Adopt AKS", "kpi": "3 clusters"}
    options = GoalsOptions(customer_name="Contoso", run="r1", goals=[goal], suggested=["x"])
    stored = json.loads(json.dumps(options.model_dump()))
    assert GoalsOptions.model_validate(stored) == options


def test_options_stored_before_they_were_typed_still_resume() -> None:
    stored = {"customer_name": "Contoso", "run": "r1", "index": 1, "answers": {}, "old": True}
    assert QuestionsOptions.model_validate(stored).index == 1
