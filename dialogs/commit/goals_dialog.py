"""The goal loop of the commit dialog: one goal per form, then "another one?", up to five.

Flow (dialogs/commit/goals_dialog.mmd): goal -> keep it, another one? -> loop or hand the goals
back.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from botbuilder.dialogs import (
    ComponentDialog,
    DialogTurnResult,
    WaterfallStepContext,
)
from botbuilder.dialogs.prompts import PromptOptions, PromptValidatorContext
from botbuilder.schema import Activity
from pydantic import BaseModel, ConfigDict

from cards import library
from cards.forms import form_card
from cards.views import ConfirmView
from dialogs.commit import commit_views as views
from dialogs.commit.commitment_input import (
    MAX_GOALS,
    InputProblems,
    goal_draft,
    goal_fields_from_text,
    goal_value,
)
from dialogs.common.prompts import (
    TEXT_KEY,
    YES_NO_ALIASES,
    CardChoicePrompt,
    CardFormPrompt,
    choice_validations,
    choose_data,
)
from dialogs.common.services import DialogServices
from dialogs.common.turn import card_message
from dialogs.common.waterfall import Waterfall
from i18n import _

_STEPS = "goal_steps"
_GOAL = "goal_form"
_MORE = "goal_more"


class GoalsOptions(BaseModel):
    """The goal loop's state: kept in the dialog state as JSON (`model_dump`), read back typed.
    `suggested` are the previous iteration's next steps (goal N pre-filled with step N)."""

    model_config = ConfigDict(extra="ignore", frozen=True)
    customer_name: str
    run: str
    goals: list[dict[str, Any]] = []
    suggested: list[str] = []
    iteration: int = 1


class GoalsDialog(ComponentDialog):
    """Collects 1-5 goals; returns them as JSON dicts (`commitment_input.goal_draft`)."""

    def __init__(self, services: DialogServices) -> None:
        super().__init__(GoalsDialog.__name__)
        self._services = services
        self.add_dialog(CardFormPrompt(_GOAL, self._is_valid_goal, self._goal_message))
        self.add_dialog(CardChoicePrompt(_MORE, self._more_message))
        self.add_dialog(Waterfall(_STEPS, [self.goal_step, self.more_step, self.loop_step]))
        self.initial_dialog_id = _STEPS

    async def goal_step(self, step: WaterfallStepContext) -> DialogTurnResult:
        """Ask for the next goal."""
        state = GoalsOptions.model_validate(step.options)
        number = len(state.goals) + 1
        suggested = state.suggested
        return await step.prompt(
            _GOAL,
            PromptOptions(
                validations={
                    "key": f"{state.run}:goal{number}",
                    "customer_name": state.customer_name,
                    "number": number,
                    "suggested": suggested[number - 1] if number <= len(suggested) else "",
                    "previous": (state.iteration or 1) - 1,
                    "retry_text": _(
                        "That button is from an older card; please use the latest one."
                    ),
                }
            ),
        )

    async def more_step(self, step: WaterfallStepContext) -> DialogTurnResult:
        """Keep the goal; offer another one while there is room."""
        state = GoalsOptions.model_validate(step.options)
        goals = [*state.goals, step.result]
        step.values["goals"] = goals
        if len(goals) >= MAX_GOALS:
            await step.context.send_activity(
                _("That's {count} goals, the most one iteration takes.").format(count=MAX_GOALS)
            )
            return await step.next("no")
        key = f"{state.run}:more{len(goals)}"
        return await step.prompt(
            _MORE,
            PromptOptions(
                validations={
                    **choice_validations(
                        key, [("yes", _("Yes")), ("no", _("No"))], False, YES_NO_ALIASES
                    ),
                    "count": len(goals),
                    "retry_text": _("Add another goal? Answer yes or no."),
                }
            ),
        )

    async def loop_step(self, step: WaterfallStepContext) -> DialogTurnResult:
        """Another goal, or hand the goals back."""
        goals = step.values["goals"]
        if step.result == "yes":
            state = GoalsOptions.model_validate(step.options).model_copy(update={"goals": goals})
            return await step.replace_dialog(_STEPS, state.model_dump())
        return await step.end_dialog(goals)

    def _goal_message(self, validations: dict[str, Any]) -> Activity:
        suggested = str(validations.get("suggested") or "")
        view = views.goal_form(
            validations["key"],
            validations["customer_name"],
            validations["number"],
            {"title": suggested} if suggested else {},
        )
        if suggested:
            number, previous = validations["number"], validations.get("previous")
            note = _(
                "Pre-filled with next step {number} of iteration {previous}: keep or change it."
            ).format(number=number, previous=previous)
            view = dataclasses.replace(view, intro=[*view.intro, note])
        return card_message(form_card(view))

    def _more_message(self, validations: dict[str, Any]) -> Activity:
        card = library.confirm_card(
            ConfirmView(
                title=_("{count} goal(s) so far").format(count=validations["count"]),
                text=_("Add another goal?"),
                yes_data=choose_data(validations["key"], "yes"),
                no_data=choose_data(validations["key"], "no"),
            )
        )
        return card_message(card)

    async def _is_valid_goal(self, prompt: PromptValidatorContext) -> bool:
        if not prompt.recognized.succeeded:
            return False
        value = prompt.recognized.value
        number = int(prompt.options.validations["number"])
        try:
            fields = goal_fields_from_text(value[TEXT_KEY]) if TEXT_KEY in value else value
            goal = goal_value(fields, number, self._services.clock.now().date())
        except InputProblems as error:
            await prompt.context.send_activity(error.reply())
            return False
        prompt.recognized.value = goal_draft(goal)
        return True
